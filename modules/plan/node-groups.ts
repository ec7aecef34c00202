/**
 * What kind of capacity a node group is and where it runs. A group with Multus interfaces becomes
 * fixed self-managed nodes (node-slots.ts); every other group is an EKS managed node group.
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import { CAPACITY_TYPE_LABEL, MULTUS_NODE_LABEL, NODE_GROUP_LABEL, NODE_SLOT_LABEL, NODEGROUP_LABEL } from "./labels";

export const isMultusGroup = (group: Pick<NodeGroupSpec, "multusInterfaces">): boolean => group.multusInterfaces > 0;

/** AZs a node group runs in: the ones it names, else all of the environment's. */
export function zonesOf(env: Pick<Environment, "network">, group: { zones?: string[] }): string[] {
  return group.zones ?? Object.keys(env.network.zones);
}

/** Labels the kubelet registers with: the group's own, and the ones EKS would set on managed nodes. */
export function nodeLabels(spec: Pick<NodeGroupSpec, "name" | "labels" | "capacityType">): Record<string, string> {
  return { ...spec.labels, [NODEGROUP_LABEL]: spec.name, [CAPACITY_TYPE_LABEL]: spec.capacityType };
}

/**
 * Labels a Multus node registers with: the group's own and the project's, and none of EKS's. These
 * nodes belong to no managed node group, so `eks.amazonaws.com/nodegroup` and `capacityType` would
 * claim one that does not exist (and tools that read them, such as the cluster autoscaler, would look
 * for it). Pods select Multus nodes by NODE_GROUP_LABEL.
 */
export function multusNodeLabels(group: Pick<NodeGroupSpec, "name" | "labels">, slot: string): Record<string, string> {
  return { ...group.labels, [NODE_GROUP_LABEL]: group.name, [MULTUS_NODE_LABEL]: "true", [NODE_SLOT_LABEL]: slot };
}
