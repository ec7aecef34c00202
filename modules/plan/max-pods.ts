/**
 * Max pods per node for the Amazon VPC CNI, computed the way AWS's max-pods-calculator.sh does
 * (awslabs/amazon-eks-ami), from the shipped instance-type table instead of describe-instance-types.
 * Pure: no cdktf, no I/O beyond that table.
 *
 * One rule of our own: with security groups for pods (ENABLE_POD_ENI) a node's trunk ENI is not
 * counted as an ENI for pod addresses. AWS's calculator has no such flag and counts it, but the trunk
 * takes one of the node's ENI slots (the VPC resource controller attaches it to every node whose
 * aws-node sets ENABLE_POD_ENI, reserving a slot when all are in use: EKS user guide, security groups
 * for pods) and ipamd never gives its addresses to pods (datastore GetAllocatableENIs skips IsTrunk).
 * Counting it would let the kubelet admit pods that never get an address; Karpenter's documentation
 * says the same (RESERVED_ENIS=1 with security groups for pods, karpenter-provider-aws PR #7312).
 * Pods on branch ENIs count toward maxPods like any other pod but take no address of the ENIs
 * counted here, so the rule errs on the safe side: a node may run fewer pods than it could, never
 * pods without an address.
 */
import { ADDRESSES_PER_PREFIX } from "./cidr";
import { closeMatches, instanceTypeInfo } from "./instance-types";
import { SUBNET_DISCOVERY_MIN_CNI_VERSION } from "./pod-network";

/** The "+2" of every formula: host-network pods (aws-node, kube-proxy) need no pod address. */
export const HOST_NETWORK_PODS = 2;
/** Kubelet ceilings the calculator applies: nodes of up to 30 vCPUs get 110, bigger ones 250. */
export const MAX_PODS_CAP_SMALL_NODE = 110;
export const MAX_PODS_CAP_LARGE_NODE = 250;
export const CAP_VCPU_THRESHOLD = 30;
/** First VPC CNI release with prefix delegation. */
export const PREFIX_DELEGATION_MIN_CNI_VERSION = "1.9.0";

export interface CniSettings {
  /** Pods get addresses from ENIConfig subnets, so the primary ENI hosts none. */
  customNetworking: boolean;
  /**
   * Enhanced subnet discovery (VPC CNI >= 1.18.0): further ENIs may go to tagged subnets, but the
   * primary ENI keeps serving pods, so max pods is as without custom networking (which wins if both are set).
   */
  subnetDiscovery?: boolean;
  /** Requested; applied only on Nitro types with VPC CNI >= 1.9.0. */
  prefixDelegation: boolean;
  /** Cap on ENIs used (the calculator's --cni-max-eni); a whole number >= 1. */
  maxEni?: number;
  /** VPC CNI version, e.g. "1.18.3" or "v1.18.3-eksbuild.1"; when absent it is assumed recent. */
  cniVersion?: string;
  /**
   * Security groups for pods (ENABLE_POD_ENI): on types that take a trunk ENI (or whose support is
   * not published), one of the ENIs the CNI may use is the trunk and serves no pod addresses.
   */
  podSecurityGroups?: boolean;
}

export interface MaxPods {
  instanceType: string;
  /** ENIs whose addresses go to pods (after --cni-max-eni, the trunk ENI and custom networking). */
  podEnis: number;
  /** Whether one ENI is counted as the trunk of security groups for pods. */
  trunkEni: boolean;
  /** Branch ENIs a node can give pods with security groups of their own: 0 without a trunk (or when unpublished). */
  branchInterfaces: number;
  ipv4PerEni: number;
  prefixDelegationRequested: boolean;
  /** Whether prefix delegation actually applies; false also when requested but unsupported. */
  prefixDelegation: boolean;
  /** What the ENIs can address (the calculator's --show-max-allowed). */
  uncapped: number;
  /** vCPUs the cap was decided on; null when unknown (then the smaller cap is used). */
  vcpus: number | null;
  cap: typeof MAX_PODS_CAP_SMALL_NODE | typeof MAX_PODS_CAP_LARGE_NODE;
  /** min(uncapped, cap): the value for kubelet's maxPods. */
  recommended: number;
  /** Short explanations when something was not as asked or not as published (PD fallback, vCPU gaps). */
  notes: string[];
}

export class UnknownInstanceTypeError extends Error {
  readonly closeMatches: string[];
  constructor(readonly instanceType: string) {
    const matches = closeMatches(instanceType);
    super(
      `unknown instance type "${instanceType}"` +
        (matches.length > 0 ? `; did you mean ${matches.join(", ")}?` : "; it is not in the VPC CNI's limits table"),
    );
    this.name = "UnknownInstanceTypeError";
    this.closeMatches = matches;
  }
}

/** Throws UnknownInstanceTypeError for types not in the table, RangeError for invalid settings. */
export function maxPodsFor(instanceType: string, cni: CniSettings): MaxPods {
  const info = instanceTypeInfo(instanceType);
  if (!info) throw new UnknownInstanceTypeError(instanceType);
  if (cni.maxEni !== undefined && !(Number.isInteger(cni.maxEni) && cni.maxEni >= 1)) {
    throw new RangeError(`maxEni must be a whole number of at least 1, got ${cni.maxEni}`);
  }
  const cniHasPrefixDelegation = cni.cniVersion === undefined || cniSupportsPrefixDelegation(cni.cniVersion);
  const notes: string[] = [];
  if (cni.subnetDiscovery && cni.customNetworking) {
    notes.push("subnet discovery has no effect: custom networking takes precedence in the VPC CNI");
  } else if (
    cni.subnetDiscovery &&
    cni.cniVersion !== undefined &&
    !cniAtLeast(cni.cniVersion, SUBNET_DISCOVERY_MIN_CNI_VERSION)
  ) {
    notes.push(
      `subnet discovery not available: VPC CNI ${cni.cniVersion} is older than ${SUBNET_DISCOVERY_MIN_CNI_VERSION}; every ENI stays in the node's subnet (max pods is the same)`,
    );
  }

  // Same order as the calculator: --cni-max-eni caps the card's ENIs, then custom networking drops the
  // primary. The trunk (our rule, see above) is one of the ENIs the CNI may use.
  const trunkEni = cni.podSecurityGroups === true && info.trunking !== false;
  if (cni.podSecurityGroups && info.trunking === null) {
    notes.push(
      `${instanceType} is not in the VPC resource controller's trunking table; one ENI is counted as the trunk (the safe side)`,
    );
  } else if (cni.podSecurityGroups && info.trunking === false) {
    notes.push(`${instanceType} takes no trunk ENI: pods with security groups of their own cannot run on it`);
  }
  const podEnis = Math.max(
    0,
    Math.min(cni.maxEni ?? Infinity, info.enis) - (trunkEni ? 1 : 0) - (cni.customNetworking ? 1 : 0),
  );

  let prefixDelegation = cni.prefixDelegation;
  if (cni.prefixDelegation && info.hypervisor !== "nitro") {
    prefixDelegation = false;
    notes.push(`prefix delegation not applied: ${instanceType} is not a Nitro type (hypervisor ${info.hypervisor})`);
  }
  if (cni.prefixDelegation && !cniHasPrefixDelegation) {
    prefixDelegation = false;
    notes.push(
      `prefix delegation not applied: VPC CNI ${cni.cniVersion} is older than ${PREFIX_DELEGATION_MIN_CNI_VERSION}`,
    );
  }

  const uncapped = podEnis * podSlotsPerEni(info.ipv4PerEni, prefixDelegation) + HOST_NETWORK_PODS;

  const cap =
    info.vcpus !== null && info.vcpus > CAP_VCPU_THRESHOLD ? MAX_PODS_CAP_LARGE_NODE : MAX_PODS_CAP_SMALL_NODE;
  if (info.vcpus === null) {
    notes.push(`vCPU count of ${instanceType} is not published; used the smaller cap ${MAX_PODS_CAP_SMALL_NODE}`);
  } else if (info.vcpusFromSizeName) {
    notes.push(`vCPU count of ${instanceType} (${info.vcpus}) inferred from its size name`);
  }

  return {
    instanceType,
    podEnis,
    trunkEni,
    branchInterfaces: trunkEni ? (info.branchInterfaces ?? 0) : 0,
    ipv4PerEni: info.ipv4PerEni,
    prefixDelegationRequested: cni.prefixDelegation,
    prefixDelegation,
    uncapped,
    vcpus: info.vcpus,
    cap,
    recommended: Math.min(uncapped, cap),
    notes,
  };
}

/**
 * Pod addresses one ENI serves: every address but its primary (the node's own), or with prefix
 * delegation that many /28 prefixes of 16. The one formula for pods per ENI.
 */
export function podSlotsPerEni(ipv4PerEni: number, prefixDelegation: boolean): number {
  return (ipv4PerEni - 1) * (prefixDelegation ? ADDRESSES_PER_PREFIX : 1);
}

/** ENIs that carry pod addresses on a node running maxPods pods (one at the least; host-network pods need none). */
export function podEnisFor(maxPods: number, slotsPerEni: number): number {
  return Math.max(1, Math.ceil(Math.max(0, maxPods - HOST_NETWORK_PODS) / Math.max(1, slotsPerEni)));
}

/**
 * Whether a VPC CNI version has prefix delegation (>= 1.9.0; the calculator compares major.minor).
 * Throws RangeError when the text is not a version.
 */
export function cniSupportsPrefixDelegation(cniVersion: string): boolean {
  return cniAtLeast(cniVersion, PREFIX_DELEGATION_MIN_CNI_VERSION);
}

/**
 * Whether a VPC CNI version ("1.18.3", "v1.18.3-eksbuild.1") is at least `minimum`'s major.minor, as
 * the calculator compares (the features the plan depends on came in .0 releases). Throws RangeError
 * when the text is not a version.
 */
export function cniAtLeast(cniVersion: string, minimum: string): boolean {
  const [have, want] = [cniVersion, minimum].map((text) => {
    const match = /^v?(\d+)\.(\d+)(\.\d+)?([-+].*)?$/.exec(text.trim());
    if (!match) throw new RangeError(`"${text}" is not a VPC CNI version like 1.9.0`);
    return Number(match[1]) * 1000 + Number(match[2]);
  });
  return have >= want;
}

/** /28 prefixes that hold addresses for `pods` pods under prefix delegation (host-network pods need none). */
export function prefixesNeeded(pods: number): number {
  return Math.ceil(wholePods(pods) / ADDRESSES_PER_PREFIX);
}

/** Subnet addresses `pods` pods take: one each, or whole /28 prefixes under prefix delegation. */
export function podSubnetAddresses(pods: number, prefixDelegation: boolean): number {
  return prefixDelegation ? prefixesNeeded(pods) * ADDRESSES_PER_PREFIX : wholePods(pods);
}

function wholePods(pods: number): number {
  if (!Number.isInteger(pods) || pods < 0) throw new RangeError(`pods must be a whole number >= 0, got ${pods}`);
  return pods;
}
