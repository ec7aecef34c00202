/**
 * Every name the project gives a thing in AWS, Kubernetes or HCP Terraform, built in one place.
 * Constructs and builders take their names from here; planned-names.ts lists them all with what each
 * is made of, and the checks (checks/names.ts) judge every one against its service's rules. A test
 * proves every name the synthesized output holds is one of the listed ones.
 */

/** The stacks of an environment, in deploy order. */
export const STACKS = ["network", "cluster", "cni", "nodes", "workloads"] as const;
export type StackName = (typeof STACKS)[number];

// IAM and other AWS names. Each takes the environment's cluster name as written (cluster.name).
export const clusterRoleName = (cluster: string): string => `${cluster}-cluster`;
export const nodeRoleName = (cluster: string): string => `${cluster}-node`;
export const vpcCniRoleName = (cluster: string): string => `${cluster}-vpc-cni`;
/** The role of the self-managed Multus nodes, and its instance profile. */
export const multusNodeRoleName = (cluster: string): string => `${cluster}-multus-node`;
export const ipAssignerRoleName = (cluster: string, workload: string): string => `${cluster}-${workload}-ip-assigner`;
/** The security group of a public Multus network, the only one on its interfaces. */
export const multusPublicSecurityGroupName = (cluster: string, network: string): string =>
  `${cluster}-multus-${network}`;
/** The role of the eip-associator sidecar of a public-IP workload. */
export const eipAssociatorRoleName = (cluster: string, workload: string): string =>
  `${cluster}-${workload}-eip-associator`;
/** The security group a SecurityGroupPolicy (cni.podSecurityGroups.policies) gives its pods. */
export const podSecurityGroupName = (cluster: string, policy: string): string => `${cluster}-pods-${policy}`;
export const secretsKeyAlias = (cluster: string): string => `alias/eks/${cluster}`;
/** Fixed by EKS: the control plane writes its logs to this group. */
export const controlPlaneLogGroup = (cluster: string): string => `/aws/eks/${cluster}/cluster`;
/** Name of a node group's (or Multus node's) launch template; AWS appends a unique suffix to `<name>-`. */
export const launchTemplateName = (cluster: string, owner: string): string => `${cluster}-${owner}`;
/**
 * An EKS managed node group's name prefix: Terraform names the group `<name>-<26 characters>`, a new
 * name for every replacement, so the successor can be created before the old group is destroyed.
 */
export const nodeGroupNamePrefix = (group: string): string => `${group}-`;
/** Terraform's name_prefix appends 26 characters (a timestamp and a counter). */
export const NAME_PREFIX_SUFFIX_LENGTH = 26;
/** A Multus node slot: `<group>-<index>`; it names the instance and its interfaces. */
export const multusSlotName = (group: string, index: number): string => `${group}-${index}`;

// Kubernetes names.
export const BOOTCAMP_NAME = "kubernetes-bootcamp";
/** The ip-assigner's service account and ConfigMap of a Multus workload. */
export const ipAssignerName = (workload: string): string => `${workload}-ip-assigner`;
/** The sidecar of public-IP pods; the app container is named after the workload. */
export const EIP_ASSOCIATOR_CONTAINER = "eip-associator";
/** The eip-associator's service account and ConfigMap of a public-IP workload. */
export const eipAssociatorName = (workload: string): string => `${workload}-eip-associator`;
/** A Multus network's NetworkAttachmentDefinition in one AZ: one per AZ, since the range differs per AZ. */
export const attachmentName = (network: string, az: string): string => `${network}-${az}`;
/** A Multus workload's Deployment in one AZ. */
export const multusDeploymentName = (workload: string, az: string): string => `${workload}-${az}`;
/**
 * A public Multus network's NetworkAttachmentDefinition for one node slot: the slot's fixed address
 * is in its config (static IPAM), so each slot has its own.
 */
export const publicAttachmentName = (network: string, slot: string): string => `${network}-${slot}`;
/** The StatefulSet of one replica that pins a workload on a public Multus network to a node slot. */
export const multusStatefulSetName = (workload: string, slot: string): string => `${workload}-${slot}`;
/** The pod a StatefulSet names after itself and its ordinal; for public-IP pods, also the name of its Elastic IP. */
export const statefulSetPodName = (statefulSet: string, ordinal: number): string => `${statefulSet}-${ordinal}`;
/** Name tag of the Elastic IP a pod holds on a public Multus network. */
export const multusPublicIpName = (pod: string, network: string): string => `${pod}-${network}`;
/** The helm release of the SecurityGroupPolicy objects of one namespace. */
export const POD_SECURITY_GROUPS_RELEASE = "pod-security-groups";
export const MULTUS_RELEASES = { crds: "multus-crds", multus: "multus", whereabouts: "whereabouts" } as const;
export const multusNetworksRelease = (namespace: string): string => `multus-networks-${namespace}`;

// The environment's folders.
/** Where `npm run synth`, `deploy` and `destroy` write an environment's Terraform: one folder each, so no two share a `.terraform`. */
export const outputFolder = (environment: string): string => `cdktf.out.${environment}`;
/** Where `npm run synth:hcl` writes an environment's HCL export: hcl/<environment>. */
export const HCL_FOLDER = "hcl";

// Terraform state.
/** `<prefix>-<environment>-<stack>`: cross-stack references read other stacks' state by workspace name. */
export const stateWorkspaceName = (prefix: string, environment: string, stack: string): string =>
  `${prefix}-${environment}-${stack}`;
export const stateKey = (keyPrefix: string, environment: string, stack: string): string =>
  `${keyPrefix}/${environment}/${stack}.tfstate`;
/** Relative to the project root. */
export const localStatePath = (directory: string, environment: string, stack: string): string =>
  `${directory}/${environment}/${stack}.tfstate`;
