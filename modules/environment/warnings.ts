/**
 * Every warning the checks can give, by its stable id. An environment file acknowledges a warning by
 * this id (`acknowledgedWarnings`), which strict mode (`--strict`, EKS_STRICT=1) then lets pass; the
 * JSON Schema offers these ids to editors. A warning added to the checks is added here the same day
 * (a test holds every warning any fixture gives against this list); an id, once released, keeps its
 * meaning, because environment files name it.
 */
export const WARNINGS = {
  "unknown-region": "the region is not one this tool knows",
  "unknown-zone-letter": "an availability zone letter beyond the zones AWS has published for the region",
  "unknown-kubernetes-version": "a Kubernetes version EKS is not known to run",
  "open-api-endpoint": "the Kubernetes API endpoint is reachable from any address",
  "unused-pod-subnet": "a pod subnet while custom networking and subnet discovery are off",
  "subnet-discovery-without-pod-subnets": "subnet discovery on, but no pod subnet to tag for it",
  "warm-prefix-target-unused": "warmPrefixTarget without prefix delegation",
  "pod-identity-switch-in-progress":
    "the IAM OIDC provider kept beside Pod Identity: the first of the two deploys that switch to it",
  "pod-security-groups-unsupported-instance-type":
    "a node group whose instance type takes no trunk ENI, so pods with security groups of their own never run on it",
  "pod-security-groups-unknown-instance-type":
    "a node group whose instance type the trunking table does not list (one ENI is counted as the trunk)",
  "pod-security-group-without-dns":
    "a security group policy without the cluster security group whose pods cannot reach CoreDNS",
  "subnet-capacity": "a subnet with fewer addresses than its nodes' pods need at maxSize",
  "rollout-surge-capacity": "a subnet without room for a rollout's, replacement's or control-plane upgrade's surge",
  "macvlan-network": "a macvlan Multus network, whose pods reach only pods of the same node",
  "multus-range-missing": "a Multus network without a range in an AZ where its nodes run",
  "multus-group-sizes-ignored": "minSize or maxSize of a Multus node group, which has fixed nodes",
  "multus-range-exhausted": "more Multus pods than addresses in a network's range",
  "multus-eni-addresses-short": "more Multus pod addresses than the nodes' ENIs hold",
  "multus-routes-between-zones": "a Multus network with ranges in several AZs whose routes miss another AZ's subnet",
  "multus-public-ingress-from-anywhere": "a public Multus network open to the whole internet",
  "multus-public-addresses-follow-group-order":
    "a public Multus network carried by several node groups, whose nodes take its addresses in group order",
  "whereabouts-newer-than-manifests": "a whereabouts version newer than the manifests the project follows",
  "elastic-ip-quota": "more Elastic IPs than the default quota",
  "keep-addresses-obsolete": "keepAddresses, which no longer has an effect (addresses are kept until released)",
  "released-address-reused": "an Elastic IP name that was released once and comes back, as a new address",
  "multus-public-address-released":
    "a public Multus network's Elastic IP released while its pod still runs, which keeps its address without a public one",
  "creator-admin-fixed-at-creation": "cluster.bootstrapCreatorAdmin, which EKS reads only when it creates the cluster",
  "exec-auth-on-remote-runs": "exec authentication while HCP Terraform runs remotely, without the AWS CLI",
  "accelerator-without-drivers": "an instance type whose accelerators the standard AL2023 AMI has no drivers for",
  "article-sample-image": "the article's sample image, which some nodes cannot run",
  "node-pool-max-pods-floor":
    "a Karpenter node pool whose smallest instance type holds every node's max pods far below what its larger types run",
  "shared-discovery-subnets":
    "a cluster in another environment's network whose VPC CNI would discover the owner's pod subnets, which its plan does not count",
  "unused-acknowledgement": "an acknowledged warning that no longer fires",
} as const satisfies Record<string, string>;

export type WarningId = keyof typeof WARNINGS;

export const WARNING_IDS = Object.keys(WARNINGS) as WarningId[];

export const isWarningId = (id: string): id is WarningId => Object.hasOwn(WARNINGS, id);
