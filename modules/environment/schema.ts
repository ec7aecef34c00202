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
import { Network } from "./schema/network";
import { NodeGroup } from "./schema/node-groups";
import { Workloads } from "./schema/workloads";

export const EnvironmentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint: the JSON Schema of this file." }),
    name: EnvironmentName,
    description: z.string().optional(),
    region: z.string().meta({ description: "AWS region, for example us-east-1." }),
    tags: z.record(z.string(), z.string()).default({}).meta({ description: "Extra tags on every AWS resource." }),
    network: Network,
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
export type Environment = z.output<typeof EnvironmentSchema>;
export type ZoneSubnetPlan = Environment["network"]["zones"][string];
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
