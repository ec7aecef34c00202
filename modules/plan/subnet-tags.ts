/**
 * Tags EKS and the AWS Load Balancer Controller read from subnets. Pure, so the rules are tested
 * without synthesizing anything.
 */
import { clusterTag, INTERNAL_ELB_TAG, PUBLIC_ELB_TAG, SUBNET_ROLE_TAG } from "./labels";
import type { SubnetRole } from "./subnets";

export function subnetTags(role: SubnetRole, clusterName: string, name: string): Record<string, string> {
  const tags: Record<string, string> = {
    Name: name,
    // "shared": the subnet outlives the cluster; EKS and the load balancer controller may use it.
    [clusterTag(clusterName)]: "shared",
    [SUBNET_ROLE_TAG]: role,
  };
  // Internet-facing load balancers go in public subnets, internal ones in the private node subnets.
  // Pod, control-plane and Multus subnets carry neither, so no load balancer lands in them.
  if (role === "public") tags[PUBLIC_ELB_TAG] = "1";
  if (role === "node") tags[INTERNAL_ELB_TAG] = "1";
  return tags;
}
