/**
 * What the plan across environments is made of: the networks (each with the environments whose
 * clusters run in it), the organisation's blocks and the external networks, flattened into ranges
 * that each know where they are declared and whether they are routed. Pure; the loader builds the
 * input (load/address-plan.ts), the rules judge the ranges (address-plan.ts).
 */
import { formatPath, type FieldPath, type Locator } from "../environment/problems";
import type { NetworksFile } from "../environment/networks-schema";
import type { Environment } from "../environment/schema";
import { RFC1918, RFC6598, firstFreeBlock } from "../plan/address-blocks";
import { cidr, contains, type CidrBlock } from "../plan/cidr";
import { vpcBlocks, type VpcBlock } from "../plan/network-ranges";

/** An environment of the plan, valid on its own. */
export interface PlanMember {
  name: string;
  /** As shown in messages. */
  file: string;
  env: Environment;
  locate: Locator;
}

/** One VPC: the file that declares its blocks, and every environment whose cluster runs in it. */
export interface PlannedNetwork {
  declaredBy: PlanMember;
  members: PlanMember[];
}

export interface PlanNetworksFile {
  file: string;
  locate: Locator;
  networks: NetworksFile;
}

export interface AddressPlanInput {
  networks: PlannedNetwork[];
  /** Undefined when there is none, or it is invalid (its problems are reported apart). */
  networksFile?: PlanNetworksFile;
}

/** Where a range is declared. */
export interface Site {
  file: string;
  line?: number;
  /** The field, e.g. network.vpcCidr or externalNetworks[0].cidrs[0]. */
  field: string;
  cidr: string;
}

export interface PlacedRange {
  block: CidrBlock;
  kind: "vpc" | "service" | "external";
  /** Whether its addresses are seen beyond its VPC (a VPC block that is not reusable; a routed external network). */
  routed: boolean;
  site: Site;
  /** e.g. "the VPC block of demo", "the service range of demo", "external network data-centre". */
  what: string;
  /** More about it, e.g. "shared by public-pods". */
  note?: string;
  /** The index of its network in the input (VPC blocks and service ranges). */
  network?: number;
  /** The environment that declares that network (VPC blocks and service ranges). */
  networkName?: string;
  /** VPC blocks: how the network's file declares it. */
  vpc?: VpcBlock;
  /** Service ranges: whose. */
  member?: PlanMember;
}

export const siteOf = (file: string, locate: Locator, path: FieldPath, text: string): Site => {
  const line = locate(path);
  return { file, ...(line === undefined ? {} : { line }), field: formatPath(path), cidr: text };
};

/** As the first site of a problem: `172.16.0.0/16 (the VPC block of demo, shared by public-pods)`. */
export const lead = (r: PlacedRange): string => `${r.site.cidr} (${r.what}${r.note ? `, ${r.note}` : ""})`;

/** As the other site: `the VPC block of demo 172.16.0.0/16 (network.vpcCidr at environments/demo.yaml:8; shared by ...)`. */
export const other = (r: PlacedRange): string =>
  `${r.what} ${r.site.cidr} (${r.site.field} at ${where(r.site)}${r.note ? `; ${r.note}` : ""})`;

/** `environments/demo.yaml:9` */
export const where = (site: Site): string => (site.line === undefined ? site.file : `${site.file}:${site.line}`);

export const names = (members: readonly PlanMember[]): string => members.map((m) => m.name).join(", ");

/** Every range of the plan: VPC blocks once per network, service ranges per environment, external networks. */
export function placedRanges(input: AddressPlanInput): PlacedRange[] {
  const out: PlacedRange[] = [];
  input.networks.forEach((network, index) => {
    const { declaredBy, members } = network;
    const others = members.filter((m) => m !== declaredBy);
    const note = others.length > 0 ? { note: `shared by ${names(others)}` } : {};
    for (const block of vpcBlocks(
      declaredBy.env.network,
      members.map((m) => m.env),
    )) {
      out.push({
        block: cidr(block.cidr),
        kind: "vpc",
        routed: !block.reusable,
        site: siteOf(declaredBy.file, declaredBy.locate, block.path, block.cidr),
        what: `the ${block.primary ? "VPC block" : "secondary VPC block"} of ${declaredBy.name}`,
        ...note,
        network: index,
        networkName: declaredBy.name,
        vpc: block,
      });
    }
    for (const member of members) {
      const text = member.env.cluster.serviceCidr;
      out.push({
        block: cidr(text),
        kind: "service",
        routed: true,
        site: siteOf(member.file, member.locate, ["cluster", "serviceCidr"], text),
        what: `the service range of ${member.name}`,
        network: index,
        networkName: declaredBy.name,
        member,
      });
    }
  });
  const file = input.networksFile;
  file?.networks.externalNetworks.forEach((net, i) =>
    net.cidrs.forEach((text, j) =>
      out.push({
        block: cidr(text),
        kind: "external",
        routed: net.routed,
        site: siteOf(file.file, file.locate, ["externalNetworks", i, "cidrs", j], text),
        what: `external network ${net.name}`,
        note: `${net.kind}, ${net.routed ? "routed" : "not routed"}`,
      }),
    ),
  );
  return out;
}

/** The organisation's blocks, parsed. */
export function organisationBlocks(input: AddressPlanInput): Array<{ name: string; block: CidrBlock }> {
  return (input.networksFile?.networks.blocks ?? []).map((b) => ({ name: b.name, block: cidr(b.cidr) }));
}

/**
 * A free block of the same size as `near`, for a fix: in the organisation's block that holds it,
 * else in the RFC 1918 or RFC 6598 range that does; clear of every range of the plan.
 */
export function freeAlternative(input: AddressPlanInput, near: CidrBlock, ranges: readonly PlacedRange[]): string {
  const named = organisationBlocks(input).find((b) => contains(b.block, near));
  const container = named?.block ?? [...RFC1918, RFC6598].find((r) => contains(r, near));
  if (!container) return "";
  const free = firstFreeBlock(
    near.prefix,
    container,
    ranges.map((r) => r.block),
  );
  if (!free) return "";
  return `, e.g. ${free.text}, free in ${named ? `block ${named.name} (${container.text})` : container.text}`;
}
