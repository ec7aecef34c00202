/**
 * The max pods a node group's kubelet gets: the environment's `maxPods`, else the recommended value
 * for its instance type under the environment's CNI settings.
 */
import type { CniSpec, NodeGroupSpec } from "../environment/schema";
import { maxPodsFor, type MaxPods } from "./max-pods";

export interface NodeGroupMaxPods {
  /** What the kubelet is told. */
  maxPods: number;
  /** True when the environment set it, false when it is the recommended value. */
  explicit: boolean;
  computed: MaxPods;
}

export const cniSettingsOf = (cni: CniSpec, cniVersion?: string) => ({
  customNetworking: cni.customNetworking,
  prefixDelegation: cni.prefixDelegation,
  cniVersion,
});

/** Throws UnknownInstanceTypeError for an instance type the table does not know. */
export function nodeGroupMaxPods(group: NodeGroupSpec, cni: CniSpec, cniVersion?: string): NodeGroupMaxPods {
  const computed = maxPodsFor(group.instanceType, cniSettingsOf(cni, cniVersion));
  return { maxPods: group.maxPods ?? computed.recommended, explicit: group.maxPods !== undefined, computed };
}
