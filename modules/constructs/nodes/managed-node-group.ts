import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { NodeGroupSpec } from "../../environment/schema";
import { nodeadmUserData } from "../../k8s/nodeadm-user-data";
import { nodeLabels } from "../../plan/node-groups";
import { NodeLaunchTemplate } from "./node-launch-template";

/** What a node needs to join the cluster (Terraform references to it). */
export interface ClusterJoin {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly serviceCidr: string;
}

export interface ManagedNodeGroupProps {
  readonly spec: NodeGroupSpec;
  readonly cluster: ClusterJoin;
  /** The launch template's name (plan/names.ts). */
  readonly launchTemplateName: string;
  /** The node group's name prefix (plan/names.ts nodeGroupNamePrefix); Terraform appends a unique suffix. */
  readonly namePrefix: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly imageId: string;
  /** The kubelet's maxPods, set explicitly. */
  readonly maxPods: number;
  /** What must exist before any node boots (the CNI add-ons). */
  readonly dependsOn: readonly ITerraformDependable[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * An EKS managed node group booting from our launch template, so our NodeConfig (and maxPods) is the
 * only one. Replaced without a capacity gap; a group with minSize < maxSize keeps its desired size.
 */
export class ManagedNodeGroup extends Construct {
  readonly arn: string;
  readonly nodeGroupName: string;
  /** The node group, for what must wait until its nodes exist (CoreDNS). */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { spec, cluster } = props;
    const launchTemplate = new NodeLaunchTemplate(this, "launch-template", {
      name: props.launchTemplateName,
      imageId: props.imageId,
      userData: nodeadmUserData({
        clusterName: cluster.clusterName,
        apiServerEndpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthorityData,
        serviceCidr: cluster.serviceCidr,
        maxPods: props.maxPods,
        labels: nodeLabels(spec),
        taints: spec.taints,
      }),
      diskSizeGiB: spec.diskSizeGiB,
      metadataHopLimit: spec.metadataHopLimit,
      detailedMonitoring: spec.detailedMonitoring,
      tags: props.tags,
    });
    const autoscales = spec.minSize < spec.maxSize;
    const nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: cluster.clusterName,
      // instance_types, subnet_ids, capacity_type (and node_role_arn, launch_template.id) force a new
      // node group (aws provider node_group.go: ForceNew). A name prefix gives every replacement a new
      // name, so the successor is created and joined before the old group is drained and destroyed
      // (create_before_destroy), as terraform-aws-eks does; a fixed name would collide. Moving a group
      // from node_group_name to the prefix replaces it once, the same way.
      nodeGroupNamePrefix: props.namePrefix,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [spec.instanceType],
      capacityType: spec.capacityType,
      scalingConfig: { desiredSize: spec.desiredSize, minSize: spec.minSize, maxSize: spec.maxSize },
      updateConfig: { maxUnavailable: spec.maxUnavailable },
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion },
      // Also on the node group, so EKS and the cluster autoscaler (scaling from zero) know them.
      labels: spec.labels,
      taint: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      tags: { ...props.tags },
      dependsOn: [...props.dependsOn],
      lifecycle: {
        createBeforeDestroy: true,
        // A group that autoscales keeps the size it was scaled to: without this every deploy would
        // reset desired_size to the file's value (the provider always sends it with scaling_config).
        ...(autoscales ? { ignoreChanges: ["scaling_config[0].desired_size"] } : {}),
      },
    });
    this.arn = nodeGroup.arn;
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.dependable = nodeGroup;
  }
}
