/**
 * Where pods take their VPC addresses from: the mode of the VPC CNI's pod network. Every place that
 * depends on it switches over this union, so a new mode does not compile until each of them handles it.
 */
import type { CniSpec } from "../environment/schema";
import type { PlannedSubnet } from "./subnets";

/**
 * nodeSubnets: every ENI of a node, the primary included, serves pods from the node's own subnet.
 * customNetworking: the primary ENI serves no pods; the others take addresses from the pod subnet of
 * the node's AZ, named by the ENIConfig of that AZ.
 * subnetDiscovery: the primary ENI serves pods from the node's subnet; each further ENI goes to the
 * subnet with the most free addresses among the node's subnet and the subnets of its AZ tagged
 * kubernetes.io/role/cni (VPC CNI 1.18.0+: `GetVpcSubnets` sorts them by AvailableIpAddressCount).
 */
export type PodNetworkMode = "nodeSubnets" | "customNetworking" | "subnetDiscovery";

/** First VPC CNI release with enhanced subnet discovery, on by default from there (CNI CHANGELOG v1.18.0). */
export const SUBNET_DISCOVERY_MIN_CNI_VERSION = "1.18.0";

/**
 * The mode an environment asks for. Custom networking wins over discovery, as it does in the CNI
 * (`createENI` only discovers subnets when custom networking is off); the checks refuse both at once.
 */
export function podNetworkMode(cni: Pick<CniSpec, "customNetworking"> & { subnetDiscovery?: boolean }): PodNetworkMode {
  if (cni.customNetworking) return "customNetworking";
  return cni.subnetDiscovery ? "subnetDiscovery" : "nodeSubnets";
}

/** Whether the node's primary ENI serves pods (the calculator's "custom networking" flag is its negation). */
export function primaryEniServesPods(mode: PodNetworkMode): boolean {
  switch (mode) {
    case "nodeSubnets":
    case "subnetDiscovery":
      return true;
    case "customNetworking":
      return false;
  }
}

/** The pod network mode in words. */
export function podNetworkLabel(mode: PodNetworkMode): string | undefined {
  switch (mode) {
    case "nodeSubnets":
      return undefined;
    case "customNetworking":
      return "custom networking";
    case "subnetDiscovery":
      return "subnet discovery";
  }
}

/** Whether the pod subnets carry the discovery tag (kubernetes.io/role/cni=1). */
export function podSubnetsDiscoverable(mode: PodNetworkMode): boolean {
  switch (mode) {
    case "subnetDiscovery":
      return true;
    case "nodeSubnets":
    case "customNetworking":
      return false;
  }
}

/**
 * The subnets a node's ENIs beyond the primary take pod addresses from, in the order the plan
 * prefers them on a tie: the node's own subnet, the AZ's pod subnet (ENIConfig), or both as one pool.
 * Empty when the mode needs a subnet the AZ lacks (the checks report it).
 */
export function secondaryEniSubnets(
  mode: PodNetworkMode,
  nodeSubnet: PlannedSubnet,
  podSubnet: PlannedSubnet | undefined,
): PlannedSubnet[] {
  switch (mode) {
    case "nodeSubnets":
      return [nodeSubnet];
    case "customNetworking":
      return podSubnet ? [podSubnet] : [];
    case "subnetDiscovery":
      // A tie goes to the tagged subnet: it is the one planned for pods.
      return podSubnet ? [podSubnet, nodeSubnet] : [nodeSubnet];
  }
}

/**
 * The subnet a node's trunk and branch ENIs (security groups for pods) are in: the VPC resource
 * controller creates them in the node's "current subnet", the ENIConfig's with custom networking,
 * else the instance's own; it does no subnet discovery (aws/amazon-vpc-resource-controller-k8s
 * pkg/aws/ec2/instance.go updateCurrentSubnetAndCidrBlock; pkg/provider/branch/trunk/trunk.go
 * creates both in SubnetID()). Undefined when custom networking has no pod subnet in the AZ.
 */
export function branchEniSubnet(
  mode: PodNetworkMode,
  nodeSubnet: PlannedSubnet,
  podSubnet: PlannedSubnet | undefined,
): PlannedSubnet | undefined {
  switch (mode) {
    case "nodeSubnets":
    case "subnetDiscovery":
      return nodeSubnet;
    case "customNetworking":
      return podSubnet;
  }
}
