/**
 * Typed access to the shipped per-instance-type ENI/IPv4/vCPU/trunking table (instance-types.data.json, generated
 * by scripts/refresh-instance-types.ts from AWS-published data; "sources" in the JSON names them).
 */
import { editDistance } from "../spelling/edit-distance";

export type Hypervisor = "nitro" | "xen" | "unknown";

export interface InstanceTypeInfo {
  instanceType: string;
  /** ENIs attachable on the default network card: the only card the VPC CNI puts pod addresses on. */
  enis: number;
  /** IPv4 addresses per ENI, the primary address included. */
  ipv4PerEni: number;
  /** As EC2 reports it; bare-metal types report none ("unknown") even on the Nitro system. */
  hypervisor: Hypervisor;
  bareMetal: boolean;
  /** Default vCPUs; null when not published and not implied by the size name (some .metal types). */
  vcpus: number | null;
  /** True when vcpus was derived from the size name (Nxlarge = 4N) rather than published. */
  vcpusFromSizeName: boolean;
  networkCards: number;
  /** ENIs attachable across all network cards (interfaces the CNI does not manage may use any card). */
  totalEnis: number;
  /** CPU architecture, which picks the EKS AMI variant; null for types EKS cannot run (Mac). */
  arch: "amd64" | "arm64" | null;
  /**
   * Security groups for pods: whether the type takes a trunk ENI (the VPC resource controller's
   * IsTrunkingCompatible); null when its table does not list the type.
   */
  trunking: boolean | null;
  /** Branch ENIs (pods with security groups of their own) a node carries: 0 without trunking; null when unlisted. */
  branchInterfaces: number | null;
}

type Entry = [
  number,
  number,
  Hypervisor,
  boolean,
  number | null,
  number,
  number,
  "amd64" | "arm64" | null,
  boolean | null,
  number | null,
];

interface InstanceTypesFile {
  fields: string[];
  sources: Record<string, string>;
  types: Record<string, Entry>;
  vcpusFromSizeName: string[];
}

/** Column order of each entry in "types" of instance-types.data.json; refresh-instance-types writes by it. */
export const INSTANCE_TYPE_FIELDS = [
  "enis",
  "ipv4PerEni",
  "hypervisor",
  "bareMetal",
  "vcpus",
  "networkCards",
  "totalEnis",
  "arch",
  "trunking",
  "branchInterfaces",
] as const;

let file: InstanceTypesFile | undefined;
const decoded = new Map<string, InstanceTypeInfo>();

/** Read on first use so importing costs nothing; entries are decoded one by one as they are asked for. */
function data(): InstanceTypesFile {
  if (file) return file;
  // require, not import: an import would make tsc infer a type for all ~1400 keys. The file is not
  // called instance-types.json because require("./instance-types") would then resolve to it, not here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const loaded = require("./instance-types.data.json") as InstanceTypesFile;
  if (loaded.fields.join() !== INSTANCE_TYPE_FIELDS.join()) {
    throw new Error(
      `instance-types.data.json has fields [${loaded.fields}], expected [${INSTANCE_TYPE_FIELDS}]; regenerate it`,
    );
  }
  file = loaded;
  return file;
}

export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
  const cached = decoded.get(instanceType);
  if (cached) return cached;
  const { types, vcpusFromSizeName } = data();
  if (!Object.hasOwn(types, instanceType)) return undefined;
  const [enis, ipv4PerEni, hypervisor, bareMetal, vcpus, networkCards, totalEnis, arch, trunking, branchInterfaces] =
    types[instanceType];
  const info: InstanceTypeInfo = {
    instanceType,
    enis,
    ipv4PerEni,
    hypervisor,
    bareMetal,
    vcpus,
    vcpusFromSizeName: vcpusFromSizeName.includes(instanceType),
    networkCards,
    totalEnis,
    arch,
    trunking,
    branchInterfaces,
  };
  decoded.set(instanceType, info);
  return info;
}

/** All instance types in the table, sorted. */
export function knownInstanceTypes(): string[] {
  return Object.keys(data().types);
}

/** Upstream origin of each reference file the table was built from (for notes and reports). */
export function instanceTypeDataSources(): Record<string, string> {
  return { ...data().sources };
}

/** Nitro as AWS's max-pods calculator decides it: the EC2 hypervisor field. False for unknown types. */
export function isNitro(instanceType: string): boolean {
  return instanceTypeInfo(instanceType)?.hypervisor === "nitro";
}

/**
 * Up to n known types nearest to a mistyped one, nearest first. When the family (before the dot)
 * exists, only its sizes are offered ("m5.huge" -> m5 sizes), since a wrong size is the usual slip;
 * otherwise the whole table is searched, and only plausibly close names are returned.
 */
export function closeMatches(instanceType: string, n = 3): string[] {
  const wanted = instanceType.trim().toLowerCase();
  const all = knownInstanceTypes().map((type) => instanceTypeInfo(type) as InstanceTypeInfo);
  const family = wanted.split(".")[0];
  const sameFamily = all.filter((info) => info.instanceType.split(".")[0] === family);
  const pool = sameFamily.length > 0 ? sameFamily : all;
  const limit = sameFamily.length > 0 ? Infinity : Math.max(2, Math.floor(wanted.length / 3));
  return pool
    .map((info) => ({ info, distance: editDistance(wanted, info.instanceType) }))
    .filter(({ distance }) => distance <= limit)
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        (a.info.vcpus ?? Infinity) - (b.info.vcpus ?? Infinity) ||
        (a.info.instanceType < b.info.instanceType ? -1 : 1),
    )
    .slice(0, n)
    .map(({ info }) => info.instanceType);
}
