/**
 * The IP plan report as plain text for a terminal: a header with the VPC, service range, NAT and CNI
 * mode, then one table per AZ, then the validation warnings. No colours, no terminal width needed.
 */
import type {
  IpPlanReport,
  NodeGroupReport,
  NodePoolReport,
  PlacementReport,
  PublicAddressesReport,
  SubnetReport,
  ZoneReport,
} from "./ip-plan-report";
import type { FixedAddress } from "../plan/capacity";
import { cidr, formatAddress } from "../plan/cidr";
import { networkOriginPhrase } from "./network-origin";
import type { SubnetRole } from "../plan/subnets";

/** 16379 -> "16,379": the same in every locale, so output and diagrams are reproducible. */
export function formatCount(n: number): string {
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ",");
  return n < 0 ? `-${digits}` : digits;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export const ROLE_LABELS: Record<SubnetRole, string> = {
  node: "node",
  pod: "pod",
  public: "public",
  controlPlane: "control plane",
  multus: "multus",
};

export function subnetLabel(s: Pick<SubnetReport, "role" | "interfaceIndex" | "routesToInternetGateway">): string {
  if (s.role !== "multus") return ROLE_LABELS[s.role];
  return `multus ${s.interfaceIndex}${s.routesToInternetGateway ? " (public)" : ""}`;
}

/** "8 of 14 /28 blocks" or "61 of 251 addresses". */
export function usedPhrase(s: SubnetReport): string {
  return `${formatCount(s.capacity.used)} of ${formatCount(s.capacity.available)} ${s.capacity.unit}`;
}

/** "42%", or "over by 2" when the plan asks for more than there is. */
export function headroomPhrase(s: SubnetReport): string {
  return s.capacity.free < 0 ? `over by ${formatCount(-s.capacity.free)}` : `${s.capacity.headroomPercent}%`;
}

/** During the worst rollout: "11 (21%)", or "16 (over by 2)". */
export function rolloutPhrase(s: SubnetReport): string {
  const { used, free, headroomPercent } = s.capacity.duringRollout;
  return `${formatCount(used)} (${free < 0 ? `over by ${formatCount(-free)}` : `${headroomPercent}%`})`;
}

/**
 * The prefix reservations of a subnet: "prefixes reserved in 172.16.10.80-172.16.10.239 (10
 * reservations, each one /28); 91 addresses outside them", or "" where pods take no prefixes.
 */
export function prefixReservationPhrase(s: SubnetReport): string {
  const blocks = s.prefixReservations.map((r) => cidr(r.cidr));
  if (blocks.length === 0) return s.prefixDelegation ? "no prefix reservation fits" : "";
  const first = Math.min(...blocks.map((b) => b.first));
  const last = Math.max(...blocks.map((b) => b.last));
  const sizes = [...new Set(blocks.map((b) => b.prefix))].sort((a, b) => b - a);
  const each = sizes.length === 1 ? `each a /${sizes[0]}` : `/${sizes[0]} to /${sizes[sizes.length - 1]}`;
  const total = s.prefixReservations.reduce((n, r) => n + r.blocks, 0);
  return `${plural(total, "block")} reserved for pod prefixes, ${formatAddress(first)}-${formatAddress(last)} (${plural(blocks.length, "reservation")}, ${each}); ${plural(s.addressesOutsidePrefixReservations, "address", "addresses")} outside them`;
}

/** What takes the subnet's addresses, e.g. "7 pod prefixes (/28), 1 interface address". */
export function demandPhrase(s: SubnetReport): string {
  const { interfaceAddresses, podAddresses, podPrefixes, infrastructure, reservations } = s.demand;
  const { warmPrefixes, warmAddresses, branchAddresses, loadBalancers } = s.demand;
  return (
    [
      podPrefixes > 0 && `${plural(podPrefixes, "pod prefix", "pod prefixes")} (/28)`,
      warmPrefixes > 0 && plural(warmPrefixes, "warm prefix", "warm prefixes"),
      podAddresses > 0 && plural(podAddresses, "pod address", "pod addresses"),
      warmAddresses > 0 && plural(warmAddresses, "warm address", "warm addresses"),
      branchAddresses > 0 && plural(branchAddresses, "branch ENI address", "branch ENI addresses"),
      interfaceAddresses > 0 && plural(interfaceAddresses, "interface address", "interface addresses"),
      infrastructure > 0 &&
        (s.role === "public"
          ? plural(infrastructure, "NAT gateway address", "NAT gateway addresses")
          : `${formatCount(infrastructure)} kept free for control-plane ENIs`),
      loadBalancers > 0 && `${formatCount(loadBalancers)} kept free for load balancers`,
      ...reservations.map((r) =>
        s.demand.fixedAddresses.some((a) => a.network === r.network)
          ? `${r.cidr} reserved for public network ${r.network}`
          : `${r.cidr} reserved for ${r.network} pods`,
      ),
      ...s.demand.fixedAddresses.map(fixedAddressPhrase),
    ]
      .filter(Boolean)
      .join(", ") || "nothing planned"
  );
}

/** "10.40.8.16 fixed on edge-0 for edge/sbc-edge-0-0, Elastic IP sbc-edge-0-0-transit-a". */
export function fixedAddressPhrase(a: FixedAddress): string {
  const holder = a.pod
    ? ` for ${a.pod}, ${a.publicIpName ? `Elastic IP ${a.publicIpName}` : "Elastic IP released"}`
    : ", no pod";
  return `${a.address} fixed on ${a.slot}${holder}`;
}

/** What the worst rollout adds, e.g. "+2 nodes, +2 interface addresses, +2 warm prefixes"; "" when nothing. */
export function rolloutAddsPhrase(s: SubnetReport): string {
  const { nodes, interfaceAddresses, warmPrefixes, warmAddresses, infrastructure } = s.demand.rolloutAdds;
  return [
    nodes > 0 && plural(nodes, "node"),
    interfaceAddresses > 0 && plural(interfaceAddresses, "interface address", "interface addresses"),
    warmPrefixes > 0 && plural(warmPrefixes, "warm prefix", "warm prefixes"),
    warmAddresses > 0 && plural(warmAddresses, "warm address", "warm addresses"),
    infrastructure > 0 && `${formatCount(infrastructure)} for new control-plane ENIs`,
  ]
    .filter(Boolean)
    .map((part) => `+${part}`)
    .join(", ");
}

/** "10 of 14 /28 blocks" during the worst rollout. */
export function rolloutUsedPhrase(s: SubnetReport): string {
  return `${formatCount(s.capacity.duringRollout.used)} of ${formatCount(s.capacity.available)} ${s.capacity.unit}`;
}

export function placementPhrase(p: PlacementReport): string {
  const nodes = plural(p.nodes, "node");
  const group = p.capacity === "nodePool" ? `${p.group} (Karpenter, ${p.instanceType})` : p.group;
  if (p.holds === "pods") return `${group}: pods of ${nodes} (max pods ${p.maxPods})`;
  const pods = p.holds === "nodes and pods" ? (p.nodes === 1 ? " and its pods" : " and their pods") : "";
  const surge = p.surgeNodes > 0 ? `, +${formatCount(p.surgeNodes)} in a ${p.surge}` : "";
  return `${group}: ${nodes}${pods} (max pods ${p.maxPods})${surge}`;
}

export function formatIpPlanReport(report: IpPlanReport): string {
  const sections = [
    header(report),
    ...report.zones.map(zoneTable),
    ...(report.publicAddresses.length > 0 ? [publicAddressesSection(report.publicAddresses)] : []),
    warnings(report),
  ];
  return sections.join("\n\n") + "\n";
}

function header(r: IpPlanReport): string {
  const nat = natPhrase(r);
  const cniSettings = [
    r.cni.warmPrefixTarget !== undefined && `warm prefix target ${r.cni.warmPrefixTarget}`,
    r.cni.warmIpTarget !== undefined && `warm IP target ${r.cni.warmIpTarget}`,
    r.cni.minimumIpTarget !== undefined && `minimum IP target ${r.cni.minimumIpTarget}`,
  ].filter(Boolean);
  const origin = networkOriginPhrase(r);
  const rows: Array<[string, string]> = [
    ["cluster", `${r.cluster.name} (Kubernetes ${r.cluster.version}) in ${r.region}`],
    ...(origin ? [["network", origin] as [string, string]] : []),
    [
      "VPC CIDRs",
      r.vpcCidrs
        .map((c) => `${c.cidr} (${plural(c.addresses, "address", "addresses")}${c.primary ? "" : ", secondary"})`)
        .join(", "),
    ],
    [
      "service CIDR",
      `${r.serviceCidr.cidr} (${plural(r.serviceCidr.addresses, "address", "addresses")}): Kubernetes Services, virtual, outside the VPC`,
    ],
    ["NAT", nat],
    ["CNI", r.cni.mode + (cniSettings.length > 0 ? ` (${cniSettings.join(", ")})` : "")],
    ...r.nodeGroups.map((g, i): [string, string] => [i === 0 ? "node groups" : "", nodeGroupLine(g)]),
    ...r.nodePools.map((p, i): [string, string] => [i === 0 ? "node pools" : "", nodePoolLine(p)]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const title = `IP plan of ${r.environment.name} (${r.environment.file})${r.environment.description ? `: ${r.environment.description}` : ""}`;
  return [
    title,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    "  Nodes are counted at maxSize, spread evenly over their group's AZs (rounded up), each with its pods at max pods",
    "  and the warm prefixes or addresses the CNI keeps. ROLLOUT: the same while every managed node group surges at",
    "  once (a rollout adds the larger of twice its AZs and maxUnavailable; a replacement, the new group beside the",
    "  old) and the control plane is upgraded. Multus nodes are replaced all at once, destroy before create: no surge.",
  ].join("\n");
}

function natPhrase(r: IpPlanReport): string {
  switch (r.nat.mode) {
    case "single":
      return `single: one NAT gateway, in the public subnet of ${r.nat.zones[0]}`;
    case "perAz":
      return `perAz: one NAT gateway in the public subnet of each AZ (${r.nat.zones.join(", ")})`;
    case "none":
      return "none of the plan's: the existing VPC's egress is its owner's";
  }
}

function nodeGroupLine(g: NodeGroupReport): string {
  const surge =
    g.surge.replacement === "destroyBeforeCreate"
      ? "replaced destroy-before-create"
      : `surge +${g.surge.nodesPerZone} per AZ (rollout +${g.surge.rolloutNodesPerZone}, replacement +${g.surge.replacementNodesPerZone})`;
  const trunk = g.trunkEni
    ? `, a trunk ENI per node (${g.branchPodsPerNode} of its pods counted on branch ENIs, the mix that takes the most room)`
    : "";
  return `${g.name}: ${g.instanceType}, ${g.minSize} to ${g.maxSize} nodes (desired ${g.desiredSize}), max pods ${g.maxPods} (${g.maxPodsSource})${trunk}, in the ${g.subnet} subnets of ${g.zones.join(", ")}; ${surge}`;
}

function nodePoolLine(p: NodePoolReport): string {
  const types = p.instanceTypes.map((t) => t.instanceType);
  const maxPods =
    p.kubeletMaxPods === undefined
      ? `max pods per type (Karpenter's count, ${Math.min(...p.instanceTypes.map((t) => t.maxPods))} to ${Math.max(...p.instanceTypes.map((t) => t.maxPods))})`
      : `kubelet maxPods ${p.kubeletMaxPods}`;
  return `${p.name} (Karpenter): ${types.length} instance types (${types.slice(0, 3).join(", ")}${types.length > 3 ? ", ..." : ""}), ${maxPods}, limits ${p.limits.cpu} vCPUs and ${p.limits.memory}, in the ${p.subnet} subnets of ${p.zones.join(", ")}; counted as ${p.nodesPerZone} ${p.countedInstanceType} nodes in any one AZ (${p.nodesAtLimit} at the cpu limit + ${p.overrunNodes} of one provisioning batch over), disruption surge +${p.surgeNodesPerZone}`;
}

const COLUMNS = ["ROLE", "CIDR", "USABLE", "FREE /28", "USED", "HEADROOM", "ROLLOUT", "PLACED HERE"] as const;
/** Numbers right-aligned, text left. */
const RIGHT_ALIGNED = new Set<string>(["USABLE", "FREE /28", "HEADROOM", "ROLLOUT"]);

function zoneTable(zone: ZoneReport): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of zone.subnets) {
    const placed = [...(s.natGateway ? ["NAT gateway"] : []), ...s.placements.map(placementPhrase)];
    const first = [
      subnetLabel(s),
      s.cidr,
      formatCount(s.usable),
      s.prefixDelegation ? formatCount(s.free28Blocks) : "-",
      usedPhrase(s),
      headroomPhrase(s),
      rolloutPhrase(s),
    ];
    placed.forEach((text, i) => rows.push([...(i === 0 ? first : first.map(() => "")), text]));
    if (placed.length === 0) rows.push([...first, "-"]);
    notes.push(`${subnetLabel(s)}: ${demandPhrase(s)}`);
    const adds = rolloutAddsPhrase(s);
    if (adds) notes.push(`${" ".repeat(subnetLabel(s).length)}  in a rollout: ${adds}`);
    const reserved = prefixReservationPhrase(s);
    if (reserved) notes.push(`${" ".repeat(subnetLabel(s).length)}  ${reserved}`);
  }
  const demand = notes.map((note, i) => `  ${i === 0 ? "demand" : "      "}  ${note}`);
  return [zone.az, ...table([[...COLUMNS], ...rows]), ...demand].join("\n");
}

function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    (
      "  " +
      r
        .map((cell, c) =>
          c === r.length - 1 ? cell : RIGHT_ALIGNED.has(COLUMNS[c]) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]),
        )
        .join("  ")
    ).trimEnd(),
  );
}

/** "pod 0 of 2", "spare", "released on the next deploy". */
export function addressUsePhrase(
  address: PublicAddressesReport["addresses"][number],
  workload: PublicAddressesReport,
): string {
  switch (address.use) {
    case "pod":
      return `pod ${address.name.slice(address.name.lastIndexOf("-") + 1)} of ${workload.replicas}`;
    case "spare":
      return "spare, kept allocated";
    case "release":
      return "released on the next deploy";
  }
}

function publicAddressesSection(workloads: PublicAddressesReport[]): string {
  const allocated = workloads.flatMap((w) => w.addresses).filter((a) => a.use !== "release").length;
  const rows = [
    ["WORKLOAD", "ELASTIC IP", "HELD BY"],
    ...workloads.flatMap((w) => w.addresses.map((a, i) => [i === 0 ? w.workload : "", a.name, addressUsePhrase(a, w)])),
  ];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return [
    `Elastic IPs of public-IP pods: ${plural(allocated, "address", "addresses")} allocated, each named after the pod that holds it`,
    ...rows.map((r) => `  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()),
  ].join("\n");
}

function warnings(r: IpPlanReport): string {
  if (r.warnings.length === 0) return "Warnings: none";
  return `Warnings (${r.warnings.length}):\n${r.warningReport}`;
}
