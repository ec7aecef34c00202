/**
 * Which subnet each node's interfaces and pod addresses land in, added up per subnet: at maxSize, and
 * what the surge nodes of a rollout add (address-demand.ts's rule).
 *
 * The primary ENI sits in the node's subnet and, unless custom networking is on, serves pods there.
 * Every further ENI goes to the subnet the pod network mode names; with subnet discovery that is a
 * pool (the AZ's tagged pod subnet and the node's subnet), and each new ENI goes to the member with
 * the most free addresses, as the VPC CNI picks it (`GetVpcSubnets` sorts by AvailableIpAddressCount,
 * descending; `createENI` tries them in that order). Free is counted from the plan: what the subnet's
 * fixed needs and the interfaces placed before take. Steady nodes are placed first, surge nodes after.
 *
 * Security groups for pods: a node's trunk ENI and its branch ENIs go to the subnet the VPC resource
 * controller uses (pod-network.ts branchEniSubnet: the ENIConfig's pod subnet with custom networking,
 * else the node's own), placed with the node's own interface, before its further pod ENIs.
 */
import type { NodeGroupSpec } from "../environment/schema";
import { addressesPerUnit, type NodeAddressDemand, type NodeSurge } from "./address-demand";
import { cidr, usableAddresses } from "./cidr";
import { primaryEniServesPods, type PodNetworkMode } from "./pod-network";
import type { PlannedSubnet } from "./subnets";

export interface NodePlacement {
  group: NodeGroupSpec;
  groupIndex: number;
  az: string;
  /** Nodes in this AZ at maxSize (Multus: its slots here). */
  nodes: number;
  maxPods: number;
  /** Pods per node that take a VPC address: maxPods less the host-network pods (aws-node, kube-proxy). */
  podAddressesPerNode: number;
  /** Where the nodes' primary interfaces are. */
  nodeSubnet: PlannedSubnet;
  /**
   * Where the ENIs beyond the primary take pod addresses: the node subnet, the AZ's pod subnet
   * (custom networking), or both as one pool (subnet discovery).
   */
  podSubnets: PlannedSubnet[];
  /** Where its trunk and branch ENIs are (security groups for pods). */
  branchSubnet: PlannedSubnet;
  /** ENIs per node that carry pod addresses, warm ones included. */
  podEnisPerNode: number;
  prefixDelegation: boolean;
  /** What one node holds (address-demand.ts). */
  demand: NodeAddressDemand;
  /** Extra nodes in this AZ during a rollout or a replacement. */
  surge: NodeSurge;
}

/** What a scenario asks of one subnet. */
export interface SubnetLoad {
  /** Nodes whose primary interface is here. */
  nodes: number;
  /** Primary addresses of node interfaces: the nodes' own, ENIs added for pods, Multus ENIs. */
  interfaceAddresses: number;
  /** Pod addresses in secondary-IP mode. */
  podAddresses: number;
  /** Secondary addresses the CNI keeps warm (secondary-IP mode). */
  warmAddresses: number;
  /** /28 prefixes for pods under prefix delegation. */
  podPrefixes: number;
  /** /28 prefixes the CNI keeps warm (WARM_PREFIX_TARGET). */
  warmPrefixes: number;
  /** Primary addresses of branch ENIs: pods with security groups of their own (the worst mix). */
  branchAddresses: number;
  /** Fixed needs: NAT gateways, control-plane ENIs. */
  infrastructure: number;
}

/** A node group whose extra nodes (or their pod interfaces) take addresses here during a rollout. */
export interface SurgeShare {
  placement: NodePlacement;
  /** Its surge nodes in this AZ. */
  nodes: number;
}

export interface PlacedLoad {
  steady: SubnetLoad;
  surge: SubnetLoad;
  /** Nodes whose first pod address (or /28) comes from here, at maxSize. */
  podNodes: number;
  /** Placements whose pods take addresses here. */
  podPlacements: Set<NodePlacement>;
  /** Groups whose surge nodes take addresses here, with how many of their nodes. */
  surgeShares: SurgeShare[];
}

type Phase = "steady" | "surge";

const emptyLoad = (): SubnetLoad => ({
  nodes: 0,
  interfaceAddresses: 0,
  podAddresses: 0,
  warmAddresses: 0,
  podPrefixes: 0,
  warmPrefixes: 0,
  branchAddresses: 0,
  infrastructure: 0,
});

/** Pod and warm units on ENI `i` of a node at maxPods: pods fill the ENIs first, the warm ones follow. */
function unitsOn(p: NodePlacement, i: number): { pod: number; warm: number } {
  const total = p.demand.eniUnits[i] ?? 0;
  const pod = Math.max(0, Math.min(total, p.demand.podUnits - i * p.demand.unitsPerEni));
  return { pod, warm: total - pod };
}

/**
 * What a surge node holds on ENI `i`: it takes over the pods of the node it replaces (already
 * counted), so it adds only its warm units, on its first pod ENI, and its interfaces.
 */
function surgeUnitsOn(p: NodePlacement, i: number): { pod: number; warm: number } {
  return { pod: 0, warm: i === 0 ? p.demand.warmUnits : 0 };
}

export function placePodEnis(
  subnets: readonly PlannedSubnet[],
  placements: readonly NodePlacement[],
  mode: PodNetworkMode,
  fixedAddresses: (subnet: PlannedSubnet) => number,
): Map<PlannedSubnet, PlacedLoad> {
  const out = new Map<PlannedSubnet, PlacedLoad>(
    subnets.map((s) => [
      s,
      { steady: emptyLoad(), surge: emptyLoad(), podNodes: 0, podPlacements: new Set(), surgeShares: [] },
    ]),
  );
  const free = new Map(subnets.map((s) => [s, usableAddresses(cidr(s.cidr)) - fixedAddresses(s)]));
  const primaryServes = primaryEniServesPods(mode);

  const add = (subnet: PlannedSubnet, phase: Phase, p: NodePlacement, units: { pod: number; warm: number }) => {
    const load = out.get(subnet)![phase];
    if (p.demand.unit === "prefix") {
      load.podPrefixes += units.pod;
      load.warmPrefixes += units.warm;
    } else {
      load.podAddresses += units.pod;
      load.warmAddresses += units.warm;
    }
    free.set(subnet, free.get(subnet)! - (units.pod + units.warm) * addressesPerUnit(p.demand.unit));
    if (phase === "steady" && units.pod + units.warm > 0) out.get(subnet)!.podPlacements.add(p);
  };
  const share = (subnet: PlannedSubnet, p: NodePlacement, nodes: number) => {
    const shares = out.get(subnet)!.surgeShares;
    const existing = shares.find((s) => s.placement === p);
    if (existing) existing.nodes += nodes;
    else shares.push({ placement: p, nodes });
  };
  // The member of the pool with the most free addresses; the earlier one on a tie.
  const pick = (pool: readonly PlannedSubnet[]) =>
    pool.reduce((best, s) => (free.get(s)! > free.get(best)! ? s : best), pool[0]);

  for (const phase of ["steady", "surge"] as const) {
    const nodesOf = (p: NodePlacement) => (phase === "steady" ? p.nodes : p.surge.nodes);
    const units = (p: NodePlacement, i: number) => (phase === "steady" ? unitsOn(p, i) : surgeUnitsOn(p, i));
    // The nodes' own interfaces, and the pods of their primary ENI where it serves pods.
    for (const p of placements) {
      const count = nodesOf(p);
      if (count === 0) continue;
      const here = out.get(p.nodeSubnet)!;
      here[phase].nodes += count;
      here[phase].interfaceAddresses += count;
      free.set(p.nodeSubnet, free.get(p.nodeSubnet)! - count);
      if (primaryServes) {
        const u = units(p, 0);
        add(p.nodeSubnet, phase, p, { pod: u.pod * count, warm: u.warm * count });
        if (phase === "steady") here.podNodes += count;
      }
      if (phase === "surge") share(p.nodeSubnet, p, count);
      // The trunk, one per node, surge nodes too; the branch pods, which surge nodes take over.
      const branchHere = out.get(p.branchSubnet)!;
      const trunks = p.demand.trunkEni ? count : 0;
      const branches = phase === "steady" ? p.demand.branchPods * count : 0;
      branchHere[phase].interfaceAddresses += trunks;
      branchHere[phase].branchAddresses += branches;
      free.set(p.branchSubnet, free.get(p.branchSubnet)! - trunks - branches);
      if (branches > 0) branchHere.podPlacements.add(p);
      // (Surge shares need nothing more: that subnet is the node's, or custom networking's pod subnet,
      // which every surge node's pod ENIs touch below.)
    }
    // Every further ENI, one at a time, node by node.
    for (const p of placements) {
      for (let node = 0; node < nodesOf(p); node++) {
        const touched = new Set<PlannedSubnet>();
        // eniUnits lists the ENIs that carry pods; the first is the primary when it serves pods.
        for (let eni = primaryServes ? 1 : 0; eni < p.demand.eniUnits.length; eni++) {
          const subnet = pick(p.podSubnets);
          out.get(subnet)![phase].interfaceAddresses += 1;
          free.set(subnet, free.get(subnet)! - 1);
          add(subnet, phase, p, units(p, eni));
          if (phase === "steady" && eni === 0) out.get(subnet)!.podNodes += 1;
          touched.add(subnet);
        }
        if (phase === "surge") touched.forEach((s) => share(s, p, 1));
      }
    }
  }
  return out;
}
