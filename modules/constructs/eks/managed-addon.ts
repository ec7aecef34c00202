import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface ManagedAddonProps {
  clusterName: string;
  addonName: string;
  /** Pinned version; absent: the default version for the cluster's Kubernetes version. */
  version?: string;
  kubernetesVersion: string;
  serviceAccountRoleArn?: string;
  /** JSON (a jsonencode expression). */
  configurationValues?: string;
  dependsOn?: ITerraformDependable[];
}

/** An EKS managed add-on that owns its Kubernetes objects: our configuration wins over any drift. */
export class ManagedAddon extends Construct {
  readonly addon: EksAddon;
  /** The add-on's name, as a plain string (usable where Terraform wants a literal). */
  readonly addonName: string;

  constructor(scope: Construct, id: string, props: ManagedAddonProps) {
    super(scope, id);
    this.addonName = props.addonName;
    const version =
      props.version ??
      new DataAwsEksAddonVersion(this, "default-version", {
        addonName: props.addonName,
        kubernetesVersion: props.kubernetesVersion,
        mostRecent: false,
      }).version;
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: version,
      serviceAccountRoleArn: props.serviceAccountRoleArn,
      configurationValues: props.configurationValues,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: props.dependsOn,
    });
  }
}
