/**
 * Maintainer tool: regenerates modules/plan/instance-types.data.json from the AWS-published reference
 * data in ../shared/reference. The product never reads that directory; it ships the JSON.
 *
 *   npm run refresh-instance-types -- [--reference-dir DIR] [--check]
 *
 * --check writes nothing and exits 1 when the shipped JSON is out of date.
 * Output is deterministic (types sorted, fixed field order) so refreshes diff cleanly.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runFlagCommand } from "./command";
import { INSTANCE_TYPE_FIELDS } from "../modules/plan/instance-types";

export const DEFAULT_REFERENCE_DIR = resolve(__dirname, "../../shared/reference");
export const INSTANCE_TYPES_JSON = resolve(__dirname, "../modules/plan/instance-types.data.json");

const ENI_LIMITS = "eni-limits.tsv";
const VCPUS = "instance-vcpu-karpenter.tsv";
const TRUNKING = "eni-trunking.tsv";

/** Column order of each entry in "types": the one instance-types.ts decodes by. */
export const FIELDS = INSTANCE_TYPE_FIELDS;

type Row = Record<string, string>;

function readTsv(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const columns = header.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]));
  });
}

function integer(row: Row, column: string): number {
  const value = Number(row[column]);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${row.instance_type}: column ${column} is not a whole number: "${row[column]}"`);
  }
  return value;
}

/**
 * vCPUs implied by an EC2 size name: large = 2, xlarge = 4, Nxlarge = 4N. Only used for types the
 * vCPU table lacks, and only in families whose published sizes all follow it (HPC families, with
 * SMT off, do not). Sizes without a fixed ratio (nano..medium, metal) give null.
 */
export function vcpusFromSizeName(instanceType: string): number | null {
  const size = instanceType.slice(instanceType.indexOf(".") + 1);
  if (size === "large") return 2;
  const match = /^(\d*)xlarge$/.exec(size);
  if (!match) return null;
  return 4 * (match[1] === "" ? 1 : Number(match[1]));
}

/**
 * CPU architecture implied by an EC2 family name: Graviton families carry a "g" after the generation
 * (m6g, c7gn, r8gd, t4g, im4gn, is4gen) and a1 is Graviton 1. Used only for types the published table
 * lacks; Mac instances, which EKS cannot use, get none.
 */
export function archFromFamily(instanceType: string): "amd64" | "arm64" | null {
  const family = familyOf(instanceType);
  if (family.startsWith("mac")) return null;
  return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "amd64";
}

export function familyOf(instanceType: string): string {
  return instanceType.split(".")[0];
}

/**
 * [trunking, branchInterfaces] of a type: whether it takes a trunk ENI, and how many branch ENIs;
 * [null, null] when the trunking table does not list it (types newer than that table). Both tables
 * describe the same interfaces, so their IPv4 addresses per interface must agree.
 */
function trunkingOf(limits: Row, row: Row | undefined): [boolean | null, number | null] {
  if (!row) return [null, null];
  const type = limits.instance_type;
  if (!["true", "false"].includes(row.is_trunking_compatible))
    throw new Error(`${type}: is_trunking_compatible "${row.is_trunking_compatible}"`);
  if (integer(row, "ipv4_per_interface") !== integer(limits, "ipv4_per_eni")) {
    throw new Error(
      `${type}: ${TRUNKING} has ${row.ipv4_per_interface} IPv4 addresses per interface, ${ENI_LIMITS} ${limits.ipv4_per_eni}; refresh both tables`,
    );
  }
  const compatible = row.is_trunking_compatible === "true";
  return [compatible, compatible ? integer(row, "branch_interfaces") : 0];
}

/** "Published in" column of the reference README's table, so the JSON names its upstream origins. */
function upstreamOrigins(referenceDir: string, files: string[]): Record<string, string> {
  const readme = readFileSync(join(referenceDir, "README.md"), "utf8");
  const origins: Record<string, string> = {};
  for (const file of files) {
    const row = readme.split("\n").find((line) => line.startsWith(`| ${file} |`));
    const origin = row?.split("|")[3]?.replace(/`/g, "").trim();
    if (!origin) throw new Error(`README.md in ${referenceDir} does not say where ${file} comes from`);
    origins[file] = origin;
  }
  return origins;
}

/** The JSON text that should be shipped, built from the reference directory. */
export function buildInstanceTypesJson(referenceDir: string = DEFAULT_REFERENCE_DIR): string {
  const karpenter = readTsv(join(referenceDir, VCPUS));
  const vcpusPublished = new Map(karpenter.map((row) => [row.instance_type, integer(row, "vcpu")]));
  const archPublished = new Map(karpenter.map((row) => [row.instance_type, row.arch]));
  const familiesBreakingSizeRule = new Set(
    [...vcpusPublished]
      .filter(([type, vcpus]) => ![null, vcpus].includes(vcpusFromSizeName(type)))
      .map(([type]) => familyOf(type)),
  );
  const limits = readTsv(join(referenceDir, ENI_LIMITS)).sort((a, b) => (a.instance_type < b.instance_type ? -1 : 1));
  // Security groups for pods: the VPC resource controller's own table (limits.go) says which types
  // take a trunk ENI and how many branch ENIs (pods with their own security groups) each carries.
  const trunking = new Map(readTsv(join(referenceDir, TRUNKING)).map((row) => [row.instance_type, row]));

  const vcpusFromSize: string[] = [];
  const entries = limits.map((row) => {
    const type = row.instance_type;
    if (!["nitro", "xen", "unknown"].includes(row.hypervisor))
      throw new Error(`${type}: hypervisor "${row.hypervisor}"`);
    if (!["true", "false"].includes(row.is_bare_metal))
      throw new Error(`${type}: is_bare_metal "${row.is_bare_metal}"`);
    let vcpus = vcpusPublished.get(type) ?? null;
    if (vcpus === null && !familiesBreakingSizeRule.has(familyOf(type))) {
      vcpus = vcpusFromSizeName(type);
      if (vcpus !== null) vcpusFromSize.push(type);
    }
    // Max ENIs of every network card ("0:8;1:8"): other cards can hold interfaces the CNI leaves alone.
    const perCard = row["card_index:max_enis"].split(";").map((card) => Number(card.split(":")[1]));
    if (perCard.length !== integer(row, "network_cards") || perCard.some((n) => !Number.isInteger(n))) {
      throw new Error(`${type}: card_index:max_enis "${row["card_index:max_enis"]}" does not match network_cards`);
    }
    const entry: unknown[] = [
      integer(row, "enis_on_default_card"), // what AWS's calculator counts: only the default card carries pods
      integer(row, "ipv4_per_eni"),
      row.hypervisor,
      row.is_bare_metal === "true",
      vcpus,
      perCard.length,
      perCard.reduce((sum, n) => sum + n, 0),
      archPublished.get(type) ?? archFromFamily(type), // picks the EKS AMI variant (x86_64 or arm64)
    ];
    entry.push(...trunkingOf(row, trunking.get(type)));
    return `    ${JSON.stringify(type)}: ${JSON.stringify(entry)}`;
  });

  const sources = upstreamOrigins(referenceDir, [ENI_LIMITS, VCPUS, TRUNKING]);
  return [
    "{",
    `  "about": ${JSON.stringify(
      "ENI, IPv4 and vCPU figures per EC2 instance type for the max-pods calculator. " +
        "Generated by scripts/refresh-instance-types.ts; do not edit by hand. " +
        "vcpus is null where no figure is published and the size name implies none; " +
        "arch comes from the same table, else from the family name (Graviton families have a g after the generation); " +
        "trunking and branchInterfaces (security groups for pods) are null for types the VPC resource controller's table does not list.",
    )},`,
    `  "fields": ${JSON.stringify(FIELDS)},`,
    `  "sources": {`,
    Object.keys(sources)
      .sort()
      .map((file) => `    ${JSON.stringify(file)}: ${JSON.stringify(sources[file])}`)
      .join(",\n"),
    "  },",
    `  "types": {`,
    entries.join(",\n"),
    "  },",
    `  "vcpusFromSizeName": ${JSON.stringify(vcpusFromSize)}`,
    "}",
    "",
  ].join("\n");
}

class MissingReferenceError extends Error {}

const USAGE = `usage: npm run refresh-instance-types -- [--reference-dir DIR] [--check]
Maintainer tool: regenerates modules/plan/instance-types.data.json from AWS's published tables.
  --reference-dir DIR  the shared reference data (default: ../shared/reference beside the repository)
  --check              write nothing; exit 1 when the shipped JSON is out of date
  -h, --help           print this help
`;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  return runFlagCommand(
    argv,
    {
      name: "refresh-instance-types",
      usage: USAGE,
      onInvalidEnvironment: "nothing written",
      explain: (error) => (error instanceof MissingReferenceError ? error.message : undefined),
      flags: { "reference-dir": { type: "string" }, check: { type: "boolean" } },
      body: (values) => {
        const referenceDir = resolve(
          process.env.INIT_CWD || process.cwd(),
          values["reference-dir"] ?? DEFAULT_REFERENCE_DIR,
        );
        if (!existsSync(join(referenceDir, "README.md")))
          throw new MissingReferenceError(
            `no reference data in ${referenceDir} (README.md and the tables); give --reference-dir`,
          );
        const json = buildInstanceTypesJson(referenceDir);
        if (values.check) {
          const current = readFileSync(INSTANCE_TYPES_JSON, "utf8");
          if (current === json) return 0;
          err.write(`${INSTANCE_TYPES_JSON} is out of date; run npm run refresh-instance-types\n`);
          return 1;
        }
        writeFileSync(INSTANCE_TYPES_JSON, json);
        out.write(`wrote ${INSTANCE_TYPES_JSON}\n`);
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
