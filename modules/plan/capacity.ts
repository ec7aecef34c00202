/**
 * How many addresses each subnet has and how many the plan asks of it, per AZ: the nodes placed
 * there, the pods those nodes may run, the NAT gateway, the control-plane interfaces. Pure, shared by
 * the environment checks and the IP plan report.
 *
 * Placement: a node group spreads over its AZs and the Auto Scaling group balances them, so each AZ
 * gets maxSize / AZs nodes, rounded up; scaled out, that is what each subnet must hold. A Multus
 * group has fixed nodes instead (desiredSize slots, round-robin over its AZs), each with one more
 * interface in the AZ's Multus subnet of every interface index it has; on a public network, that
 * interface's address is a fixed one of the network's range.
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import { ADDRESSES_PER_PREFIX, cidr, free28Blocks, usableAddresses } from "./cidr";
import { HOST_NETWORK_PODS, podEnisFor, podSlotsPerEni, prefixesNeeded } from "./max-pods";
import { multusRanges } from "./multus-ranges";
import { multusPublicPods, multusSlotAddresses } from "./multus-public";
import { nodeGroupMaxPods, type NodeGroupMaxPods } from "./node-group-max-pods";
import { isMultusGroup, zonesOf } from "./node-groups";
import { nodeSlots } from "./node-slots";
import { controlPlaneSubnets, natGatewayZones } from "./placement";
import { podNetworkMode, type PodNetworkMode } from "./pod-network";
import { plannedSubnets, type PlannedSubnet } from "./subnets";

/** EKS asks for at least this many free addresses in each subnet it puts control-plane ENIs in. */
export const CONTROL_PLANE_FREE_ADDRESSES = 6;

export interface NodePlacement {
  group: NodeGroupSpec;
  groupIndex: number;
  az: string;
  nodes: number;
  maxPods: number;
  /** Pods per node that take a VPC address: maxPods less the host-network pods (aws-node, kube-proxy). */
  podAddressesPerNode: number;
  /** Where the nodes' primary interfaces are. */
  nodeSubnet: PlannedSubnet;
  /** Where their pods' addresses come from (the pod subnet with custom networking). */
  podSubnet: PlannedSubnet;
  /** ENIs per node that carry pod addresses, when the node runs maxPods pods. */
  podEnisPerNode: number;
  prefixDelegation: boolean;
}

export interface SubnetDemand {
  subnet: PlannedSubnet;
  usable: number;
  /** Aligned /28 blocks free of AWS's reserved addresses. */
  free28Blocks: number;
  /** Primary addresses of node interfaces (the nodes' own, and ENIs added for pods). */
  interfaceAddresses: number;
  /** Pod addresses in secondary-IP mode. */
  podAddresses: number;
  /** /28 prefixes for pods under prefix delegation. */
  podPrefixes: number;
  /** Fixed needs: NAT gateways, control-plane ENIs. */
  infrastructure: number;
  /** Multus pod ranges reserved in this subnet (explicit CIDR reservations), by network. */
  reservations: Array<{ network: string; cidr: string; addresses: number }>;
  /**
   * A public Multus network's fixed addresses here: each the own address of a node slot's ENI, inside
   * the network's reservation (so counted there, and not again as an interface address), with the
   * pod that takes it and the name of that pod's Elastic IP when a workload runs there.
   */
  fixedAddresses: FixedAddress[];
  nodes: number;
  /** Nodes whose pods take addresses here. */
  podNodes: number;
  placements: NodePlacement[];
}

export interface FixedAddress {
  address: string;
  network: string;
  slot: string;
  pod?: string;
  publicIpName?: string;
}

export interface CapacityPlan {
  placements: NodePlacement[];
  subnets: SubnetDemand[];
  /** Node groups the max-pods table does not know; they place no demand. */
  unknownInstanceTypes: Array<{ group: NodeGroupSpec; groupIndex: number; error: Error }>;
}

export function capacityPlan(env: Environment): CapacityPlan {
  const subnets = plannedSubnets(env.network);
  const find = (role: PlannedSubnet["role"], az: string) => subnets.find((s) => s.role === role && s.az === az);
  const placements: NodePlacement[] = [];
  const slots = nodeSlots(env);
  const unknownInstanceTypes: CapacityPlan["unknownInstanceTypes"] = [];

  env.nodeGroups.forEach((group, groupIndex) => {
    let maxPods: NodeGroupMaxPods;
    try {
      maxPods = nodeGroupMaxPods(group, env);
    } catch (error) {
      unknownInstanceTypes.push({ group, groupIndex, error: error as Error });
      return;
    }
    const zones = zonesOf(env, group);
    const slotsIn = (az: string) => slots.filter((s) => s.groupIndex === groupIndex && s.az === az).length;
    const { computed } = maxPods;
    const slotsPerEni = podSlotsPerEni(computed.ipv4PerEni, computed.prefixDelegation);
    const podAddressesPerNode = Math.max(0, maxPods.maxPods - HOST_NETWORK_PODS);
    for (const az of zones) {
      const nodes = isMultusGroup(group) ? slotsIn(az) : Math.ceil(group.maxSize / zones.length);
      if (nodes === 0 && isMultusGroup(group)) continue;
      const nodeSubnet = find(group.subnet, az);
      const podSubnet = podSubnetOf(podNetworkMode(env.cni), nodeSubnet, () => find("pod", az));
      if (!nodeSubnet || !podSubnet) continue; // reported by the plan checks
      placements.push({
        group,
        groupIndex,
        az,
        nodes,
        maxPods: maxPods.maxPods,
        podAddressesPerNode,
        nodeSubnet,
        podSubnet,
        podEnisPerNode: podEnisFor(maxPods.maxPods, slotsPerEni),
        prefixDelegation: computed.prefixDelegation,
      });
    }
  });

  const natZones = natGatewayZones(env.network);
  const controlPlane = controlPlaneSubnets(env.network);
  const ranges = multusRanges(env);
  const slotAddresses = multusSlotAddresses(env);
  const publicPods = multusPublicPods(env);
  const demands = subnets.map((subnet): SubnetDemand => {
    const block = cidr(subnet.cidr);
    const here = placements.filter((p) => p.nodeSubnet === subnet || p.podSubnet === subnet);
    const nodes = sum(here.filter((p) => p.nodeSubnet === subnet).map((p) => p.nodes));
    const podPlacements = here.filter((p) => p.podSubnet === subnet);
    // With custom networking the primary ENI carries no pods, so every pod ENI is an extra one here;
    // without it, the first pod ENI is the node's primary interface, already counted in `nodes`.
    const extraEnis = sum(podPlacements.map((p) => p.nodes * (p.podEnisPerNode - (p.nodeSubnet === subnet ? 1 : 0))));
    const natHere = subnet.role === "public" && natZones.includes(subnet.az) ? 1 : 0;
    // A Multus subnet holds the Multus interface of its index of every Multus node in its AZ.
    const multusEnis =
      subnet.role === "multus"
        ? slots.filter((s) => s.az === subnet.az && s.group.multusInterfaces >= (subnet.interfaceIndex ?? 1)).length
        : 0;
    const fixedAddresses = slotAddresses
      .filter((a) => subnet.role === "multus" && a.az === subnet.az && a.interfaceIndex === subnet.interfaceIndex)
      .map((a): FixedAddress => {
        const pod = publicPods.find((p) => p.slot.name === a.slot.name && p.spec.networks.includes(a.network.name));
        const publicIpName = pod?.addresses.find((x) => x.slotAddress.network.name === a.network.name)?.publicIpName;
        return {
          address: a.address,
          network: a.network.name,
          slot: a.slot.name,
          ...(pod ? { pod: pod.podKey } : {}),
          ...(publicIpName ? { publicIpName } : {}),
        };
      });
    const controlPlaneHere = controlPlane.some((s) => s.az === subnet.az && s.role === subnet.role);
    return {
      subnet,
      usable: usableAddresses(block),
      free28Blocks: free28Blocks(block),
      interfaceAddresses: nodes + extraEnis + multusEnis - fixedAddresses.length,
      podAddresses: sum(podPlacements.filter((p) => !p.prefixDelegation).map((p) => p.nodes * p.podAddressesPerNode)),
      podPrefixes: sum(
        podPlacements.filter((p) => p.prefixDelegation).map((p) => p.nodes * prefixesNeeded(p.podAddressesPerNode)),
      ),
      infrastructure: natHere + (controlPlaneHere ? CONTROL_PLANE_FREE_ADDRESSES : 0),
      reservations: ranges
        .filter((r) => subnet.role === "multus" && r.az === subnet.az && r.interfaceIndex === subnet.interfaceIndex)
        .map((r) => ({ network: r.network.name, cidr: r.reservationCidr, addresses: cidr(r.reservationCidr).size })),
      fixedAddresses,
      nodes,
      podNodes: sum(podPlacements.map((p) => p.nodes)),
      placements: here,
    };
  });
  return { placements, subnets: demands, unknownInstanceTypes };
}

/** Whether pods take /28 prefixes from this subnet (prefix delegation applies to pods placed here). */
export const takesPodPrefixes = (d: SubnetDemand): boolean =>
  d.placements.some((p) => p.podSubnet === d.subnet && p.prefixDelegation);

/**
 * /28 blocks a prefix-delegated subnet's demand takes: the pod prefixes, and the single addresses
 * (interfaces, gateways, secondary-IP pods) packed into whole blocks, since a block holding any
 * single address can no longer be delegated. Packing is the best case. checkSubnetCapacity counts the
 * same way (it has no secondary-IP pods there), so the report's headroom reaches 0 where its warning starts.
 */
export const prefixBlocksNeeded = (d: SubnetDemand): number =>
  d.podPrefixes +
  Math.ceil(
    (d.interfaceAddresses + d.podAddresses + d.infrastructure + multusReservedAddresses(d)) / ADDRESSES_PER_PREFIX,
  );

/** Addresses the subnet's Multus pod ranges hold back from EC2. */
export const multusReservedAddresses = (d: SubnetDemand): number => d.reservations.reduce((n, r) => n + r.addresses, 0);

/** Addresses a subnet's demand takes in all, prefixes counted as 16 addresses each. */
export const addressesNeeded = (d: SubnetDemand): number =>
  d.interfaceAddresses +
  d.podAddresses +
  d.podPrefixes * ADDRESSES_PER_PREFIX +
  d.infrastructure +
  multusReservedAddresses(d);

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The subnet a node's pods take addresses from under a pod network mode. */
function podSubnetOf(
  mode: PodNetworkMode,
  nodeSubnet: PlannedSubnet | undefined,
  podSubnet: () => PlannedSubnet | undefined,
): PlannedSubnet | undefined {
  switch (mode) {
    case "nodeSubnets":
      return nodeSubnet;
    case "customNetworking":
      return podSubnet();
  }
}
