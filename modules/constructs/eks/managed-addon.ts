import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface ManagedAddonProps {
  readonly clusterName: string;
  readonly addonName: string;
  /** Pinned version. Default: the default version EKS names for the cluster's Kubernetes version. */
  readonly version?: string;
  readonly kubernetesVersion: string;
  /** IRSA role of the add-on's service account. Default: none (the node role's rights). */
  readonly serviceAccountRoleArn?: string;
  /**
   * EKS Pod Identity: roles for the add-on's service accounts, associated by the add-on itself (and
   * deleted with it). Default: none.
   */
  readonly podIdentityAssociations?: ReadonlyArray<{ readonly serviceAccount: string; readonly roleArn: string }>;
  /** JSON (a jsonencode expression). Default: none (the add-on's defaults). */
  readonly configurationValues?: string;
  /** What must exist first. Default: nothing beyond the references. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** An EKS managed add-on that owns its Kubernetes objects: our configuration wins over any drift. */
export class ManagedAddon extends Construct {
  readonly arn: string;
  /** The add-on's name, as a plain string (usable where Terraform wants a literal). */
  readonly addonName: string;
  /** The add-on resource, for depends_on. */
  readonly dependable: ITerraformDependable;

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
    const addon = new EksAddon(this, "addon", {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: version,
      serviceAccountRoleArn: props.serviceAccountRoleArn,
      podIdentityAssociation: props.podIdentityAssociations?.map((a) => ({ ...a })),
      configurationValues: props.configurationValues,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.arn = addon.arn;
    this.dependable = addon;
  }
}
