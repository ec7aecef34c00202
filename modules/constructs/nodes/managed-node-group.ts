import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { NodeGroupSpec } from "../../environment/schema";
import { nodeLabels } from "../../plan/node-groups";
import { NodeLaunchTemplate } from "./node-launch-template";
import { nodeadmUserData } from "../../k8s/nodeadm-user-data";

export interface ClusterJoin {
  clusterName: string;
  endpoint: string;
  certificateAuthorityData: string;
  serviceCidr: string;
}

export interface ManagedNodeGroupProps {
  spec: NodeGroupSpec;
  cluster: ClusterJoin;
  nodeRoleArn: string;
  subnetIds: string[];
  imageId: string;
  /** The kubelet's maxPods, set explicitly. */
  maxPods: number;
  /** What must exist before any node boots (the CNI add-ons). */
  dependsOn: ITerraformDependable[];
  tags: Record<string, string>;
}

/** An EKS managed node group booting from our launch template, so our NodeConfig (and maxPods) is the only one. */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: NodeLaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { spec, cluster } = props;
    this.launchTemplate = new NodeLaunchTemplate(this, "launch-template", {
      name: `${cluster.clusterName}-${spec.name}`,
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
    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: cluster.clusterName,
      nodeGroupName: spec.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      instanceTypes: [spec.instanceType],
      capacityType: spec.capacityType,
      scalingConfig: { desiredSize: spec.desiredSize, minSize: spec.minSize, maxSize: spec.maxSize },
      updateConfig: { maxUnavailable: spec.maxUnavailable },
      launchTemplate: { id: this.launchTemplate.template.id, version: String(this.launchTemplate.template.latestVersion) },
      // Also on the node group, so EKS and the cluster autoscaler (scaling from zero) know them.
      labels: spec.labels,
      taint: spec.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
  }
}
