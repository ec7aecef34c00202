/**
 * One subnet of the IP plan report: its range, what the plan places there and asks of it at maxSize
 * and through a rollout, its prefix reservations, and the room left. Part of the JSON
 * `npm run --silent ip-plan -- --json` prints (IpPlanReport): fields are only added.
 */
import type { SurgeKind } from "../plan/address-demand";
import {
  addressesNeeded,
  loadOf,
  prefixBlocksNeeded,
  takesPodPrefixes,
  type FixedAddress,
  type NodePlacement,
  type SubnetDemand,
} from "../plan/capacity";
import type { SubnetPrefixReservations } from "../plan/prefix-reservations";
import type { SubnetRole } from "../plan/subnets";

export interface SubnetReport {
  role: SubnetRole;
  cidr: string;
  /** Multus subnets only: the extra interface (1-based) the subnet serves. */
  interfaceIndex?: number;
  /** Addresses left after AWS's 5 reserved ones. */
  usable: number;
  /** Aligned /28 blocks clear of AWS's reserved addresses: what prefix delegation can hand out. */
  free28Blocks: number;
  /** Pods take /28 prefixes here; capacity is then counted in /28 blocks. */
  prefixDelegation: boolean;
  natGateway: boolean;
  /** Its default route goes to the internet gateway (public subnets, public Multus networks' subnets), else to NAT. */
  routesToInternetGateway: boolean;
  /** Node groups with nodes or pods here, nodes counted at maxSize. */
  placements: PlacementReport[];
  demand: {
    /** Primary addresses of node interfaces: the nodes' own, the ENIs added for pods, trunk ENIs. */
    interfaceAddresses: number;
    /** Pod addresses in secondary-IP mode. */
    podAddresses: number;
    /** Secondary addresses the CNI keeps warm on top (secondary-IP mode). */
    warmAddresses: number;
    /** /28 prefixes for pods under prefix delegation. */
    podPrefixes: number;
    /** /28 prefixes the CNI keeps warm on top (WARM_PREFIX_TARGET, 1 when unset). */
    warmPrefixes: number;
    /** Branch ENIs of pods with security groups of their own: the mix of them that takes the most room. */
    branchAddresses: number;
    /** NAT gateway (public subnets) or the free addresses EKS wants for control-plane ENIs. */
    infrastructure: number;
    /** Addresses kept free for load balancers (subnets tagged for them). */
    loadBalancers: number;
    /** Multus pod ranges reserved here (explicit CIDR reservations), by network. */
    reservations: Array<{ network: string; cidr: string; addresses: number }>;
    /**
     * A public Multus network's fixed addresses here, inside its reservation: per node slot, the
     * address of its ENI, and the pod (namespace/name) that takes it with its Elastic IP's name.
     */
    fixedAddresses: FixedAddress[];
    /** All of it in addresses, a prefix counted as 16. */
    addresses: number;
    /** What the worst rollout adds: every managed group's surge nodes, a control-plane upgrade's ENIs. */
    rolloutAdds: {
      nodes: number;
      interfaceAddresses: number;
      warmPrefixes: number;
      warmAddresses: number;
      infrastructure: number;
    };
    /** All of it during that rollout, in addresses. */
    addressesDuringRollout: number;
  };
  capacity: CapacityReport;
  /**
   * Subnet CIDR reservations of type prefix the plan makes here, top down (empty where pods take no
   * /28 prefixes): pods' prefixes come from these blocks, and no single address goes in them.
   */
  prefixReservations: Array<{ cidr: string; blocks: number }>;
  /** Usable addresses outside the prefix reservations: for interfaces, gateways, load balancers, control-plane ENIs. */
  addressesOutsidePrefixReservations: number;
}

export interface PlacementReport {
  group: string;
  instanceType: string;
  nodes: number;
  maxPods: number;
  /** `nodes`: primary interfaces here; `pods`: their pods' addresses; `nodes and pods`: both (no custom networking). */
  holds: "nodes" | "pods" | "nodes and pods";
  /** Extra nodes of the group in this AZ during a rollout or a replacement (0 for Multus nodes). */
  surgeNodes: number;
  surge: SurgeKind;
}

export interface CapacityReport {
  /** `/28 blocks` where pods take prefixes, else `addresses`. */
  unit: "addresses" | "/28 blocks";
  available: number;
  /** At maxSize. */
  used: number;
  /** available - used; negative when the plan asks for more than the subnet has (then validation warns). */
  free: number;
  /** free / available in percent, rounded down so it never overstates the room. */
  headroomPercent: number;
  /** The same during the worst rollout (surge nodes beside the nodes at maxSize, a control-plane upgrade). */
  duringRollout: { used: number; free: number; headroomPercent: number };
}

export function subnetReport(
  d: SubnetDemand,
  natZones: string[],
  internetGateway: boolean,
  reservations: SubnetPrefixReservations | undefined,
): SubnetReport {
  const prefixDelegation = takesPodPrefixes(d);
  const available = prefixDelegation ? d.free28Blocks : d.usable;
  // Where pods take prefixes: the blocks the prefix reservations and the single addresses take, so
  // headroom below 0 is exactly where the checks refuse (maxSize) or warn (rollout).
  const usedIn = (scenario: "maxSize" | "rollout") =>
    reservations
      ? (scenario === "maxSize" ? reservations.atMaxSize : reservations.duringRollout).blocksUsed
      : prefixDelegation
        ? prefixBlocksNeeded(d, scenario)
        : addressesNeeded(d, scenario);
  const room = (used: number) => ({
    used,
    free: available - used,
    headroomPercent: available === 0 ? 0 : Math.floor(((available - used) * 100) / available),
  });
  const rollout = loadOf(d, "rollout");
  return {
    role: d.subnet.role,
    cidr: d.subnet.cidr,
    ...(d.subnet.interfaceIndex === undefined ? {} : { interfaceIndex: d.subnet.interfaceIndex }),
    usable: d.usable,
    free28Blocks: d.free28Blocks,
    prefixDelegation,
    natGateway: d.subnet.role === "public" && natZones.includes(d.subnet.az),
    routesToInternetGateway: internetGateway,
    placements: d.placements.map((p) => placementReport(p, d)),
    demand: {
      interfaceAddresses: d.interfaceAddresses,
      podAddresses: d.podAddresses,
      warmAddresses: d.warmAddresses,
      podPrefixes: d.podPrefixes,
      warmPrefixes: d.warmPrefixes,
      branchAddresses: d.branchAddresses,
      infrastructure: d.infrastructure,
      loadBalancers: d.loadBalancers,
      reservations: d.reservations,
      fixedAddresses: d.fixedAddresses,
      addresses: addressesNeeded(d),
      rolloutAdds: {
        nodes: rollout.nodes - d.nodes,
        interfaceAddresses: rollout.interfaceAddresses - d.interfaceAddresses,
        warmPrefixes: rollout.warmPrefixes - d.warmPrefixes,
        warmAddresses: rollout.warmAddresses - d.warmAddresses,
        infrastructure: rollout.infrastructure - d.infrastructure,
      },
      addressesDuringRollout: addressesNeeded(d, "rollout"),
    },
    capacity: {
      unit: prefixDelegation ? "/28 blocks" : "addresses",
      available,
      ...room(usedIn("maxSize")),
      duringRollout: room(usedIn("rollout")),
    },
    prefixReservations: (reservations?.reservations ?? []).map((r) => ({ cidr: r.cidr, blocks: r.blocks })),
    addressesOutsidePrefixReservations: reservations?.outsideAddresses ?? d.usable,
  };
}

function placementReport(p: NodePlacement, d: SubnetDemand): PlacementReport {
  const nodesHere = p.nodeSubnet === d.subnet;
  const podsHere = d.podPlacements.includes(p);
  return {
    group: p.group.name,
    instanceType: p.group.instanceType,
    nodes: p.nodes,
    maxPods: p.maxPods,
    holds: nodesHere && podsHere ? "nodes and pods" : nodesHere ? "nodes" : "pods",
    surgeNodes: p.surge.nodes,
    surge: p.surge.kind,
  };
}
