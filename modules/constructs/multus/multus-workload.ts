import { Construct } from "constructs";
import type { MultusPodsSpec } from "../../environment/schema";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ManifestsRelease } from "../kubernetes/manifests-release";
import type { MultusEniRef } from "../../k8s/multus/ip-assigner";
import { ipAssignerName, ipAssignerRoleName } from "../../plan/names";
import { IpAssignerRole } from "./ip-assigner-role";
import { multusPodsObjects } from "../../k8s/multus/multus-pods";
import type { MultusRange } from "../../plan/multus-ranges";
import type { MultusPodsPlacement } from "../../plan/placement";

export interface MultusWorkloadProps {
  readonly spec: MultusPodsSpec;
  readonly placement: MultusPodsPlacement;
  /** Every Multus network's range per AZ. */
  readonly ranges: readonly MultusRange[];
  readonly clusterName: string;
  readonly region: string;
  readonly sidecarImage: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuer: string;
  /** Every Multus ENI the nodes stack made (a node added since finds its own through EC2). */
  readonly enis: readonly MultusEniRef[];
  readonly policies: AwsManagedPolicies;
}

/** A Multus workload: its pods' sidecar role (IRSA) and the release with the pods, per AZ. */
export class MultusWorkload extends Construct {
  constructor(scope: Construct, id: string, props: MultusWorkloadProps) {
    super(scope, id);
    const { spec } = props;
    const role = new IpAssignerRole(this, "ip-assigner", {
      name: ipAssignerRoleName(props.clusterName, spec.name),
      clusterName: props.clusterName,
      region: props.region,
      namespace: spec.namespace,
      serviceAccount: ipAssignerName(spec.name),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      policies: props.policies,
    });
    new ManifestsRelease(this, "pods", {
      name: spec.name,
      namespace: spec.namespace,
      objects: multusPodsObjects({
        spec,
        placement: props.placement,
        ranges: props.ranges,
        region: props.region,
        clusterName: props.clusterName,
        sidecarImage: props.sidecarImage,
        roleArn: role.roleArn,
        enis: [...props.enis],
      }),
    });
  }
}
