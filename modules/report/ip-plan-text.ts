/**
 * The IP plan report as plain text for a terminal: a header with the VPC, service range, NAT and CNI
 * mode, then one table per AZ, then the validation warnings. No colours, no terminal width needed.
 */
import type {
  IpPlanReport,
  NodeGroupReport,
  PlacementReport,
  PublicAddressesReport,
  SubnetReport,
  ZoneReport,
} from "./ip-plan-report";
import type { FixedAddress } from "../plan/capacity";
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

/** What takes the subnet's addresses, e.g. "7 pod prefixes (/28), 1 interface address". */
export function demandPhrase(s: SubnetReport): string {
  const { interfaceAddresses, podAddresses, podPrefixes, infrastructure, reservations } = s.demand;
  return (
    [
      podPrefixes > 0 && `${plural(podPrefixes, "pod prefix", "pod prefixes")} (/28)`,
      podAddresses > 0 && plural(podAddresses, "pod address", "pod addresses"),
      interfaceAddresses > 0 && plural(interfaceAddresses, "interface address", "interface addresses"),
      infrastructure > 0 &&
        (s.role === "public"
          ? plural(infrastructure, "NAT gateway address", "NAT gateway addresses")
          : `${formatCount(infrastructure)} kept free for control-plane ENIs`),
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
  const holder = a.pod ? ` for ${a.pod}, Elastic IP ${a.publicIpName}` : ", no pod";
  return `${a.address} fixed on ${a.slot}${holder}`;
}

export function placementPhrase(p: PlacementReport): string {
  const nodes = plural(p.nodes, "node");
  if (p.holds === "pods") return `${p.group}: pods of ${nodes} (max pods ${p.maxPods})`;
  const pods = p.holds === "nodes and pods" ? (p.nodes === 1 ? " and its pods" : " and their pods") : "";
  return `${p.group}: ${nodes}${pods} (max pods ${p.maxPods})`;
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
  const nat =
    r.nat.mode === "single"
      ? `single: one NAT gateway, in the public subnet of ${r.nat.zones[0]}`
      : `perAz: one NAT gateway in the public subnet of each AZ (${r.nat.zones.join(", ")})`;
  const cniSettings = [
    r.cni.warmPrefixTarget !== undefined && `warm prefix target ${r.cni.warmPrefixTarget}`,
    r.cni.warmIpTarget !== undefined && `warm IP target ${r.cni.warmIpTarget}`,
    r.cni.minimumIpTarget !== undefined && `minimum IP target ${r.cni.minimumIpTarget}`,
  ].filter(Boolean);
  const rows: Array<[string, string]> = [
    ["cluster", `${r.cluster.name} (Kubernetes ${r.cluster.version}) in ${r.region}`],
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
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const title = `IP plan of ${r.environment.name} (${r.environment.file})${r.environment.description ? `: ${r.environment.description}` : ""}`;
  return [
    title,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    "  Nodes are counted at maxSize, spread evenly over their group's AZs (rounded up).",
  ].join("\n");
}

function nodeGroupLine(g: NodeGroupReport): string {
  return `${g.name}: ${g.instanceType}, ${g.minSize} to ${g.maxSize} nodes (desired ${g.desiredSize}), max pods ${g.maxPods} (${g.maxPodsSource}), in the ${g.subnet} subnets of ${g.zones.join(", ")}`;
}

const COLUMNS = ["ROLE", "CIDR", "USABLE", "FREE /28", "USED", "HEADROOM", "PLACED HERE"] as const;
/** Numbers right-aligned, text left. */
const RIGHT_ALIGNED = new Set<string>(["USABLE", "FREE /28", "HEADROOM"]);

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
    ];
    placed.forEach((text, i) => rows.push([...(i === 0 ? first : first.map(() => "")), text]));
    if (placed.length === 0) rows.push([...first, "-"]);
    notes.push(`${subnetLabel(s)}: ${demandPhrase(s)}`);
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
