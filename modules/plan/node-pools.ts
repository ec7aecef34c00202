/**
 * Karpenter node pools, planned like the node groups: which instance types a pool may launch (from
 * the project's instance-type table), the max pods each gets, the kubelet maxPods its EC2NodeClass
 * sets, and the nodes the IP plan counts for it. Pure: no cdktf.
 *
 * Karpenter (karpenter-provider-aws v1.14.1, pkg/providers/instancetype/types.go ENILimitedPods)
 * computes max pods as (ENIs - RESERVED_ENIS) x (IPv4 per ENI - 1) + 2 and knows no prefix
 * delegation (issue #8210, PR #9299 open). So:
 * - with prefix delegation the EC2NodeClass sets kubelet.maxPods, which replaces Karpenter's count
 *   outright: the smallest recommended value over the pool's types, so no node admits pods its ENIs
 *   cannot address; RESERVED_ENIS then plays no part and stays 0;
 * - without it Karpenter counts per type, and RESERVED_ENIS=1 under custom networking drops the
 *   primary ENI as AWS's calculator does (Karpenter's nodeclasses.md, "Pod Density").
 */
import type { Environment, NodePoolSpec } from "../environment/schema";
import { instanceTypeInfo, knownInstanceTypes } from "./instance-types";
import { maxPodsFor, type MaxPods } from "./max-pods";
import { cniSettingsFor, type MaxPodsContext } from "./node-group-max-pods";
import { nodeAmiFor } from "./node-ami";
import { podNetworkMode, primaryEniServesPods } from "./pod-network";

/** Where the controller runs and the name of its service account (the chart's fullname). */
export const KARPENTER_NAMESPACE = "kube-system";
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
/** Karpenter's public OCI registry (getting-started step08): the chart and its CRD chart. */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

/** m6i of m6i.xlarge. */
export const instanceFamily = (instanceType: string): string => instanceType.split(".")[0];
/** xlarge of m6i.xlarge. */
export const instanceSize = (instanceType: string): string => instanceType.slice(instanceType.indexOf(".") + 1);
/**
 * The category Karpenter labels a type with (karpenter.k8s.aws/instance-category): the letters of
 * its family before the generation (c of c7gn, im of im4gn, inf of inf2).
 */
export const instanceCategory = (instanceType: string): string =>
  /^[a-z]+/.exec(instanceFamily(instanceType))?.[0] ?? "";

/** Why a type of the table is not in a pool that its families or categories would otherwise include. */
export type Excluded = "metal" | "architecture" | "accelerator" | "notNitro" | "vcpusUnknown";

/** Instance types the table knows whose family or category the pool names, before anything is left out. */
export function namedInstanceTypes(pool: Pick<NodePoolSpec, "families" | "categories" | "sizes">): string[] {
  return knownInstanceTypes().filter(
    (type) =>
      (pool.families === undefined || pool.families.includes(instanceFamily(type))) &&
      (pool.categories === undefined || pool.categories.includes(instanceCategory(type))) &&
      (pool.sizes === undefined || pool.sizes.includes(instanceSize(type))),
  );
}

/**
 * Why the pool cannot run a type it names, or undefined when it can: bare metal unless its size is
 * named (no published vCPUs or hypervisor), another architecture, an accelerated type (the pool's
 * nodes boot the standard AL2023 AMI), a Xen type under prefix delegation, vCPUs not published.
 */
export function exclusionOf(
  pool: Pick<NodePoolSpec, "architectures" | "sizes">,
  instanceType: string,
  prefixDelegation: boolean,
): Excluded | undefined {
  const info = instanceTypeInfo(instanceType);
  if (!info) return "vcpusUnknown";
  if (pool.sizes === undefined && instanceSize(instanceType).startsWith("metal")) return "metal";
  if (info.arch === null || !pool.architectures.includes(info.arch)) return "architecture";
  const ami = nodeAmiFor(instanceType);
  if (ami.kind !== "ami" || ami.variant !== "standard") return "accelerator";
  if (prefixDelegation && info.hypervisor !== "nitro") return "notNitro";
  if (info.vcpus === null) return "vcpusUnknown";
  return undefined;
}

/** The instance types a pool may launch, sorted by vCPUs then name: exactly what its NodePool allows. */
export function nodePoolInstanceTypes(pool: NodePoolSpec, env: Pick<Environment, "cni">): string[] {
  return namedInstanceTypes(pool)
    .filter((type) => exclusionOf(pool, type, env.cni.prefixDelegation) === undefined)
    .sort((a, b) => vcpusOf(a) - vcpusOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const vcpusOf = (type: string): number => instanceTypeInfo(type)?.vcpus ?? Infinity;

/**
 * Karpenter's RESERVED_ENIS, one number for every pool: without prefix delegation, 1 under custom
 * networking (the primary ENI serves no pods) and 1 more with security groups for pods (the trunk
 * ENI; Karpenter's scheduling.md: "you need to set RESERVED_ENIS=1"). With prefix delegation
 * kubelet.maxPods replaces Karpenter's count and it stays 0.
 */
export function reservedEnis(env: Pick<Environment, "cni">): number {
  if (env.cni.prefixDelegation) return 0;
  const customNetworking = !primaryEniServesPods(podNetworkMode(env.cni)) ? 1 : 0;
  const trunk = (env.cni as { podSecurityGroups?: unknown }).podSecurityGroups !== undefined ? 1 : 0;
  return customNetworking + trunk;
}

/**
 * Karpenter's own max pods for a type (pkg/providers/instancetype/types.go ENILimitedPods):
 * (ENIs - RESERVED_ENIS) x (IPv4 per ENI - 1) + 2, no ENI left giving 0.
 */
export function karpenterEniLimitedPods(instanceType: string, reserved: number): number {
  const info = instanceTypeInfo(instanceType);
  const enis = Math.max(0, (info?.enis ?? 0) - reserved);
  return enis === 0 ? 0 : enis * ((info?.ipv4PerEni ?? 1) - 1) + 2;
}

export interface PoolTypeMaxPods {
  instanceType: string;
  /** What the type's nodes admit: the EC2NodeClass's kubelet.maxPods, or Karpenter's own count. */
  maxPods: number;
  computed: MaxPods;
}

export interface NodePoolMaxPods {
  /** kubelet.maxPods of the pool's EC2NodeClass; undefined when Karpenter counts per type. */
  kubeletMaxPods?: number;
  types: PoolTypeMaxPods[];
}

/**
 * Max pods on each of the pool's types. With prefix delegation, the EC2NodeClass's one value; without,
 * Karpenter's count, which equals the calculator's --show-max-allowed with the same CNI settings
 * (RESERVED_ENIS playing the calculator's custom-networking flag, and the trunk's). Empty when the
 * pool has no type.
 */
export function nodePoolMaxPods(pool: NodePoolSpec, env: MaxPodsContext): NodePoolMaxPods {
  const computed = nodePoolInstanceTypes(pool, env).map((instanceType) =>
    maxPodsFor(instanceType, cniSettingsFor({ instanceType, multusInterfaces: 0 }, env)),
  );
  if (env.cni.prefixDelegation && computed.length > 0) {
    const kubeletMaxPods = Math.min(...computed.map((c) => c.recommended));
    return {
      kubeletMaxPods,
      types: computed.map((c) => ({ instanceType: c.instanceType, maxPods: kubeletMaxPods, computed: c })),
    };
  }
  const reserved = reservedEnis(env);
  return {
    types: computed.map((c) => ({
      instanceType: c.instanceType,
      // What Karpenter gives the kubelet; never above c.uncapped, what the CNI addresses (a type without
      // a trunk loses one ENI more than it needs to the global setting: the safe side).
      maxPods: karpenterEniLimitedPods(c.instanceType, reserved),
      computed: c,
    })),
  };
}

/** Nodes a budget of "10%" or "3" lets Karpenter disrupt out of `nodes` (percentages round up, as Karpenter's do). */
export function budgetNodes(budget: string, nodes: number): number {
  return budget.endsWith("%") ? Math.ceil((nodes * Number(budget.slice(0, -1))) / 100) : Number(budget);
}

/** How many nodes the IP plan counts for a pool, and with which type. */
export interface NodePoolCount {
  /** The type counted: the one the cpu limit allows the most nodes of (the smallest). */
  instanceType: string;
  maxPods: number;
  computed: MaxPods;
  /** Nodes limits.cpu allows of that type. */
  atLimit: number;
  /**
   * One provisioning batch over the limit. Karpenter checks limits against what it has counted so far
   * ("limit checking is eventually consistent, which can result in overrun during rapid scale outs",
   * nodepools.md); a batch is planned within the limit, so the batch planned before the previous
   * one was counted can launch up to the limit once more: the plan counts that much.
   */
  overrun: number;
  /** atLimit + overrun: the nodes the IP plan places in each of the pool's AZs. */
  nodes: number;
  /** Replacement nodes Karpenter launches beside the old ones while it disrupts (the budget). */
  surge: number;
}

/**
 * The nodes the IP plan counts for a pool, with the type that lets limits.cpu launch the most
 * (every type has the same maxPods with prefix delegation, so that is the most addresses too).
 * Undefined when the pool has no type (the checks report it). limits.nodes is not relied on.
 */
export function nodePoolCount(pool: NodePoolSpec, env: MaxPodsContext): NodePoolCount | undefined {
  const { types } = nodePoolMaxPods(pool, env);
  let best: (PoolTypeMaxPods & { atLimit: number }) | undefined;
  for (const t of types) {
    const atLimit = Math.floor(pool.limits.cpu / vcpusOf(t.instanceType));
    // The most pod addresses the limit allows: most nodes, then most pods on them.
    if (!best || atLimit * t.maxPods > best.atLimit * best.maxPods) best = { ...t, atLimit };
  }
  if (!best) return undefined;
  const atLimit = Math.max(1, best.atLimit);
  const overrun = atLimit;
  const nodes = atLimit + overrun;
  return {
    instanceType: best.instanceType,
    maxPods: best.maxPods,
    computed: best.computed,
    atLimit,
    overrun,
    nodes,
    surge: budgetNodes(pool.disruption.budgetNodes, nodes),
  };
}

/**
 * The events Karpenter's interruption queue receives, one EventBridge rule each (karpenter-provider-aws
 * v1.14 cloudformation.yaml: ScheduledChangeRule, SpotInterruptionRule, RebalanceRule,
 * InstanceStateChangeRule, CapacityReservationInterruptionRule), by a short name for the rule.
 */
export const KARPENTER_INTERRUPTION_EVENTS = [
  { name: "health", source: "aws.health", detailType: "AWS Health Event" },
  { name: "spot", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  { name: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  { name: "state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  {
    name: "reservation",
    source: "aws.ec2",
    detailType: "EC2 Capacity Reservation Instance Interruption Warning",
  },
] as const;

/**
 * The controller's policies, split as Karpenter's reference (v1.14 cloudformation.yaml) splits them,
 * less KarpenterControllerZonalShiftPolicy (zonal shift stays off, its default).
 */
export const KARPENTER_CONTROLLER_POLICIES = [
  "node-lifecycle",
  "iam-integration",
  "eks-integration",
  "interruption",
  "resource-discovery",
] as const;
export type KarpenterControllerPolicy = (typeof KARPENTER_CONTROLLER_POLICIES)[number];

/**
 * The managed node groups Karpenter's controller may run on: not Multus nodes, and none whose taints
 * the chart's pods do not tolerate (they tolerate CriticalAddonsOnly only; values.yaml tolerations).
 */
export function karpenterControllerNodeGroups(env: Pick<Environment, "nodeGroups">): Environment["nodeGroups"] {
  return env.nodeGroups.filter(
    (g) =>
      g.multusInterfaces === 0 &&
      g.taints.every((t) => t.effect === "PREFER_NO_SCHEDULE" || t.key === "CriticalAddonsOnly"),
  );
}

/** The chart's replicas, each on its own node (required pod anti-affinity on the hostname). */
export const KARPENTER_CONTROLLER_REPLICAS = 2;
