/**
 * The plan across environments as data: each environment's ranges, the external networks, the
 * organisation's blocks with what lies in them and the free space left, and every problem of the
 * rules across environments (checks/address-plan.ts) and of the files on their own. `npm run
 * --silent ip-plan -- --all` prints it (text or JSON) and `npm run diagram -- --all` draws it.
 */
import { checkAddressPlan, type PlanProblem } from "../checks/address-plan";
import { placedRanges, where, type PlacedRange, type Site } from "../checks/address-plan-ranges";
import { formatPath } from "../environment/problems";
import type { LoadedAddressPlan } from "../load/address-plan";
import { coveredAddresses, largestFreeBlock } from "../plan/address-blocks";
import { cidr, contains } from "../plan/cidr";
import { podRanges, vpcBlocks } from "../plan/network-ranges";
import { networkOrigin, type NetworkOrigin } from "./network-origin";

/** The JSON `npm run --silent ip-plan -- --all --json` prints. Fields are only added; a change of meaning bumps `schemaVersion`. */
export interface AddressPlanReport {
  schemaVersion: 1;
  directory: string;
  networksFile: { file: string; valid: boolean };
  /** `errors` when any file is invalid or any rule across environments fails: the command exits 1. */
  result: "ok" | "errors";
  summary: { environments: number; invalid: number; networks: number; errors: number; warnings: number };
  environments: EnvironmentRow[];
  externalNetworks: Array<{ name: string; kind: string; cidrs: string[]; routed: boolean; description?: string }>;
  /** The organisation's blocks, in the order of the networks file. */
  blocks: BlockRow[];
  /** Ranges in none of the organisation's blocks (all of them when it declares none), in address order. */
  outside: RangeRow[];
  problems: ProblemRow[];
}

export interface EnvironmentRow {
  name: string;
  file: string;
  valid: boolean;
  region?: string;
  cluster?: string;
  network?: NetworkOrigin;
  /** The VPC's blocks; `reusable`: an RFC 6598 pod-only block behind SNAT, which other VPCs may repeat. */
  vpcBlocks?: Array<{ cidr: string; primary: boolean; reusable: boolean }>;
  serviceCidr?: string;
  /** Where its pods take addresses: the pod subnets with custom networking, else its nodes' subnets. */
  podRanges?: string[];
}

export interface BlockRow {
  name: string;
  cidr: string;
  description?: string;
  addresses: number;
  /** Addresses some range of the plan covers (VPC blocks, service ranges, external networks), each counted once. */
  used: number;
  free: number;
  /** free / addresses in percent, rounded down. */
  freePercent: number;
  /** The largest free aligned block, if any. */
  largestFree?: string;
  /** What lies in it, in address order. */
  ranges: RangeRow[];
}

export interface RangeRow {
  cidr: string;
  kind: PlacedRange["kind"];
  /** e.g. "the VPC block of demo", "external network data-centre". */
  what: string;
  note?: string;
  routed: boolean;
  /** VPC blocks: RFC 6598, pod subnets only, behind SNAT: other VPCs may repeat it. */
  reusable?: boolean;
  /** VPC blocks and service ranges: the environment whose file declares the network. */
  network?: string;
}

export interface ProblemRow {
  severity: "error" | "warning";
  id?: string;
  /** The first site: the range to change first (or the file, for a file's own problems). */
  file: string;
  line?: number;
  field: string;
  message: string;
  fix: string;
  sites: Site[];
  /** As the text output prints it: `file:line: severity: field: message` and `  fix: ...`. */
  text: string;
}

export function addressPlanReport(plan: LoadedAddressPlan): AddressPlanReport {
  const { input } = plan;
  const ranges = placedRanges(input);
  const problems = [...fileProblems(plan), ...checkAddressPlan(input).map(problemRow)];
  const errors = problems.filter((p) => p.severity === "error").length;
  const networks = input.networksFile?.networks;
  return {
    schemaVersion: 1,
    directory: plan.directory,
    networksFile: { file: plan.networksFile.file, valid: plan.networksFile.networks !== undefined },
    result: errors > 0 ? "errors" : "ok",
    summary: {
      environments: plan.environments.length,
      invalid: plan.environments.filter((e) => !e.loaded).length,
      networks: input.networks.length,
      errors,
      warnings: problems.length - errors,
    },
    environments: plan.environments.map((e): EnvironmentRow => {
      if (!e.loaded) return { name: e.name, file: e.file, valid: false };
      const { env } = e.loaded;
      const network = input.networks.find((n) => n.members.some((m) => m.env === env));
      return {
        name: e.name,
        file: e.file,
        valid: true,
        region: env.region,
        cluster: env.cluster.name,
        network: networkOrigin(env.network),
        vpcBlocks: vpcBlocks(
          env.network,
          (network?.members ?? []).map((m) => m.env),
        ).map((b) => ({ cidr: b.cidr, primary: b.primary, reusable: b.reusable })),
        serviceCidr: env.cluster.serviceCidr,
        podRanges: podRanges(env),
      };
    }),
    externalNetworks: (networks?.externalNetworks ?? []).map((n) => ({
      name: n.name,
      kind: n.kind,
      cidrs: n.cidrs,
      routed: n.routed,
      ...(n.description === undefined ? {} : { description: n.description }),
    })),
    blocks: (networks?.blocks ?? []).map((b) => blockRow(b, ranges)),
    outside: rangeRows(ranges.filter((r) => !(networks?.blocks ?? []).some((b) => contains(cidr(b.cidr), r.block)))),
    problems,
  };
}

function blockRow(spec: { name: string; cidr: string; description?: string }, ranges: PlacedRange[]): BlockRow {
  const block = cidr(spec.cidr);
  const inside = ranges.filter((r) => contains(block, r.block));
  const blocks = inside.map((r) => r.block);
  const used = coveredAddresses(block, blocks);
  const largest = largestFreeBlock(block, blocks);
  return {
    name: spec.name,
    cidr: block.text,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    addresses: block.size,
    used,
    free: block.size - used,
    freePercent: Math.floor(((block.size - used) * 100) / block.size),
    ...(largest ? { largestFree: largest.text } : {}),
    ranges: rangeRows(inside),
  };
}

/** In address order (larger first at one address), each range once. */
function rangeRows(ranges: PlacedRange[]): RangeRow[] {
  return [...ranges]
    .sort((a, b) => a.block.first - b.block.first || a.block.prefix - b.block.prefix)
    .map((r): RangeRow => ({
      cidr: r.block.text,
      kind: r.kind,
      what: r.what,
      ...(r.note === undefined ? {} : { note: r.note }),
      routed: r.routed,
      ...(r.vpc ? { reusable: r.vpc.reusable } : {}),
      ...(r.networkName === undefined ? {} : { network: r.networkName }),
    }));
}

/** Files that are not valid on their own: each invalid environment, and the networks file. */
function fileProblems(plan: LoadedAddressPlan): ProblemRow[] {
  const rows: ProblemRow[] = plan.environments.flatMap((e) =>
    e.invalid
      ? [
          {
            severity: "error" as const,
            file: e.file,
            field: "(the file)",
            message: `not a valid environment, left out of the plan across environments: ${e.invalid.problems.filter((p) => p.severity === "error").length || 1} error(s)`,
            fix: `correct it (EKS_ENV_FILE=${e.file} npm run --silent ip-plan shows the same problems)`,
            sites: [],
            text: e.invalid.report,
          },
        ]
      : [],
  );
  const networks = plan.networksFile;
  for (const p of networks.problems) {
    const line = networks.locate(p.path);
    const site: Site = {
      file: networks.file,
      ...(line === undefined ? {} : { line }),
      field: formatPath(p.path),
      cidr: "",
    };
    rows.push({
      severity: p.severity,
      file: networks.file,
      ...(line === undefined ? {} : { line }),
      field: site.field,
      message: p.message,
      fix: p.fix,
      sites: [site],
      text: `${where(site)}: ${p.severity}: ${site.field}: ${p.message}\n  fix: ${p.fix}`,
    });
  }
  return rows;
}

function problemRow(p: PlanProblem): ProblemRow {
  const [first] = p.sites;
  const tag = p.id === undefined ? "" : ` [${p.id}]`;
  return {
    severity: p.severity,
    ...(p.id === undefined ? {} : { id: p.id }),
    file: first.file,
    ...(first.line === undefined ? {} : { line: first.line }),
    field: first.field,
    message: p.message,
    fix: p.fix,
    sites: p.sites,
    text: `${where(first)}: ${p.severity}: ${first.field}: ${p.message}${tag}\n  fix: ${p.fix}`,
  };
}
