import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NODE_ROLE_POLICIES } from "../eks/node-role";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../iam/service-role";

export interface MultusNodeRoleProps {
  readonly clusterName: string;
  /** The role's name, also its instance profile's (plan/names.ts). */
  readonly name: string;
  readonly policies: AwsManagedPolicies;
}

/**
 * The identity of the self-managed Multus nodes: a role of their own with the node policies, its
 * instance profile, and the EC2_LINUX access entry that lets those nodes join (API authentication).
 *
 * Not the cluster's node role: EKS creates an access entry for the role of every managed node group
 * itself, and a second entry for the same role fails ("ResourceInUseException: The specified access
 * entry resource is already in use", terraform-aws-modules/terraform-aws-eks#2977, eksctl#7502), or,
 * created first, would be taken away with the node group. A separate role keeps both apart.
 */
export class MultusNodeRole extends Construct {
  readonly instanceProfileArn: string;
  /** What an instance must wait for: the profile, the policies on its role, and its access entry. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: MultusNodeRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, "role", {
      name: props.name,
      description: `Multus nodes (self-managed) of EKS cluster ${props.clusterName}`,
      trust: serviceTrust("ec2.amazonaws.com"),
      managedPolicies: NODE_ROLE_POLICIES,
      policies: props.policies,
    });
    const instanceProfile = new IamInstanceProfile(this, "instance-profile", { name: props.name, role: role.roleName });
    const accessEntry = new EksAccessEntry(this, "access-entry", {
      clusterName: props.clusterName,
      principalArn: role.roleArn,
      type: "EC2_LINUX",
    });
    this.instanceProfileArn = instanceProfile.arn;
    this.dependables = [instanceProfile, accessEntry, ...role.dependables];
  }
}
