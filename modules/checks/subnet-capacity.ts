/**
 * The subnets against what the plan asks of them (plan/capacity.ts, by address-demand.ts's one rule):
 * room for the nodes at all (error); in a subnet pods take /28 prefixes from, prefix reservations
 * that hold the pods' prefixes at maxSize (error) and through a rollout (warning); elsewhere, room for
 * the pods at maxSize and through a rollout (warnings).
 */
import type { Environment } from "../environment/schema";
import { error, warning, type Problem } from "../environment/problems";
import { addressesNeeded, capacityPlan, takesPodPrefixes, type SubnetDemand } from "../plan/capacity";
import { AWS_RESERVED_PER_SUBNET } from "../plan/cidr";
import { primaryEniServesPods, podNetworkMode } from "../plan/pod-network";
import {
  mostThatFit,
  smallestSubnetHolding,
  subnetPrefixReservations,
  type SubnetPrefixReservations,
} from "../plan/prefix-reservations";

/** Smallest subnet prefix length whose usable addresses reach `addresses`. */
function prefixHolding(addresses: number): number {
  for (let prefix = 28; prefix >= 16; prefix--) {
    if (2 ** (32 - prefix) - AWS_RESERVED_PER_SUBNET >= addresses) return prefix;
  }
  return 16;
}

const describeSubnet = (d: SubnetDemand): string => `${d.subnet.cidr} (${d.subnet.role}, ${d.subnet.az})`;
const nodes = (n: number) => `${n} node${n === 1 ? "" : "s"}`;

function podsPhrase(d: SubnetDemand): string {
  return d.podPlacements.map((p) => `${p.group.name}: ${nodes(p.nodes)} x ${p.maxPods} pods`).join(", ");
}

/** What a rollout adds here, group by group: "ng-2-workers: 2 more nodes in a rollout". */
function surgePhrase(d: SubnetDemand): string {
  return [
    ...d.surge.shares.map(({ placement: p, nodes: n }) => {
      const why =
        p.surge.kind === "replacement"
          ? "while the whole group is replaced beside the old one"
          : `in a rollout (EKS adds the larger of twice the group's AZs and its maxUnavailable ${p.group.maxUnavailable})`;
      return `${p.group.name}: ${n} more ${n === 1 ? "node" : "nodes"} ${why}`;
    }),
    ...(d.surge.infrastructure > 0
      ? [`a control-plane upgrade: ${d.surge.infrastructure} more addresses for new ENIs beside the old ones`]
      : []),
  ].join("; ");
}

export function checkSubnetCapacity(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const plan = capacityPlan(env);
  const reserved = new Map(subnetPrefixReservations(plan).map((r) => [r.demand, r]));
  const primaryServes = primaryEniServesPods(podNetworkMode(env.cni));
  for (const d of plan.subnets) {
    const prefixDelegated = takesPodPrefixes(d);
    // Hard minimum: every node its own interface, an ENI for each node whose pods live here while
    // its primary is elsewhere, one pod address (or /28) each, and the fixed needs.
    const interfacesForPods = primaryServes ? 0 : d.podNodes;
    const minimum = d.nodes + interfacesForPods + d.infrastructure + (prefixDelegated ? 0 : d.podNodes);
    if (d.usable < minimum) {
      problems.push(
        error(
          d.subnet.path,
          `${describeSubnet(d)} has ${d.usable} usable addresses (AWS keeps ${AWS_RESERVED_PER_SUBNET}), fewer than the ${minimum} its nodes, gateways and control-plane interfaces need at the least`,
          `use a /${prefixHolding(minimum)} or larger, or lower maxSize of the node groups placed there`,
        ),
      );
      continue;
    }
    if (prefixDelegated && d.free28Blocks < d.podNodes) {
      problems.push(
        error(
          d.subnet.path,
          `${describeSubnet(d)} has ${d.free28Blocks} free /28 blocks for prefix delegation, fewer than its ${d.podNodes} nodes (one /28 each at the least); pods would fail with InsufficientCidrBlocks`,
          `use a /${smallestSubnetHolding(d.podNodes, 0)} or larger pod subnet, or lower maxSize`,
        ),
      );
      continue;
    }
    const reservations = reserved.get(d);
    if (reservations) problems.push(...prefixProblems(reservations));
    else problems.push(...addressProblems(d));
  }
  return problems;
}

/** What a subnet's single addresses are for, naming the branch ENIs of security groups for pods where there are any. */
const singlesPhrase = (d: SubnetDemand): string =>
  d.branchAddresses > 0
    ? `interfaces (trunk ENIs included), ${d.branchAddresses} branch ENIs of pods with security groups of their own, gateways, load balancers, control-plane ENIs`
    : "interfaces, gateways, load balancers, control-plane ENIs";

/** /28 blocks that can be reserved while `singles` addresses stay outside them. */
const roomFor = (r: SubnetPrefixReservations, singles: number) =>
  r.slots.slice(0, mostThatFit(r.demand, r.slots, r.slots.length, singles)).reduce((n, s) => n + s.blocks, 0);

function prefixProblems(r: SubnetPrefixReservations): Problem[] {
  const d = r.demand;
  const { atMaxSize: max, duringRollout: rollout } = r;
  if (!max.fits) {
    return [
      error(
        d.subnet.path,
        `${describeSubnet(d)} cannot reserve the /28 blocks its pods need at maxSize: ${podsPhrase(d)} hold ${max.prefixes} prefixes (${d.warmPrefixes} of them warm), but beside the ${max.singles} single addresses the subnet must also give out (${singlesPhrase(d)}) at most ${roomFor(r, max.singles)} of its ${d.free28Blocks} free blocks can be reserved; pods beyond that fail with InsufficientCidrBlocks`,
        `use a /${smallestSubnetHolding(rollout.prefixes, rollout.singles)} or larger subnet, or lower maxPods or maxSize`,
      ),
    ];
  }
  if (rollout.fits) return [];
  return [
    warning(
      d.subnet.path,
      `${describeSubnet(d)} holds its pods' ${max.prefixes} /28 prefixes at maxSize, but not through a rollout: ${surgePhrase(d)} bring it to ${rollout.prefixes} prefixes and ${rollout.singles} single addresses, and at most ${roomFor(r, rollout.singles)} blocks can be reserved beside those addresses; new nodes' pods wait for addresses until old nodes are gone`,
      `use a /${smallestSubnetHolding(rollout.prefixes, rollout.singles)} or larger subnet, lower maxSize or maxPods, or lower maxUnavailable`,
      "rollout-surge-capacity",
    ),
  ];
}

function addressProblems(d: SubnetDemand): Problem[] {
  const atMaxSize = addressesNeeded(d, "maxSize");
  const duringRollout = addressesNeeded(d, "rollout");
  if (atMaxSize > d.usable) {
    return [
      warning(
        d.subnet.path,
        `${describeSubnet(d)} has ${d.usable} usable addresses, but ${d.podNodes > 0 ? podsPhrase(d) + " and their interfaces" : "its interfaces"} need ${atMaxSize}; pods beyond that stay Pending`,
        `use a /${prefixHolding(atMaxSize)} or larger subnet, or lower maxPods or maxSize`,
        "subnet-capacity",
      ),
    ];
  }
  if (duringRollout <= d.usable) return [];
  return [
    warning(
      d.subnet.path,
      `${describeSubnet(d)} has ${d.usable} usable addresses: enough for the ${atMaxSize} it needs at maxSize, not for the ${duringRollout} during a rollout (${surgePhrase(d)}); new nodes or interfaces fail to start until old ones are gone`,
      `use a /${prefixHolding(duringRollout)} or larger subnet, lower maxSize, or lower maxUnavailable`,
      "rollout-surge-capacity",
    ),
  ];
}
