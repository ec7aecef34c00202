/**
 * How a live subnet's addresses are used, from its interfaces (addresses and delegated /28 prefixes)
 * and its CIDR reservations: what is free for single addresses, how many aligned /28 blocks are free
 * for prefixes, and whose the used addresses are (the plan's, or something it does not count).
 */
import {
  ADDRESSES_PER_PREFIX,
  awsReservedAddresses,
  cidr,
  containsAddress,
  parseAddress,
  type CidrBlock,
} from "../plan/cidr";

export interface SpaceInterface {
  id: string;
  addresses: readonly string[];
  /** Delegated /28 prefixes, as CIDRs. */
  prefixes: readonly string[];
  /** Whether the plan counts it (a node's, a pod's, a Multus, NAT or control-plane interface). */
  own: boolean;
}

export interface SpaceReservation {
  cidr: string;
  /** `prefix` blocks stay free for prefixes; `explicit` ones are out of EC2's hands. */
  type: string;
  /** Whether the plan makes it. */
  planned: boolean;
}

export interface SubnetSpace {
  /** Addresses AWS lets interfaces have: all but its 5 reserved ones. */
  usable: number;
  /** Usable addresses on no interface and in no explicit reservation. */
  freeAddresses: number;
  /** Aligned /28 blocks wholly free (none of AWS's, no interface's address or prefix, no explicit reservation). */
  free28Blocks: number;
  /** Addresses the plan holds now: on its interfaces, or in its explicit reservations. */
  ownAddresses: number;
  /** Addresses held by interfaces or explicit reservations the plan does not count. */
  foreignAddresses: number;
  /** /28 prefixes delegated to the plan's interfaces. */
  delegatedPrefixes: number;
  /** Interfaces the plan does not count that hold addresses here, by id. */
  foreignInterfaces: string[];
}

/** What holds an address. */
const Use = { Free: 0, Aws: 1, Own: 2, Foreign: 3 } as const;
type Use = (typeof Use)[keyof typeof Use];

export function subnetSpace(
  subnetCidr: string,
  interfaces: readonly SpaceInterface[],
  reservations: readonly SpaceReservation[],
): SubnetSpace {
  const subnet = cidr(subnetCidr);
  const use = new Uint8Array(subnet.size);
  const mark = (address: number, to: Use) => {
    if (!containsAddress(subnet, address)) return;
    const i = address - subnet.first;
    // An interface's hold wins over a reservation's; AWS's reserved addresses stay AWS's.
    if (use[i] === Use.Free || (use[i] === Use.Foreign && to === Use.Own)) use[i] = to;
  };
  for (const address of awsReservedAddresses(subnet)) mark(address, Use.Aws);
  let delegatedPrefixes = 0;
  const foreignInterfaces = new Set<string>();
  for (const eni of interfaces) {
    const who = eni.own ? Use.Own : Use.Foreign;
    const before = count(use, who);
    for (const text of eni.addresses) {
      const address = parseAddress(text);
      if (address !== undefined) mark(address, who);
    }
    for (const prefix of eni.prefixes) {
      const block = tryCidr(prefix);
      if (!block) continue;
      if (eni.own && containsAddress(subnet, block.first)) delegatedPrefixes++;
      for (let a = block.first; a <= block.last; a++) mark(a, who);
    }
    if (!eni.own && count(use, who) > before) foreignInterfaces.add(eni.id);
  }
  for (const reservation of reservations) {
    const block = tryCidr(reservation.cidr);
    if (!block || reservation.type !== "explicit") continue;
    for (let a = block.first; a <= block.last; a++) mark(a, reservation.planned ? Use.Own : Use.Foreign);
  }
  return {
    usable: subnet.size - count(use, Use.Aws),
    freeAddresses: count(use, Use.Free),
    free28Blocks: freeBlocks(use, subnet),
    ownAddresses: count(use, Use.Own),
    foreignAddresses: count(use, Use.Foreign),
    delegatedPrefixes,
    foreignInterfaces: [...foreignInterfaces],
  };
}

function count(use: Uint8Array, what: Use): number {
  let n = 0;
  for (const u of use) if (u === what) n++;
  return n;
}

/** Blocks aligned on 16 addresses (a /28's boundary), all of whose addresses are free. */
function freeBlocks(use: Uint8Array, subnet: CidrBlock): number {
  if (subnet.prefix > 28) return 0;
  let blocks = 0;
  for (let start = 0; start < use.length; start += ADDRESSES_PER_PREFIX) {
    if (use.subarray(start, start + ADDRESSES_PER_PREFIX).every((u) => u === Use.Free)) blocks++;
  }
  return blocks;
}

function tryCidr(text: string): CidrBlock | undefined {
  try {
    return cidr(text);
  } catch {
    return undefined;
  }
}
