/**
 * Address arithmetic over many ranges at once, for the plan across environments: how much of a
 * block other ranges cover, what is left as CIDR blocks, and the first free block of a size. Pure.
 */
import { cidr, type CidrBlock } from "./cidr";

/** RFC 6598 shared address space: AWS accepts it as a secondary VPC block; pods behind SNAT may reuse it. */
export const RFC6598 = cidr("100.64.0.0/10");
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(cidr);

type Interval = [first: number, last: number];

/** The ranges clipped to `within` and merged into disjoint intervals, in address order. */
function covering(within: CidrBlock, ranges: readonly CidrBlock[]): Interval[] {
  const clipped = ranges
    .filter((r) => r.first <= within.last && r.last >= within.first)
    .map((r): Interval => [Math.max(r.first, within.first), Math.min(r.last, within.last)])
    .sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [first, last] of clipped) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** Addresses of `within` that at least one of the ranges covers. */
export function coveredAddresses(within: CidrBlock, ranges: readonly CidrBlock[]): number {
  return covering(within, ranges).reduce((n, [first, last]) => n + last - first + 1, 0);
}

/** The largest aligned CIDR blocks that tile [first, last], in address order. */
function tile(first: number, last: number): CidrBlock[] {
  const out: CidrBlock[] = [];
  let at = first;
  while (at <= last) {
    let size = 1;
    // Grow while the block stays aligned at `at` and inside the interval.
    while (at % (size * 2) === 0 && at + size * 2 - 1 <= last && size < 2 ** 32) size *= 2;
    out.push(blockAt(at, 32 - Math.log2(size)));
    at += size;
  }
  return out;
}

/** What of `within` none of the ranges covers, as aligned CIDR blocks in address order. */
export function freeBlocks(within: CidrBlock, ranges: readonly CidrBlock[]): CidrBlock[] {
  const out: CidrBlock[] = [];
  let next = within.first;
  for (const [first, last] of covering(within, ranges)) {
    if (first > next) out.push(...tile(next, first - 1));
    next = last + 1;
  }
  if (next <= within.last) out.push(...tile(next, within.last));
  return out;
}

/** The largest free block of `within` (the first of the largest), if any address is free. */
export function largestFreeBlock(within: CidrBlock, ranges: readonly CidrBlock[]): CidrBlock | undefined {
  return freeBlocks(within, ranges).reduce<CidrBlock | undefined>((a, b) => (!a || b.size > a.size ? b : a), undefined);
}

/** The first aligned block of the prefix inside `within` that overlaps none of the ranges. */
export function firstFreeBlock(prefix: number, within: CidrBlock, ranges: readonly CidrBlock[]): CidrBlock | undefined {
  if (prefix < within.prefix) return undefined;
  const size = 2 ** (32 - prefix);
  for (const free of freeBlocks(within, ranges)) {
    const start = Math.ceil(free.first / size) * size;
    if (start + size - 1 <= free.last) return blockAt(start, prefix);
  }
  return undefined;
}

function blockAt(first: number, prefix: number): CidrBlock {
  const address = [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join(".");
  return cidr(`${address}/${prefix}`);
}
