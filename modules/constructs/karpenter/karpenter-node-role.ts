import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NodeRole } from "../eks/node-role";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";

export interface KarpenterNodeRoleProps {
  /** The role's and the instance profile's name (plan/names.ts). */
  readonly name: string;
  readonly clusterName: string;
  readonly policies: AwsManagedPolicies;
}

/**
 * The role of the nodes Karpenter launches: the managed nodes' policies (NodeRole), an instance
 * profile Terraform owns (the EC2NodeClass names it), and an EC2_LINUX access entry, with which EKS
 * lets the nodes join (system:nodes) without aws-auth. An EC2_LINUX entry takes no access policy
 * and no groups (EKS CreateAccessEntry); terraform-aws-eks' karpenter module makes the same one.
 */
export class KarpenterNodeRole extends Construct {
  readonly roleArn: string;
  readonly instanceProfileName: string;
  /** The access entry: no node joins before it exists. */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: KarpenterNodeRoleProps) {
    super(scope, id);
    const role = new NodeRole(this, "role", {
      name: props.name,
      clusterName: props.clusterName,
      policies: props.policies,
    });
    const profile = new IamInstanceProfile(this, "instance-profile", { name: props.name, role: role.roleName });
    this.dependable = new EksAccessEntry(this, "access-entry", {
      clusterName: props.clusterName,
      principalArn: role.roleArn,
      type: "EC2_LINUX",
    });
    this.roleArn = role.roleArn;
    this.instanceProfileName = profile.name;
  }
}
