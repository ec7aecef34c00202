/**
 * The environment file: one YAML document per environment. This schema is the single source of
 * truth for its shape: it types the code (`Environment`), validates input (unknown keys and wrong
 * types are rejected), and is exported as `environments/environment.schema.json` for editors.
 *
 * The sections are in schema/, one file each. Only the shape lives here. Rules that relate fields to each other (CIDRs inside the VPC, pods per
 * subnet, ...) are in `checks/`, where they can name every field involved.
 */
import { z } from "zod";
import { Backend } from "./schema/backend";
import { Cluster } from "./schema/cluster";
import { Cni } from "./schema/cni";
import { AcknowledgedWarnings, EnvironmentName } from "./schema/identity";
import { Karpenter } from "./schema/karpenter";
import { Multus } from "./schema/multus";
import { Network as NetworkShape, type ZoneSubnets } from "./schema/network";
import { NodeGroup } from "./schema/node-groups";
import { Workloads } from "./schema/workloads";

export const EnvironmentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint: the JSON Schema of this file." }),
    name: EnvironmentName,
    description: z.string().optional(),
    region: z.string().meta({ description: "AWS region, for example us-east-1." }),
    tags: z.record(z.string(), z.string()).default({}).meta({ description: "Extra tags on every AWS resource." }),
    network: NetworkShape,
    cluster: Cluster,
    cni: Cni.default({
      customNetworking: false,
      subnetDiscovery: false,
      prefixDelegation: false,
      externalSnat: false,
      networkPolicy: false,
    }),
    nodeGroups: z.array(NodeGroup).min(1),
    karpenter: Karpenter.optional().meta({
      description: "Karpenter with node pools: node capacity that scales, planned like the node groups.",
    }),
    workloads: Workloads.default({ publicIpPods: [], multusPods: [] }),
    multus: Multus.optional().meta({ description: "Multus CNI and its networks: pods with several interfaces." }),
    backend: Backend.default({ type: "local", directory: "terraform-state" }).meta({
      description: "Where Terraform keeps state: local files (default), HCP Terraform workspaces, or S3.",
    }),
    acknowledgedWarnings: AcknowledgedWarnings,
  })
  .meta({ title: "eks-custom-networking environment", description: "One EKS network plan." });

export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** The file as written (after defaults): its `network` in one of its three forms. */
export type EnvironmentFile = z.output<typeof EnvironmentSchema>;
export type NetworkFile = EnvironmentFile["network"];
/** An environment with its network resolved (load/network-owner.ts): what the plan, checks and stacks read. */
export type Environment = Omit<EnvironmentFile, "network"> & { network: Network };
export type ZoneSubnetPlan = z.output<typeof ZoneSubnets>;

/**
 * The network an environment runs in, whichever form its file uses: the blocks and subnets (from the
 * file, or from the file of the environment it shares them with) and where the VPC comes from.
 */
export interface Network {
  vpcCidr: string;
  secondaryCidrs: string[];
  /** `none`: an existing VPC, whose egress is its owner's. */
  natGateways: "single" | "perAz" | "none";
  zones: Record<string, ZoneSubnetPlan>;
  ipamPoolId?: string;
  source: NetworkSource;
}

/** The roles a subnet of an existing VPC can be named for. */
export type ExistingSubnetRole = "node" | "pod" | "public" | "controlPlane";

export type NetworkSource =
  /** This environment creates its VPC. */
  | { kind: "own" }
  /** Another environment's VPC (`network.from`), read through that environment's network state. */
  | { kind: "shared"; from: string; owner: NetworkOwner }
  /** A VPC created outside this project, by id. */
  | { kind: "existing"; vpcId: string; subnetIds: Record<string, Partial<Record<ExistingSubnetRole, string>>> };

/** What a sharing environment knows of the one whose network it uses. */
export interface NetworkOwner {
  /** The owner's environment name: it names its state. */
  name: string;
  /** Its file as shown in messages. */
  file: string;
  region: string;
  clusterName: string;
  backend: BackendSpec;
  /** Its pod network settings: whether its pod subnets carry the subnet discovery tag. */
  cni: CniSpec;
}

export type NodeGroupSpec = Environment["nodeGroups"][number];
export type CniSpec = Environment["cni"];
export type PodSecurityGroupsSpec = NonNullable<CniSpec["podSecurityGroups"]>;
export type SecurityGroupPolicySpec = PodSecurityGroupsSpec["policies"][number];
export type SecurityGroupRuleSpec = SecurityGroupPolicySpec["ingress"][number];
export type ClusterSpec = Environment["cluster"];
export type PublicIpPodsSpec = Environment["workloads"]["publicIpPods"][number];
export type MultusPodsSpec = Environment["workloads"]["multusPods"][number];
export type MultusSpec = NonNullable<Environment["multus"]>;
export type MultusNetworkSpec = MultusSpec["networks"][number];
export type MultusPublicSpec = NonNullable<MultusNetworkSpec["public"]>;
export type MultusIngressRuleSpec = MultusPublicSpec["allowFrom"][number];
export type BackendSpec = Environment["backend"];
export type KarpenterSpec = NonNullable<Environment["karpenter"]>;
export type NodePoolSpec = KarpenterSpec["nodePools"][number];
