/**
 * Reading the recorded objects the way the checks need them: a node's zone, instance and group, the
 * planned subnet an address lies in, the live subnet of a planned one, the cluster security group.
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import { cidr, containsAddress, parseAddress } from "../plan/cidr";
import { NODE_GROUP_LABEL, NODEGROUP_LABEL, ZONE_LABEL } from "../plan/labels";
import { plannedSubnets, type PlannedSubnet } from "../plan/subnets";
import type { NetworkInterfaceRecord, NodeObject, PodObject, SubnetRecord } from "./recorded-state";

export const tagMap = (tags: ReadonlyArray<{ Key: string; Value?: string }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value ?? ""]));

/** The node's InternalIP: the primary address of its primary interface. */
export const internalIp = (node: NodeObject): string | undefined =>
  node.status?.addresses?.find((a) => a.type === "InternalIP")?.address;

export const zoneLabel = (node: NodeObject): string | undefined => node.metadata.labels?.[ZONE_LABEL];

/** `aws:///us-east-1a/i-0123...` (three slashes): the AZ and the instance id, when the node is an EC2 instance. */
export function providerInstance(node: NodeObject): { az: string; instanceId: string } | undefined {
  const match = /^aws:\/\/\/([^/]+)\/(i-[0-9a-f]+)$/.exec(node.spec?.providerID ?? "");
  return match ? { az: match[1], instanceId: match[2] } : undefined;
}

/**
 * The node group a node says it belongs to: our label (Multus nodes carry only ours, plan/node-groups.ts
 * multusNodeLabels), else the one EKS gives the nodes of a managed node group.
 */
export const nodeGroupLabel = (node: NodeObject): string | undefined =>
  node.metadata.labels?.[NODE_GROUP_LABEL] ?? node.metadata.labels?.[NODEGROUP_LABEL];

/** The planned node group a node belongs to. */
export function nodeGroupOf(env: Environment, node: NodeObject): NodeGroupSpec | undefined {
  const name = nodeGroupLabel(node);
  return env.nodeGroups.find((g) => g.name === name);
}

export const podKey = (pod: PodObject): string => `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;

/**
 * Pods that hold a VPC address of their own now: scheduled, not host-network (those show the node's
 * address), not finished (a Succeeded or Failed pod may keep an address it no longer holds).
 */
export const holdsPodAddress = (pod: PodObject): boolean =>
  pod.spec?.hostNetwork !== true &&
  pod.status?.podIP !== undefined &&
  pod.status.podIP !== "" &&
  pod.status.phase !== "Succeeded" &&
  pod.status.phase !== "Failed";

/** `node subnet of us-east-1a`, `multus 2 subnet of eu-central-1b`. */
export function describeSubnet(s: Pick<PlannedSubnet, "role" | "az" | "interfaceIndex">): string {
  const role =
    s.role === "multus" ? `multus ${s.interfaceIndex ?? 1}` : s.role === "controlPlane" ? "control-plane" : s.role;
  return `${role} subnet of ${s.az}`;
}

export function plannedSubnetOf(
  env: Environment,
  role: PlannedSubnet["role"],
  az: string | undefined,
): PlannedSubnet | undefined {
  return plannedSubnets(env.network).find((s) => s.role === role && s.az === az);
}

/** The planned subnet an address lies in, if any. */
export function plannedSubnetContaining(env: Environment, address: string | undefined): PlannedSubnet | undefined {
  const value = address === undefined ? undefined : parseAddress(address);
  if (value === undefined) return undefined;
  return plannedSubnets(env.network).find((s) => containsAddress(cidr(s.cidr), value));
}

/** Whether an address (text) lies in a CIDR (text); false for anything that does not parse. */
export function inCidr(address: string | undefined, block: string): boolean {
  const value = address === undefined ? undefined : parseAddress(address);
  return value !== undefined && containsAddress(cidr(block), value);
}

/** The live subnet with a planned subnet's CIDR (a VPC holds each CIDR at most once). */
export const liveSubnetFor = (
  planned: Pick<PlannedSubnet, "cidr">,
  subnets: readonly SubnetRecord[],
): SubnetRecord | undefined => subnets.find((s) => s.CidrBlock === planned.cidr);

/**
 * EKS names the security group it creates for a cluster `eks-cluster-sg-<cluster>-<uniqueID>` (EKS
 * user guide, "View Amazon EKS security group requirements for clusters"). Its nodes, our Multus
 * interfaces and the control plane's interfaces carry it, so the recorded interfaces show its id.
 */
export const clusterSecurityGroupPrefix = (clusterName: string): string => `eks-cluster-sg-${clusterName}-`;

export function clusterSecurityGroup(
  clusterName: string,
  interfaces: readonly NetworkInterfaceRecord[],
): { id: string; name: string } | undefined {
  const prefix = clusterSecurityGroupPrefix(clusterName);
  for (const eni of interfaces) {
    const group = eni.Groups?.find((g) => g.GroupName?.startsWith(prefix));
    if (group) return { id: group.GroupId, name: group.GroupName ?? group.GroupId };
  }
  return undefined;
}

/** Every private address of an interface: its primary and secondary addresses. */
export const interfaceAddresses = (eni: NetworkInterfaceRecord): string[] => {
  const listed = (eni.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress);
  return eni.PrivateIpAddress && !listed.includes(eni.PrivateIpAddress) ? [eni.PrivateIpAddress, ...listed] : listed;
};

/** A list for a message: `a, b and c`. */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
