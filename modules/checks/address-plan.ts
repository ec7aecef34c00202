/**
 * The rules across environments, on top of each environment's own checks: VPCs never overlap each
 * other (environments sharing one network are one network), except RFC 6598 pod-only blocks behind
 * SNAT, which never leave their VPC; a service range overlaps no other environment's routed block
 * (pods cannot reach an address inside their service range), though two clusters' service ranges may
 * coincide; nothing overlaps a routed external network; and, as warnings, overlaps with unrouted
 * external networks, VPC blocks outside the organisation's plan, and shared subnets that the
 * clusters in them fill together. Every problem names both files and lines, both ranges and a fix.
 */
import { firstFreeBlock } from "../plan/address-blocks";
import { contains, overlaps } from "../plan/cidr";
import { addressesNeeded, capacityPlan } from "../plan/capacity";
import { formatPath } from "../environment/problems";
import {
  freeAlternative,
  lead,
  names,
  other,
  organisationBlocks,
  placedRanges,
  siteOf,
  where,
  type AddressPlanInput,
  type PlacedRange,
  type PlanMember,
  type Site,
} from "./address-plan-ranges";

export interface PlanProblem {
  severity: "error" | "warning";
  /** A warning's stable name (errors have none). */
  id?: string;
  message: string;
  fix: string;
  /** The ranges involved, the one to change first. */
  sites: Site[];
}

/** The rules, in the order their problems are listed. */
export function checkAddressPlan(input: AddressPlanInput): PlanProblem[] {
  const ranges = placedRanges(input);
  const problems: PlanProblem[] = [];
  const vpcs = ranges.filter((r) => r.kind === "vpc");
  const services = ranges.filter((r) => r.kind === "service");
  const externals = ranges.filter((r) => r.kind === "external");
  const alternative = (r: PlacedRange) => freeAlternative(input, r.block, ranges);

  vpcs.forEach((a, i) =>
    vpcs.slice(i + 1).forEach((b) => {
      if (a.network === b.network || !overlaps(a.block, b.block) || (!a.routed && !b.routed)) return;
      const routed = b.routed ? b : a;
      problems.push({
        severity: "error",
        message: `${lead(b)} overlaps ${other(a)}; ${routedReason(routed, input)}`,
        fix: `give one of them a block of its own${alternative(b)}; or, if both clusters belong in one VPC, let one take the other's network with network.from`,
        sites: [b.site, a.site],
      });
    }),
  );

  for (const service of services)
    for (const vpc of vpcs.filter((v) => v.routed && v.network !== service.network && overlaps(v.block, service.block)))
      problems.push({
        severity: "error",
        message: `${lead(service)} overlaps ${other(vpc)}; pods of ${service.member!.name} cannot reach those addresses, because kube-proxy takes every address of the service range for a Service`,
        fix: `choose a service range for ${service.member!.name} outside every VPC block${alternative(service)}, or move ${vpc.what}; a service range is fixed at cluster creation: changing it replaces the cluster`,
        sites: [service.site, vpc.site],
      });

  for (const external of externals)
    for (const range of [...vpcs, ...services].filter((r) => overlaps(r.block, external.block))) {
      const pods =
        range.kind === "service" ? `pods of ${range.member!.name} cannot reach` : "traffic cannot tell apart";
      problems.push(
        external.routed
          ? {
              severity: "error",
              message: `${lead(external)} overlaps ${other(range)}; the network is routed to the environments, so ${pods} its addresses${range.kind === "service" ? " inside that service range" : " and the VPC's"}`,
              fix: `move ${range.what} off the network's range${alternative(range)}, or set routed: false if the network never reaches the environments${range.kind === "service" ? "; a service range is fixed at cluster creation: changing it replaces the cluster" : ""}`,
              sites: [external.site, range.site],
            }
          : {
              severity: "warning",
              id: "unrouted-external-overlap",
              message: `${lead(external)} overlaps ${other(range)}; harmless while the network is not routed to the environments, a conflict once it is`,
              fix: `move ${range.what} off the network's range${alternative(range)}, or keep the network unrouted`,
              sites: [external.site, range.site],
            },
      );
    }

  problems.push(...outsideThePlan(input, vpcs, ranges), ...existingVpcsAgree(input), ...sharedSubnets(input));
  return problems;
}

/** Why a block must be unique. */
function routedReason(range: PlacedRange, input: AddressPlanInput): string {
  const vpc = range.vpc!;
  const network = input.networks[range.network!];
  if (vpc.podOnly && !vpc.primary) {
    const snat = network.members.find((m) => m.env.cni.externalSnat && m.env.cni.customNetworking);
    if (snat)
      return `its pods leave their VPC with their own addresses (cni.externalSnat: true in ${snat.name}, ${where(siteOf(snat.file, snat.locate, ["cni", "externalSnat"], ""))}), so the block is routed and no other VPC may use its addresses; pod-only blocks in 100.64.0.0/10 may repeat only behind SNAT`;
    return "only pod-only blocks in 100.64.0.0/10 (RFC 6598) behind SNAT may repeat across VPCs; this one is routed like any other";
  }
  return "VPCs with overlapping blocks cannot be peered or routed to each other, and an address there would name two hosts";
}

/** VPC blocks in none of the organisation's blocks, when the plan declares any. */
function outsideThePlan(input: AddressPlanInput, vpcs: PlacedRange[], ranges: PlacedRange[]): PlanProblem[] {
  const blocks = organisationBlocks(input);
  if (blocks.length === 0 || !input.networksFile) return [];
  return vpcs
    .filter((v) => !blocks.some((b) => contains(b.block, v.block)))
    .map((v) => ({
      severity: "warning" as const,
      id: "outside-address-plan",
      message: `${lead(v)} lies in none of the organisation's blocks (${blocks.map((b) => `${b.name} ${b.block.text}`).join(", ")}, in ${input.networksFile!.file})`,
      fix: `take it from one of those blocks${firstFreeIn(blocks, v, ranges)}, or add a block that holds it to ${input.networksFile!.file}`,
      sites: [v.site],
    }));
}

function firstFreeIn(blocks: ReturnType<typeof organisationBlocks>, v: PlacedRange, ranges: PlacedRange[]): string {
  for (const { name, block } of blocks) {
    const free = firstFreeBlock(
      v.block.prefix,
      block,
      ranges.map((r) => r.block),
    );
    if (free) return `, e.g. ${free.text}, free in block ${name} (${block.text})`;
  }
  return "";
}

/** Environments naming one existing VPC must state the same blocks for it. */
function existingVpcsAgree(input: AddressPlanInput): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const { declaredBy, members } of input.networks) {
    const blocks = (m: PlanMember) => [m.env.network.vpcCidr, ...m.env.network.secondaryCidrs].join(", ");
    for (const member of members.filter((m) => m !== declaredBy && m.env.network.source.kind === "existing"))
      if (blocks(member) !== blocks(declaredBy)) {
        const source = member.env.network.source as { vpcId: string };
        problems.push({
          severity: "error",
          message: `${member.name} states the blocks of ${source.vpcId} as ${blocks(member)}, ${declaredBy.name} (${where(siteOf(declaredBy.file, declaredBy.locate, ["network", "vpcCidr"], ""))}) as ${blocks(declaredBy)}; one VPC has one set of blocks`,
          fix: "state the VPC's blocks as they are in both files (the plan-time check of each network stack compares them with the VPC)",
          sites: [
            siteOf(member.file, member.locate, ["network", "vpcCidr"], member.env.network.vpcCidr),
            siteOf(declaredBy.file, declaredBy.locate, ["network", "vpcCidr"], declaredBy.env.network.vpcCidr),
          ],
        });
      }
  }
  return problems;
}

/**
 * A subnet several clusters use holds all their nodes and pods: each environment's own check counts
 * only its own demand, so the sum is judged here (the NAT gateway once).
 */
function sharedSubnets(input: AddressPlanInput): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const { declaredBy, members } of input.networks.filter((n) => n.members.length > 1)) {
    const plans = members.map((m) => ({ member: m, subnets: capacityPlan(m.env).subnets }));
    for (const subnet of plans[0].subnets) {
      const demands = plans.map((p) => ({
        member: p.member,
        demand: p.subnets.find((d) => d.subnet.cidr === subnet.subnet.cidr),
      }));
      const nat = subnet.infrastructure > 0 && subnet.subnet.role === "public" ? 1 : 0;
      const total =
        demands.reduce((n, d) => n + (d.demand ? addressesNeeded(d.demand) : 0), 0) - nat * (members.length - 1);
      if (total <= subnet.usable) continue;
      const shares = demands.map((d) => `${d.member.name} ${d.demand ? addressesNeeded(d.demand) : 0}`).join(", ");
      problems.push({
        severity: "warning",
        id: "shared-subnet-addresses-short",
        message: `${subnet.subnet.cidr} (${formatPath(subnet.subnet.path)}) has ${subnet.usable} usable addresses, but the clusters in it need ${total} at maxSize together (${shares})`,
        fix: `lower maxSize of the node groups placed there (${names(members)}), or plan a larger subnet in ${declaredBy.file}`,
        sites: [siteOf(declaredBy.file, declaredBy.locate, subnet.subnet.path, subnet.subnet.cidr)],
      });
    }
  }
  return problems;
}
