/**
 * IPv4 CIDR blocks as plain numbers, parsed by `ip-address`. Everything the plan checks need:
 * containment, overlap, and the address arithmetic AWS applies to subnets.
 */
import { Address4 } from "ip-address";

export interface CidrBlock {
  readonly text: string;
  readonly prefix: number;
  /** First and last address, as 32-bit unsigned numbers. */
  readonly first: number;
  readonly last: number;
  readonly size: number;
}

export type ParsedCidr = { ok: true; block: CidrBlock } | { ok: false; reason: string; suggestion?: string };

/** AWS keeps the first four addresses and the last one of every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;
/** Prefix delegation hands out /28 blocks: 16 addresses each. The only definition of that number. */
export const ADDRESSES_PER_PREFIX = 16;

export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf("/");
  const prefix = Number(text.slice(slash + 1));
  if (slash < 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    return { ok: false, reason: `${text} has no valid prefix length (/0 to /32)` };
  }
  if (!Address4.isValid(text)) return { ok: false, reason: `${text} is not a valid IPv4 CIDR block` };
  const address = new Address4(text);
  const network = address.startAddress();
  if (network.correctForm() !== address.addressMinusSuffix) {
    return {
      ok: false,
      reason: `${text} has host bits set (the network address of that block is ${network.correctForm()})`,
      suggestion: `${network.correctForm()}/${prefix}`,
    };
  }
  return { ok: true, block: blockOf(Number(network.bigInt()), prefix) };
}

/** Parses a CIDR the caller knows is valid (e.g. after the checks ran). */
export function cidr(text: string): CidrBlock {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.block;
}

export function parseAddress(text: string): number | undefined {
  if (!Address4.isValid(text) || text.includes("/")) return undefined;
  return Number(new Address4(text).bigInt());
}

export function formatAddress(value: number): string {
  return Address4.fromBigInt(BigInt(value)).correctForm();
}

function blockOf(first: number, prefix: number): CidrBlock {
  const size = 2 ** (32 - prefix);
  return { text: `${formatAddress(first)}/${prefix}`, prefix, first, last: first + size - 1, size };
}

export const contains = (outer: CidrBlock, inner: CidrBlock): boolean =>
  inner.first >= outer.first && inner.last <= outer.last;

export const overlaps = (a: CidrBlock, b: CidrBlock): boolean => a.first <= b.last && b.first <= a.last;

export const containsAddress = (block: CidrBlock, address: number): boolean =>
  address >= block.first && address <= block.last;

/** Addresses of a subnet that can be assigned to interfaces. */
export const usableAddresses = (subnet: CidrBlock): number => Math.max(0, subnet.size - AWS_RESERVED_PER_SUBNET);

/** The addresses AWS keeps in a subnet: network address, VPC router, DNS, future use, broadcast. */
export function awsReservedAddresses(subnet: CidrBlock): number[] {
  return [subnet.first, subnet.first + 1, subnet.first + 2, subnet.first + 3, subnet.last];
}

/**
 * Aligned /28 blocks that contain none of AWS's reserved addresses: what prefix delegation can hand
 * out from an empty subnet. The first and the last block each hold reserved addresses.
 */
export function free28Blocks(subnet: CidrBlock): number {
  if (subnet.prefix > 28) return 0;
  return Math.max(0, subnet.size / ADDRESSES_PER_PREFIX - 2);
}
