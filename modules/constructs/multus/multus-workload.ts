import { Construct } from "constructs";
import type { MultusPodsSpec } from "../../environment/schema";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ManifestsRelease } from "../kubernetes/manifests-release";
import { ipAssignerName, type MultusEniRef } from "../../k8s/multus/ip-assigner";
import { IpAssignerRole } from "./ip-assigner-role";
import { multusPodsObjects } from "../../k8s/multus/multus-pods";
import type { MultusPodsPlacement } from "../../plan/placement";

export interface MultusWorkloadProps {
  spec: MultusPodsSpec;
  placement: MultusPodsPlacement;
  clusterName: string;
  region: string;
  sidecarImage: string;
  oidcProviderArn: string;
  oidcIssuer: string;
  /** Every Multus ENI of the cluster (the nodes stack's). */
  enis: MultusEniRef[];
  policies: AwsManagedPolicies;
}

/** A Multus workload: its pods' sidecar role (IRSA) and the release with the pods, per AZ. */
export class MultusWorkload extends Construct {
  readonly role: IpAssignerRole;
  readonly release: ManifestsRelease;

  constructor(scope: Construct, id: string, props: MultusWorkloadProps) {
    super(scope, id);
    const { spec } = props;
    this.role = new IpAssignerRole(this, "ip-assigner", {
      name: `${props.clusterName}-${spec.name}-ip-assigner`,
      clusterName: props.clusterName,
      region: props.region,
      namespace: spec.namespace,
      serviceAccount: ipAssignerName(spec.name),
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuer: props.oidcIssuer,
      policies: props.policies,
    });
    this.release = new ManifestsRelease(this, "pods", {
      name: spec.name,
      namespace: spec.namespace,
      objects: multusPodsObjects({ spec, placement: props.placement, region: props.region, sidecarImage: props.sidecarImage, roleArn: this.role.roleArn, enis: props.enis }),
    });
  }
}
