/**
 * Subnet CIDR reservations of type `prefix` in every subnet pods take /28 prefixes from, so prefix
 * delegation never fragments: EC2 hands prefixes out of the reserved blocks and never puts a single
 * address there (an ENI's primary, a load balancer, a control-plane ENI), which would spoil a whole
 * /28 and end in InsufficientCidrBlocks (amazon-vpc-cni-k8s #2749, #1836, #1634, #3105).
 *
 * Stable across deploys. Every argument of aws_ec2_subnet_cidr_reservation forces a new one, and two
 * reservations may not overlap, so a reservation that changed would be destroyed and made again, and
 * singles could land in the gap. So a subnet is cut into fixed aligned slots (reservationSlots), and
 * the n-th slot is always the same block, whatever the plan's numbers. More demand (a larger maxSize
 * or maxPods) adds the next slots; less removes the last ones (deleting a reservation unassigns
 * nothing, VPC user guide: "Deleting a subnet reservation does not unassign any IP addresses that
 * are in use"). The first and last /28 hold AWS's reserved addresses and are never reserved.
 *
 * How many: the /28 blocks the subnet's pods hold at the most (address-demand.ts), during a rollout
 * when that fits beside the single addresses the subnet must still give out, else at least at maxSize.
 * The checks refuse a plan whose maxSize reservation does not fit, and warn when the rollout's does not.
 * Pure: `prefixReservations(env)` is what the network stack creates and what `verify` compares.
 */
import type { Environment } from "../environment/schema";
import {
  capacityPlan,
  prefixesHeld,
  singleAddresses,
  takesPodPrefixes,
  type CapacityPlan,
  type Scenario,
  type SubnetDemand,
} from "./capacity";
import { ADDRESSES_PER_PREFIX, AWS_RESERVED_PER_SUBNET, cidr, formatAddress } from "./cidr";
import type { PlannedSubnet } from "./subnets";

/** One place a reservation can take in a subnet: always the same block. */
export interface ReservationSlot {
  cidr: string;
  /** /28 blocks it holds. */
  blocks: number;
}

/**
 * The slots of a subnet, top down: the top sixteenth without its last /28 (which holds the broadcast
 * address), cut into aligned halves, the smallest first (1, 2, 4, ... blocks); the fourteen middle
 * sixteenths whole; the bottom sixteenth without its first /28 (network, router, DNS and reserved
 * addresses), the largest half first. Together they are exactly the subnet's free /28 blocks; a /24
 * or smaller is cut into single /28s. Small demands reserve little, large ones take whole sixteenths.
 */
export function reservationSlots(subnetCidr: string): ReservationSlot[] {
  const subnet = cidr(subnetCidr);
  return slotsOf(subnet.prefix).map(({ start, blocks }) => ({
    cidr: `${formatAddress(subnet.first + start * ADDRESSES_PER_PREFIX)}/${28 - Math.log2(blocks)}`,
    blocks,
  }));
}

/** Slots of a subnet of this prefix length, as offsets in /28 blocks from its start. */
function slotsOf(subnetPrefix: number): Array<{ start: number; blocks: number }> {
  if (subnetPrefix > 26) return []; // a /27 or /28 has no /28 clear of AWS's reserved addresses
  const cellPrefix = Math.min(28, subnetPrefix + 4);
  const cell = 2 ** (28 - cellPrefix);
  const cells = 2 ** (cellPrefix - subnetPrefix);
  const out: Array<{ start: number; blocks: number }> = [];
  const top = (cells - 1) * cell;
  for (let size = 1; size < cell; size *= 2) out.push({ start: top + cell - 2 * size, blocks: size });
  for (let c = cells - 2; c >= 1; c--) out.push({ start: c * cell, blocks: cell });
  for (let size = cell / 2; size >= 1; size /= 2) out.push({ start: size, blocks: size });
  return out;
}

/** /28 blocks the first n slots of a subnet of this prefix length hold. */
const slotBlocks = (subnetPrefix: number) => {
  let total = 0;
  return [0, ...slotsOf(subnetPrefix).map((s) => (total += s.blocks))];
};

/**
 * The longest subnet prefix (the smallest subnet, /16 at the largest) whose slots reserve `prefixes`
 * /28 blocks and still leave `singles` usable addresses outside them.
 */
export function smallestSubnetHolding(prefixes: number, singles: number): number {
  for (let prefix = 28; prefix > 16; prefix--) {
    const cumulative = slotBlocks(prefix);
    const n = cumulative.findIndex((blocks) => blocks >= prefixes);
    const usable = 2 ** (32 - prefix) - AWS_RESERVED_PER_SUBNET;
    if (n >= 0 && usable - cumulative[n] * ADDRESSES_PER_PREFIX >= singles) return prefix;
  }
  return 16;
}

export interface PrefixReservation {
  cidr: string;
  /** Its slot in the subnet (reservationSlots), 1 at the top. */
  index: number;
  /** /28 blocks it holds. */
  blocks: number;
  subnet: Pick<PlannedSubnet, "role" | "az" | "cidr" | "interfaceIndex">;
}

/** What a subnet needs reserved in one scenario. */
export interface ReservationNeed {
  /** /28 prefixes the pods hold (theirs and the warm ones). */
  prefixes: number;
  /** Slots those take (the first n; every slot there is when they do not fit). */
  reservations: number;
  /** /28 blocks those slots hold. */
  reservedBlocks: number;
  /** Single addresses the subnet must give out besides. */
  singles: number;
  /** Whether the slots hold the prefixes and leave the singles enough room outside them. */
  fits: boolean;
  /**
   * /28 blocks this takes of the subnet's free ones: the reserved blocks, and the blocks single
   * addresses need beyond the room the first and last /28 leave them. At most free28Blocks exactly
   * when it fits, so the IP plan's headroom and the check agree.
   */
  blocksUsed: number;
}

export interface SubnetPrefixReservations {
  demand: SubnetDemand;
  slots: ReservationSlot[];
  atMaxSize: ReservationNeed;
  duringRollout: ReservationNeed;
  /** What the plan reserves, top down. */
  reservations: PrefixReservation[];
  /** Usable addresses outside the reservations: interfaces, gateways, load balancers, control-plane ENIs. */
  outsideAddresses: number;
}

/** /28 blocks the first n slots hold, n = 0 .. slots. */
const cumulativeBlocks = (slots: readonly ReservationSlot[]) => {
  let total = 0;
  return [0, ...slots.map((s) => (total += s.blocks))];
};

function need(d: SubnetDemand, slots: readonly ReservationSlot[], scenario: Scenario): ReservationNeed {
  const cumulative = cumulativeBlocks(slots);
  const prefixes = prefixesHeld(d, scenario);
  const singles = singleAddresses(d, scenario);
  const first = cumulative.findIndex((blocks) => blocks >= prefixes);
  const reservations = first < 0 ? slots.length : first;
  const reservedBlocks = first < 0 ? prefixes : cumulative[first];
  // The first and last /28 (and the room a /27 or /28 has) take singles first; beyond, whole blocks.
  const edge = d.usable - d.free28Blocks * ADDRESSES_PER_PREFIX;
  const singleBlocks = Math.ceil(Math.max(0, singles - edge) / ADDRESSES_PER_PREFIX);
  return {
    prefixes,
    reservations,
    reservedBlocks,
    singles,
    fits: first >= 0 && d.usable - reservedBlocks * ADDRESSES_PER_PREFIX >= singles,
    blocksUsed: reservedBlocks + singleBlocks,
  };
}

/** The most slots, up to `most`, that leave `singles` room outside them. */
export function mostThatFit(d: SubnetDemand, slots: readonly ReservationSlot[], most: number, singles: number): number {
  const cumulative = cumulativeBlocks(slots);
  let n = Math.min(most, slots.length);
  while (n > 0 && d.usable - cumulative[n] * ADDRESSES_PER_PREFIX < singles) n--;
  return n;
}

/** The reservations of every subnet pods take prefixes from, with what they are sized on. */
export function subnetPrefixReservations(plan: CapacityPlan): SubnetPrefixReservations[] {
  return plan.subnets.filter(takesPodPrefixes).map((d) => {
    const slots = reservationSlots(d.subnet.cidr);
    const atMaxSize = need(d, slots, "maxSize");
    const duringRollout = need(d, slots, "rollout");
    // The rollout's reservations where they fit beside its singles, else as many as fit, never
    // fewer than maxSize's (when even those do not fit, the checks refuse the plan).
    let count = mostThatFit(d, slots, duringRollout.reservations, duringRollout.singles);
    if (count < atMaxSize.reservations) count = mostThatFit(d, slots, duringRollout.reservations, atMaxSize.singles);
    if (count < atMaxSize.reservations) count = atMaxSize.reservations;
    const { role, az, cidr: subnetCidr, interfaceIndex } = d.subnet;
    const reservations = slots.slice(0, count).map((slot, i) => ({
      cidr: slot.cidr,
      index: i + 1,
      blocks: slot.blocks,
      subnet: { role, az, cidr: subnetCidr, ...(interfaceIndex === undefined ? {} : { interfaceIndex }) },
    }));
    const reserved = cumulativeBlocks(slots)[count];
    return {
      demand: d,
      slots,
      atMaxSize,
      duringRollout,
      reservations,
      outsideAddresses: d.usable - reserved * ADDRESSES_PER_PREFIX,
    };
  });
}

/** Every prefix reservation of the plan, subnet by subnet in plan order, top down in each. */
export function prefixReservations(env: Environment): PrefixReservation[] {
  // Only the VPC's creator reserves: reservations are fixed slots of a subnet, so two environments
  // reserving in one subnet would claim the same blocks (EC2 refuses overlapping ones), and a prefix
  // reservation serves every interface of its subnet, whichever cluster's it is.
  if (env.network.source.kind !== "own") return [];
  return subnetPrefixReservations(capacityPlan(env)).flatMap((s) => s.reservations);
}

/**
 * The description every prefix reservation carries. It forces replacement like every argument, so
 * it holds nothing that changes with the plan's numbers.
 */
export const prefixReservationDescription = (clusterName: string): string =>
  `Pod /28 prefixes (VPC CNI prefix delegation) of EKS cluster ${clusterName}`;
