/**
 * Tags EKS, the AWS Load Balancer Controller and the VPC CNI read from subnets. Pure, so the rules
 * are tested without synthesizing anything.
 */
import { clusterTag, INTERNAL_ELB_TAG, PUBLIC_ELB_TAG, SUBNET_DISCOVERY_TAG, SUBNET_ROLE_TAG } from "./labels";
import { podSubnetsDiscoverable, type PodNetworkMode } from "./pod-network";
import type { SubnetRole } from "./subnets";

/**
 * Whether load balancers go in subnets of this role: internet-facing ones in the public subnets,
 * internal ones in the private node subnets. Pod, control-plane and Multus subnets get none.
 */
export function invitesLoadBalancers(role: SubnetRole): boolean {
  switch (role) {
    case "public":
    case "node":
      return true;
    case "pod":
    case "controlPlane":
    case "multus":
      return false;
  }
}

/**
 * The tags a subnet is created with. The cluster tag is not among them: each cluster adds its own
 * (clusterSubnetTag), so two clusters in one VPC tag the same subnets without stripping each other's.
 */
export function subnetTags(
  role: SubnetRole,
  name: string,
  podNetwork: PodNetworkMode = "nodeSubnets",
): Record<string, string> {
  const tags: Record<string, string> = { Name: name, [SUBNET_ROLE_TAG]: role };
  if (role === "public") tags[PUBLIC_ELB_TAG] = "1";
  if (role === "node") tags[INTERNAL_ELB_TAG] = "1";
  // Subnet discovery: the pod subnets join the pool the CNI puts further ENIs in. The node subnets
  // need no tag (the node's own subnet is always a candidate), and no other subnet may have one:
  // a Multus or control-plane subnet would otherwise take pod ENIs.
  if (role === "pod" && podSubnetsDiscoverable(podNetwork)) tags[SUBNET_DISCOVERY_TAG] = "1";
  return tags;
}

/**
 * The tag a cluster puts on each subnet it uses, as a tag resource of its own (aws_ec2_tag).
 * "shared": the subnet outlives the cluster. The AWS Load Balancer Controller (SubnetsClusterTagCheck)
 * and the AWS cloud provider skip a subnet tagged for other clusters but not for theirs
 * (kubernetes-sigs/aws-load-balancer-controller docs, "Subnet auto-discovery"; kubernetes/cloud-provider-aws#442),
 * so in a shared VPC every cluster must tag the subnets it uses.
 */
export function clusterSubnetTag(clusterName: string): { key: string; value: string } {
  return { key: clusterTag(clusterName), value: "shared" };
}
