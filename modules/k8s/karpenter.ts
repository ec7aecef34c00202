/**
 * Karpenter's objects from the plan: one EC2NodeClass and one NodePool per pool, and the values of
 * Karpenter's own chart. Written from karpenter-provider-aws v1.14.1's CRDs
 * (pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml, karpenter.sh_nodepools.yaml; the tests
 * validate every object against copies of them) and its chart's values.yaml. kubernetes-models has
 * no Karpenter types, so the fields used are typed here, named as the CRDs name them.
 */
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { NodePoolSpec } from "../environment/schema";
import { clusterTag, OS_LABEL, SUBNET_ROLE_TAG, ZONE_LABEL } from "../plan/labels";
import { KARPENTER_CONTROLLER_REPLICAS } from "../plan/node-pools";
import type { KubernetesObject } from "./kubernetes-object";
import { KUBELET_TAINT_EFFECT } from "./nodeadm-user-data";

export const EC2_NODE_CLASS_API = "karpenter.k8s.aws/v1";
export const NODE_POOL_API = "karpenter.sh/v1";
/** Well-known labels Karpenter schedules by (karpenter.sh v1.14 concepts/scheduling.md). */
export const KARPENTER_LABELS = {
  family: "karpenter.k8s.aws/instance-family",
  category: "karpenter.k8s.aws/instance-category",
  size: "karpenter.k8s.aws/instance-size",
  capacityType: "karpenter.sh/capacity-type",
  instanceType: "node.kubernetes.io/instance-type",
  arch: "kubernetes.io/arch",
  nodePool: "karpenter.sh/nodepool",
} as const;

interface SelectorTerm {
  tags?: Record<string, string>;
  id?: string;
}

export interface EC2NodeClass extends KubernetesObject {
  apiVersion: typeof EC2_NODE_CLASS_API;
  kind: "EC2NodeClass";
  metadata: IObjectMeta & { name: string };
  spec: {
    amiSelectorTerms: Array<{ alias: string }>;
    subnetSelectorTerms: SelectorTerm[];
    securityGroupSelectorTerms: SelectorTerm[];
    instanceProfile: string;
    kubelet?: { maxPods?: number };
    metadataOptions: {
      httpEndpoint: "enabled";
      httpProtocolIPv6: "disabled";
      httpPutResponseHopLimit: number;
      httpTokens: "required";
    };
    blockDeviceMappings: Array<{
      deviceName: string;
      rootVolume: boolean;
      ebs: { volumeSize: string; volumeType: "gp3"; encrypted: boolean; deleteOnTermination: boolean };
    }>;
    tags: Record<string, string>;
  };
}

export interface NodeSelectorRequirement {
  key: string;
  operator: "In";
  values: string[];
}

export interface NodePool extends KubernetesObject {
  apiVersion: typeof NODE_POOL_API;
  kind: "NodePool";
  metadata: IObjectMeta & { name: string };
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws"; kind: "EC2NodeClass"; name: string };
        taints: Array<{ key: string; value?: string; effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule" }>;
        expireAfter: string;
        requirements: NodeSelectorRequirement[];
      };
    };
    disruption: {
      consolidationPolicy: NodePoolSpec["disruption"]["consolidationPolicy"];
      consolidateAfter: string;
      budgets: Array<{ nodes: string }>;
    };
    limits: Record<string, string>;
    weight?: number;
  };
}

export interface EC2NodeClassProps {
  pool: NodePoolSpec;
  clusterName: string;
  /**
   * The instance profile of Karpenter's nodes, made by Terraform (a reference, so it exists first).
   * With spec.instanceProfile instead of spec.role, Karpenter creates, tags and deletes no instance
   * profiles (pkg/controllers/nodeclass/instanceprofile.go), so its role needs none of those rights.
   */
  instanceProfile: string;
  /** cluster.nodeAmiRelease: "latest" or a release such as v20260714. */
  amiRelease: string;
  /** The cluster security group, by id. */
  securityGroupId: string;
  /** kubelet.maxPods (node-pools.ts); absent: Karpenter counts per type. */
  kubeletMaxPods?: number;
  /** Tags for the instances, volumes and launch templates Karpenter creates (the environment's own). */
  tags: Record<string, string>;
}

/**
 * The EC2NodeClass of a pool. Subnets are selected by the plan's own tags, role and cluster, so
 * exactly the node (or public) subnets of this cluster match: pod, control-plane and Multus subnets
 * carry other roles. AL2023 by alias, pinned as the node groups' AMI is; IMDSv2 with hop limit 1
 * (pods off the host network cannot reach the node's credentials); an encrypted gp3 root volume.
 */
export function ec2NodeClass(props: EC2NodeClassProps): EC2NodeClass {
  const { pool } = props;
  return {
    apiVersion: EC2_NODE_CLASS_API,
    kind: "EC2NodeClass",
    metadata: { name: pool.name },
    spec: {
      // "al2023@latest" follows AWS's newest release, as nodeAmiRelease: latest does for node groups.
      amiSelectorTerms: [{ alias: `al2023@${props.amiRelease}` }],
      subnetSelectorTerms: [{ tags: { [SUBNET_ROLE_TAG]: pool.subnet, [clusterTag(props.clusterName)]: "shared" } }],
      securityGroupSelectorTerms: [{ id: props.securityGroupId }],
      instanceProfile: props.instanceProfile,
      ...(props.kubeletMaxPods === undefined ? {} : { kubelet: { maxPods: props.kubeletMaxPods } }),
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: { volumeSize: `${pool.diskSizeGiB}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
        },
      ],
      tags: props.tags,
    },
  };
}

export interface NodePoolProps {
  pool: NodePoolSpec;
  /** The AZs the pool launches in (node-groups.ts zonesOf). */
  zones: string[];
  /** The instance types the plan counted (node-pools.ts nodePoolInstanceTypes). */
  instanceTypes: string[];
}

/**
 * The NodePool of a pool. Its requirements repeat the file's (families, categories, sizes,
 * architectures, capacity types, AZs) and add the exact instance types the plan counted, so
 * Karpenter never launches a type whose max pods the plan did not check (a type newer than the
 * table, one prefix delegation does not apply to). Limits as the file gives them.
 */
export function nodePool(props: NodePoolProps): NodePool {
  const { pool } = props;
  const inList = (key: string, values: readonly string[] | undefined): NodeSelectorRequirement[] =>
    values === undefined ? [] : [{ key, operator: "In", values: [...values] }];
  return {
    apiVersion: NODE_POOL_API,
    kind: "NodePool",
    metadata: { name: pool.name },
    spec: {
      template: {
        metadata: { labels: { ...pool.labels } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.name },
          taints: pool.taints.map((t) => ({
            key: t.key,
            ...(t.value === undefined ? {} : { value: t.value }),
            effect: KUBELET_TAINT_EFFECT[t.effect],
          })),
          expireAfter: pool.disruption.expireAfter,
          requirements: [
            ...inList(KARPENTER_LABELS.family, pool.families),
            ...inList(KARPENTER_LABELS.category, pool.categories),
            ...inList(KARPENTER_LABELS.size, pool.sizes),
            ...inList(KARPENTER_LABELS.arch, pool.architectures),
            ...inList(OS_LABEL, ["linux"]),
            ...inList(KARPENTER_LABELS.capacityType, pool.capacityTypes),
            ...inList(ZONE_LABEL, props.zones),
            ...inList(KARPENTER_LABELS.instanceType, props.instanceTypes),
          ],
        },
      },
      disruption: {
        consolidationPolicy: pool.disruption.consolidationPolicy,
        consolidateAfter: pool.disruption.consolidateAfter,
        budgets: [{ nodes: pool.disruption.budgetNodes }],
      },
      // Strings, as Karpenter's docs advise: the API server would turn numbers into strings anyway.
      limits: {
        cpu: String(pool.limits.cpu),
        memory: pool.limits.memory,
        ...(pool.limits.nodes === undefined ? {} : { nodes: String(pool.limits.nodes) }),
      },
      ...(pool.weight === undefined ? {} : { weight: pool.weight }),
    },
  };
}

export interface KarpenterValuesProps {
  clusterName: string;
  interruptionQueue: string;
  /** node-pools.ts reservedEnis. */
  reservedEnis: number;
  /** The managed node groups the controller may run on, by the names in the file. */
  controllerNodeGroups: string[];
  /** The chart's service account annotations: IRSA's role annotation, or none under Pod Identity. */
  serviceAccountAnnotations: Record<string, string>;
}

/**
 * Values of Karpenter's chart (charts/karpenter/values.yaml, v1.14.1): the cluster and its
 * interruption queue, RESERVED_ENIS, the getting-started guide's resources (1 CPU, 1Gi), and an
 * affinity that keeps the controller on the managed node groups: off Karpenter's own nodes (the
 * chart's default rule) and on nodes labelled with one of those groups (the migration guide's rule),
 * one replica per node. The service account keeps the chart's name, which Pod Identity associates.
 */
export function karpenterValues(props: KarpenterValuesProps): Record<string, unknown> {
  return {
    settings: {
      clusterName: props.clusterName,
      interruptionQueue: props.interruptionQueue,
      reservedENIs: String(props.reservedEnis),
    },
    serviceAccount: { annotations: props.serviceAccountAnnotations },
    replicas: KARPENTER_CONTROLLER_REPLICAS,
    controller: {
      resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
    },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: KARPENTER_LABELS.nodePool, operator: "DoesNotExist" },
                { key: "eks.amazonaws.com/nodegroup", operator: "In", values: props.controllerNodeGroups },
              ],
            },
          ],
        },
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }],
      },
    },
  };
}
