/**
 * The label and tag keys the plan gives things and selects them by, each defined once. Values and
 * their meaning are the plan's; AWS, EKS and Kubernetes define the well-known ones.
 */

/** The node label of its AZ (set by the kubelet on EKS): the VPC CNI picks the ENIConfig named after it. */
export const ZONE_LABEL = "topology.kubernetes.io/zone";
/** The OS label every node carries. */
export const OS_LABEL = "kubernetes.io/os";
/** Labels EKS sets on the nodes of a managed node group (and ours set explicitly, see nodeLabels). */
export const NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
export const CAPACITY_TYPE_LABEL = "eks.amazonaws.com/capacityType";

/** Our own prefix for labels and tags. */
export const OWN_PREFIX = "eks-custom-networking";
/** Every Multus node registers with it: the Multus and whereabouts DaemonSets run only there. */
export const MULTUS_NODE_LABEL = `${OWN_PREFIX}/multus`;
/**
 * Every Multus node registers with this NoSchedule taint (kubelet --register-with-taints) and keeps it
 * while Multus is not ready on it; the multus-node-readiness DaemonSet removes it once Multus has
 * written 00-multus.conf and answers on its socket. Multus pods do not tolerate it.
 */
export const MULTUS_NOT_READY_TAINT = `${OWN_PREFIX}/multus-not-ready`;
/** The slot name of a Multus node, so a pod or an operator can tell the fixed nodes apart. */
export const NODE_SLOT_LABEL = `${OWN_PREFIX}/node-slot`;
/** The node group a node (or its instance) belongs to: label and tag. */
export const NODE_GROUP_LABEL = `${OWN_PREFIX}/node-group`;
/** The role of a subnet in the plan (node, pod, public, controlPlane, multus). */
export const SUBNET_ROLE_TAG = `${OWN_PREFIX}/role`;
/** The device index of a Multus ENI. */
export const MULTUS_INTERFACE_TAG = `${OWN_PREFIX}/multus-interface`;
/** namespace/name of the pod an Elastic IP belongs to: its sidecar finds it by this tag. */
export const POD_TAG = `${OWN_PREFIX}/pod`;
/** namespace/name of the public-IP workload an Elastic IP belongs to: its sidecar's IAM role is held to these. */
export const PUBLIC_IP_WORKLOAD_TAG = `${OWN_PREFIX}/public-ip-workload`;
/** The Multus network a NetworkAttachmentDefinition (label) or an Elastic IP (tag) belongs to. */
export const MULTUS_NETWORK_LABEL = `${OWN_PREFIX}/multus-network`;
/** Pods that own a public Elastic IP. */
export const PUBLIC_IP_LABEL = `${OWN_PREFIX}/public-ip`;
/** The labels of a public-IP workload's pods (and of its StatefulSet and Service). */
export const publicIpPodLabels = (workload: string): Record<string, string> => ({
  app: workload,
  [PUBLIC_IP_LABEL]: "true",
});

/** The tag that makes the VPC CNI leave an ENI alone: only the Multus ENIs carry it. */
export const NO_MANAGE_TAG = "node.k8s.amazonaws.com/no_manage";
/** IRSA: the service account annotation naming the role its pods assume. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
/**
 * IRSA (and EKS Pod Identity, through the same webhook code): a pod annotation listing the containers
 * that get no AWS credentials (aws/amazon-eks-pod-identity-webhook README, pkg/handler getContainersToSkip).
 */
export const SKIP_CONTAINERS_ANNOTATION = "eks.amazonaws.com/skip-containers";

/**
 * Pod template annotation saying where a workload's AWS credentials come from ("irsa" or
 * "pod-identity"): the webhook injects them when a pod is created, so a switch must replace the pods.
 */
export const AWS_CREDENTIALS_ANNOTATION = `${OWN_PREFIX}/aws-credentials`;

/** Subnet tags the AWS Load Balancer Controller reads. */
export const PUBLIC_ELB_TAG = "kubernetes.io/role/elb";
export const INTERNAL_ELB_TAG = "kubernetes.io/role/internal-elb";
/**
 * Tags the AWS provider puts on every resource of an environment (default_tags), after the
 * environment's own `tags`, which may therefore not use these keys (checks/tags.ts): verify tells the
 * environment's Elastic IPs from others' by them.
 */
export const ENVIRONMENT_TAG = "Environment";
export const CLUSTER_NAME_TAG = "Cluster";
export const MANAGED_BY_TAG = "ManagedBy";
export function environmentTags(
  environment: string,
  clusterName: string,
  own: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...own, [ENVIRONMENT_TAG]: environment, [CLUSTER_NAME_TAG]: clusterName, [MANAGED_BY_TAG]: OWN_PREFIX };
}

/** The tag EC2 and the consoles show as a resource's name; the constructs set it per resource. */
export const NAME_TAG = "Name";
/**
 * At most this many tags does the project put on one resource, default tags included (a test holds
 * every synthesized resource to it); AWS allows 50, so `tags` may hold the rest.
 */
export const PROJECT_TAGS_PER_RESOURCE = 10;
export const AWS_TAGS_PER_RESOURCE = 50;

/**
 * The tag the VPC CNI (1.18.0+) discovers pod subnets by; "1" opts a subnet in (from 1.22, "0" opts
 * one out; before, any value opted in). pkg/awsutils: subnetDiscoveryTagKey.
 */
export const SUBNET_DISCOVERY_TAG = "kubernetes.io/role/cni";
/** The prefix of every cluster's tag: a network stack's provider ignores tags under it (each cluster keeps its own). */
export const CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";
/** The tag that marks a subnet (or instance) as the cluster's: `shared` or `owned`. */
export const clusterTag = (clusterName: string): string => `${CLUSTER_TAG_PREFIX}${clusterName}`;
