/**
 * How many addresses each subnet has and how many the plan asks of it, per AZ: the nodes placed
 * there, the pods those nodes may run, the NAT gateway, the control-plane interfaces, the room load
 * balancers need; at maxSize, and what a rollout adds on top. Pure, shared by the environment checks,
 * the prefix reservations and the IP plan report. What one node asks is address-demand.ts's rule.
 *
 * Placement: a node group spreads over its AZs and the Auto Scaling group balances them, so each AZ
 * gets maxSize / AZs nodes, rounded up; scaled out, that is what each subnet must hold. A Multus
 * group has fixed nodes instead (desiredSize slots, round-robin over its AZs), each with one more
 * interface in the AZ's Multus subnet of every interface index it has; on a public network, that
 * interface's address is a fixed one of the network's range.
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import {
  CONTROL_PLANE_ENIS,
  CONTROL_PLANE_UPGRADE_ENIS,
  LOAD_BALANCER_ADDRESSES,
  nodeAddressDemand,
  nodeSurge,
} from "./address-demand";
import { ADDRESSES_PER_PREFIX, cidr, free28Blocks, usableAddresses } from "./cidr";
import { HOST_NETWORK_PODS } from "./max-pods";
import { multusRanges } from "./multus-ranges";
import { multusPublicPods, multusSlotAddresses } from "./multus-public";
import { nodeGroupMaxPods, type NodeGroupMaxPods } from "./node-group-max-pods";
import { isMultusGroup, zonesOf } from "./node-groups";
import { nodeSlots } from "./node-slots";
import { controlPlaneSubnets, natGatewayZones } from "./placement";
import { branchEniSubnet, podNetworkMode, secondaryEniSubnets } from "./pod-network";
import { placePodEnis, type NodePlacement, type SubnetLoad, type SurgeShare } from "./pod-eni-placement";

export type { NodePlacement, SubnetLoad, SurgeShare } from "./pod-eni-placement";
import { invitesLoadBalancers } from "./subnet-tags";
import { plannedSubnets, type PlannedSubnet } from "./subnets";

/** EKS asks for at least this many free addresses in each subnet it puts control-plane ENIs in. */
export const CONTROL_PLANE_FREE_ADDRESSES = 6;
/** What a version upgrade may add in one control-plane subnet: the old ENIs and the new ones side by side. */
export const CONTROL_PLANE_UPGRADE_EXTRA =
  CONTROL_PLANE_ENIS + CONTROL_PLANE_UPGRADE_ENIS - CONTROL_PLANE_FREE_ADDRESSES;

export interface SubnetDemand extends SubnetLoad {
  subnet: PlannedSubnet;
  usable: number;
  /** Aligned /28 blocks free of AWS's reserved addresses. */
  free28Blocks: number;
  /** Addresses kept free for load balancers in a subnet tagged for them. */
  loadBalancers: number;
  /** Multus pod ranges reserved in this subnet (explicit CIDR reservations), by network. */
  reservations: Array<{ network: string; cidr: string; addresses: number }>;
  /**
   * A public Multus network's fixed addresses here: each the own address of a node slot's ENI, inside
   * the network's reservation (so counted there, and not again as an interface address), with the
   * pod that takes it and the name of that pod's Elastic IP when a workload runs there.
   */
  fixedAddresses: FixedAddress[];
  /** Nodes whose first pod address (or /28) comes from here. */
  podNodes: number;
  /** Node groups with nodes or pods here. */
  placements: NodePlacement[];
  /** Of those, the ones whose pods take addresses here. */
  podPlacements: NodePlacement[];
  /**
   * What the worst rollout adds on top of maxSize: every managed group's surge at once (an AMI
   * release rolls them in one deploy), and a control-plane version upgrade's new ENIs.
   */
  surge: SubnetLoad & { shares: SurgeShare[] };
}

export interface FixedAddress {
  address: string;
  network: string;
  slot: string;
  pod?: string;
  /** The pod's Elastic IP on the network; absent when the network releases it (public.release). */
  publicIpName?: string;
}

export interface CapacityPlan {
  placements: NodePlacement[];
  subnets: SubnetDemand[];
  /** Node groups the max-pods table does not know; they place no demand. */
  unknownInstanceTypes: Array<{ group: NodeGroupSpec; groupIndex: number; error: Error }>;
}

/** At maxSize, or with the rollout surge on top. */
export type Scenario = "maxSize" | "rollout";

export function capacityPlan(env: Environment): CapacityPlan {
  const subnets = plannedSubnets(env.network);
  const find = (role: PlannedSubnet["role"], az: string) => subnets.find((s) => s.role === role && s.az === az);
  const mode = podNetworkMode(env.cni);
  const slots = nodeSlots(env);
  const placements: NodePlacement[] = [];
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
    const demand = nodeAddressDemand(maxPods.maxPods, maxPods.computed, env.cni);
    for (const az of zones) {
      const nodes = isMultusGroup(group)
        ? slots.filter((s) => s.groupIndex === groupIndex && s.az === az).length
        : Math.ceil(group.maxSize / zones.length);
      if (nodes === 0 && isMultusGroup(group)) continue;
      const nodeSubnet = find(group.subnet, az);
      if (!nodeSubnet) continue; // reported by the plan checks
      const podSubnets = secondaryEniSubnets(mode, nodeSubnet, find("pod", az));
      const branchSubnet = branchEniSubnet(mode, nodeSubnet, find("pod", az));
      // Custom networking without a pod subnet: reported by the checks.
      if (podSubnets.length === 0 || !branchSubnet) continue;
      placements.push({
        group,
        groupIndex,
        az,
        nodes,
        maxPods: maxPods.maxPods,
        podAddressesPerNode: Math.max(0, maxPods.maxPods - HOST_NETWORK_PODS),
        nodeSubnet,
        podSubnets,
        branchSubnet,
        podEnisPerNode: demand.eniUnits.length,
        prefixDelegation: maxPods.computed.prefixDelegation,
        demand,
        surge: nodeSurge(group, zones.length, nodes),
      });
    }
  });

  const needs = fixedNeeds(env, subnets, slots);
  const placed = placePodEnis(subnets, placements, mode, (s) => {
    const n = needs.get(s)!;
    return n.infrastructure + n.loadBalancers + n.multusEnis + sum(n.reservations.map((r) => r.addresses));
  });
  const demands = subnets.map((subnet): SubnetDemand => {
    const block = cidr(subnet.cidr);
    const load = placed.get(subnet)!;
    const n = needs.get(subnet)!;
    return {
      subnet,
      usable: usableAddresses(block),
      free28Blocks: free28Blocks(block),
      ...load.steady,
      interfaceAddresses: load.steady.interfaceAddresses + n.multusEnis,
      infrastructure: n.infrastructure,
      loadBalancers: n.loadBalancers,
      reservations: n.reservations,
      fixedAddresses: n.fixedAddresses,
      podNodes: load.podNodes,
      placements: placements.filter((p) => p.nodeSubnet === subnet || load.podPlacements.has(p)),
      podPlacements: placements.filter((p) => load.podPlacements.has(p)),
      surge: { ...load.surge, infrastructure: n.surgeInfrastructure, shares: load.surgeShares },
    };
  });
  return { placements, subnets: demands, unknownInstanceTypes };
}

interface FixedNeeds {
  /** NAT gateway, the free addresses EKS wants for control-plane ENIs. */
  infrastructure: number;
  /** A control-plane upgrade's extra ENIs. */
  surgeInfrastructure: number;
  loadBalancers: number;
  /**
   * The Multus interfaces of the Multus nodes of the AZ with this interface index, less those whose
   * address is a public network's fixed one (inside its reservation, counted there).
   */
  multusEnis: number;
  reservations: SubnetDemand["reservations"];
  fixedAddresses: FixedAddress[];
}

/** What every subnet holds apart from node groups' pods: gateways, control plane, load balancers, Multus. */
function fixedNeeds(
  env: Environment,
  subnets: PlannedSubnet[],
  slots: ReturnType<typeof nodeSlots>,
): Map<PlannedSubnet, FixedNeeds> {
  const natZones = natGatewayZones(env.network);
  const controlPlane = controlPlaneSubnets(env.network);
  const ranges = multusRanges(env);
  const slotAddresses = multusSlotAddresses(env);
  const publicPods = multusPublicPods(env);
  return new Map(
    subnets.map((subnet) => {
      const nat = subnet.role === "public" && natZones.includes(subnet.az) ? 1 : 0;
      const controlPlaneHere = controlPlane.some((s) => s.az === subnet.az && s.role === subnet.role);
      const multus = subnet.role === "multus";
      const fixedAddresses = slotAddresses
        .filter((a) => multus && a.az === subnet.az && a.interfaceIndex === subnet.interfaceIndex)
        .map((a): FixedAddress => {
          const pod = publicPods.find((p) => p.slot.name === a.slot.name && p.spec.networks.includes(a.network.name));
          const publicIp = pod?.addresses.find((x) => x.slotAddress.network.name === a.network.name);
          // A released Elastic IP is none: the pod keeps the address without a public one.
          const publicIpName = publicIp && !publicIp.released ? publicIp.publicIpName : undefined;
          return {
            address: a.address,
            network: a.network.name,
            slot: a.slot.name,
            ...(pod ? { pod: pod.podKey } : {}),
            ...(publicIpName ? { publicIpName } : {}),
          };
        });
      return [
        subnet,
        {
          infrastructure: nat + (controlPlaneHere ? CONTROL_PLANE_FREE_ADDRESSES : 0),
          surgeInfrastructure: controlPlaneHere ? CONTROL_PLANE_UPGRADE_EXTRA : 0,
          loadBalancers: invitesLoadBalancers(subnet.role) ? LOAD_BALANCER_ADDRESSES : 0,
          multusEnis: multus
            ? slots.filter((s) => s.az === subnet.az && s.group.multusInterfaces >= (subnet.interfaceIndex ?? 1))
                .length - fixedAddresses.length
            : 0,
          reservations: ranges
            .filter((r) => multus && r.az === subnet.az && r.interfaceIndex === subnet.interfaceIndex)
            .map((r) => ({
              network: r.network.name,
              cidr: r.reservationCidr,
              addresses: cidr(r.reservationCidr).size,
            })),
          fixedAddresses,
        },
      ];
    }),
  );
}

/** Whether pods take /28 prefixes from this subnet (prefix delegation applies to pods placed here). */
export const takesPodPrefixes = (d: SubnetDemand): boolean => d.podPlacements.some((p) => p.prefixDelegation);

/** A subnet's load in a scenario: at maxSize, or with the rollout surge added. */
export function loadOf(d: SubnetDemand, scenario: Scenario = "maxSize"): SubnetLoad {
  const keys = [
    "nodes",
    "interfaceAddresses",
    "podAddresses",
    "warmAddresses",
    "podPrefixes",
    "warmPrefixes",
    "branchAddresses",
    "infrastructure",
  ] as const;
  return Object.fromEntries(
    keys.map((k) => [k, d[k] + (scenario === "rollout" ? d.surge[k] : 0)]),
  ) as unknown as SubnetLoad;
}

/** Addresses the subnet's Multus pod ranges hold back from EC2. */
export const multusReservedAddresses = (d: SubnetDemand): number => sum(d.reservations.map((r) => r.addresses));

/** /28 prefixes pods hold here (theirs and the warm ones). */
export function prefixesHeld(d: SubnetDemand, scenario: Scenario = "maxSize"): number {
  const load = loadOf(d, scenario);
  return load.podPrefixes + load.warmPrefixes;
}

/**
 * Single addresses the subnet must give out, outside any /28 prefix: interfaces (trunks included),
 * secondary-IP pods (and warm addresses), branch ENIs, NAT and control-plane ENIs, the load
 * balancers' room, Multus ranges.
 */
export function singleAddresses(d: SubnetDemand, scenario: Scenario = "maxSize"): number {
  const load = loadOf(d, scenario);
  return (
    load.interfaceAddresses +
    load.podAddresses +
    load.warmAddresses +
    load.branchAddresses +
    load.infrastructure +
    d.loadBalancers +
    multusReservedAddresses(d)
  );
}

/**
 * /28 blocks a prefix-delegated subnet's demand takes: the prefixes, and the single addresses packed
 * into whole blocks, since a block holding any single address can no longer be delegated. Packing is
 * the best case; the prefix reservations (prefix-reservations.ts) make it the real one.
 */
export const prefixBlocksNeeded = (d: SubnetDemand, scenario: Scenario = "maxSize"): number =>
  prefixesHeld(d, scenario) + Math.ceil(singleAddresses(d, scenario) / ADDRESSES_PER_PREFIX);

/** Addresses a subnet's demand takes in all, prefixes counted as 16 addresses each. */
export const addressesNeeded = (d: SubnetDemand, scenario: Scenario = "maxSize"): number =>
  singleAddresses(d, scenario) + prefixesHeld(d, scenario) * ADDRESSES_PER_PREFIX;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
