/**
 * Nodes of Multus node groups (`multusInterfaces` > 0): fixed "slots" instead of an Auto Scaling
 * group, because an EKS managed node group cannot give extra launch-template interfaces their own
 * subnets, and a launch template tags every interface of an instance alike, while only the extra
 * ENIs may carry the VPC CNI's no_manage tag. Each slot is one instance whose interfaces Terraform
 * creates beforehand. Pure: shared by the checks, the capacity plan and the nodes stack.
 */
import type { CniSpec, Environment, NodeGroupSpec } from "../environment/schema";
import { instanceTypeInfo } from "./instance-types";
import { HOST_NETWORK_PODS, IPV4_ADDRESSES_PER_PREFIX, maxPodsFor } from "./max-pods";
import { cniSettingsOf, nodeGroupMaxPods, type NodeGroupMaxPods } from "./node-group-max-pods";
import { zonesOf } from "./subnets";

/** Label every Multus node registers with: the Multus and whereabouts DaemonSets run only there. */
export const MULTUS_NODE_LABEL = "eks-custom-networking/multus";
/** Label with the node's slot name, so a pod or an operator can tell the fixed nodes apart. */
export const NODE_SLOT_LABEL = "eks-custom-networking/node-slot";

export const isMultusGroup = (group: Pick<NodeGroupSpec, "multusInterfaces">): boolean => group.multusInterfaces > 0;

export interface NodeSlot {
  group: NodeGroupSpec;
  groupIndex: number;
  /** 0-based within the group. */
  index: number;
  /** <group>-<index>: names the instance and its interfaces. */
  name: string;
  az: string;
}

/** desiredSize slots per Multus group, round-robin over its AZs (slot i in AZ i mod AZs). */
export function nodeSlots(env: Pick<Environment, "network" | "nodeGroups">): NodeSlot[] {
  return env.nodeGroups.flatMap((group, groupIndex) => {
    if (!isMultusGroup(group)) return [];
    const zones = zonesOf(env, group);
    return Array.from({ length: group.desiredSize }, (_, index) => ({ group, groupIndex, index, name: `${group.name}-${index}`, az: zones[index % zones.length] }));
  });
}

/**
 * The kubelet's maxPods for any node group. For a Multus group the VPC CNI can only use the ENIs
 * Multus does not take (it counts the no_manage ones out), so the recommended value is computed as
 * AWS's calculator does with --cni-max-eni = ENIs - multusInterfaces. Throws UnknownInstanceTypeError.
 */
export function nodeGroupMaxPodsWithMultus(group: NodeGroupSpec, cni: CniSpec, cniVersion?: string): NodeGroupMaxPods {
  if (!isMultusGroup(group)) return nodeGroupMaxPods(group, cni, cniVersion);
  const info = instanceTypeInfo(group.instanceType);
  // An impossible count (all ENIs to Multus) is the checks' to report; here it only must not throw.
  const maxEni = Math.max(1, (info?.enis ?? 1) - group.multusInterfaces);
  const computed = maxPodsFor(group.instanceType, { ...cniSettingsOf(cni, cniVersion), maxEni });
  return { maxPods: group.maxPods ?? computed.recommended, explicit: group.maxPods !== undefined, computed };
}

export interface CniEniNeeds {
  /** ENIs attachable on the default network card. */
  enis: number;
  /** ENIs the VPC CNI needs for maxPods pods, the primary included. */
  cniEnis: number;
  /** Of those, the ENIs that carry pod addresses (one at the least). */
  podEnis: number;
  /** What is left for Multus: enis - cniEnis. */
  availableForMultus: number;
  maxPods: number;
  /** Whether maxPods is the environment's (else recommended for the ENIs Multus leaves). */
  explicitMaxPods: boolean;
}

/**
 * How many ENIs the VPC CNI needs on a node to give maxPods pods an address: the primary (which
 * with custom networking carries no pods, but is the CNI's all the same) and the pod ENIs.
 * Undefined for an instance type the table does not know.
 */
export function cniEniNeeds(group: NodeGroupSpec, cni: CniSpec, cniVersion?: string): CniEniNeeds | undefined {
  const info = instanceTypeInfo(group.instanceType);
  if (!info) return undefined;
  const { maxPods, computed, explicit } = nodeGroupMaxPodsWithMultus(group, cni, cniVersion);
  const slotsPerEni = (info.ipv4PerEni - 1) * (computed.prefixDelegation ? IPV4_ADDRESSES_PER_PREFIX : 1);
  const podEnis = Math.max(1, Math.ceil(Math.max(0, maxPods - HOST_NETWORK_PODS) / Math.max(1, slotsPerEni)));
  const cniEnis = cni.customNetworking ? 1 + podEnis : podEnis;
  return { enis: info.enis, cniEnis, podEnis, availableForMultus: info.enis - cniEnis, maxPods, explicitMaxPods: explicit };
}
