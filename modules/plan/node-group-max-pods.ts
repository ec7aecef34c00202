/**
 * The max pods a node group's kubelet gets: the environment's `maxPods`, else the recommended value
 * for its instance type under the environment's CNI settings. One function for every kind of group:
 * a Multus group's no_manage ENIs are out of the VPC CNI's reach, so for it the calculator runs as
 * AWS's does with --cni-max-eni = ENIs - multusInterfaces. With security groups for pods one more ENI
 * is the trunk (max-pods.ts says why AWS's calculator is not followed there).
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import { instanceTypeInfo } from "./instance-types";
import { maxPodsFor, type CniSettings, type MaxPods } from "./max-pods";
import { isMultusGroup } from "./node-groups";
import { podNetworkMode, primaryEniServesPods } from "./pod-network";

export interface NodeGroupMaxPods {
  /** What the kubelet is told. */
  maxPods: number;
  /** True when the environment set it, false when it is the recommended value. */
  explicit: boolean;
  computed: MaxPods;
}

/** What max pods of a node group depends on besides the group: the CNI settings and the pinned VPC CNI version. */
export type MaxPodsContext = Pick<Environment, "cni"> & { cluster: Pick<Environment["cluster"], "addonVersions"> };

/**
 * The calculator's settings for a node group: the environment's CNI mode and VPC CNI version, and for
 * a Multus group --cni-max-eni. What `npm run max-pods` must be given to print the same number.
 */
export function cniSettingsFor(
  group: Pick<NodeGroupSpec, "instanceType" | "multusInterfaces">,
  context: MaxPodsContext,
): CniSettings {
  const mode = podNetworkMode(context.cni);
  const settings: CniSettings = {
    customNetworking: !primaryEniServesPods(mode),
    ...(mode === "subnetDiscovery" ? { subnetDiscovery: true } : {}),
    prefixDelegation: context.cni.prefixDelegation,
    cniVersion: context.cluster.addonVersions.vpcCni,
    podSecurityGroups: context.cni.podSecurityGroups !== undefined,
  };
  if (!isMultusGroup(group)) return settings;
  // An impossible count (every ENI to Multus) is the checks' to report; here it only must not throw.
  const enis = instanceTypeInfo(group.instanceType)?.enis ?? 1;
  return { ...settings, maxEni: Math.max(1, enis - group.multusInterfaces) };
}

/** Throws UnknownInstanceTypeError for an instance type the table does not know. */
export function nodeGroupMaxPods(group: NodeGroupSpec, context: MaxPodsContext): NodeGroupMaxPods {
  const computed = maxPodsFor(group.instanceType, cniSettingsFor(group, context));
  return { maxPods: group.maxPods ?? computed.recommended, explicit: group.maxPods !== undefined, computed };
}
