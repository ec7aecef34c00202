import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../iam/service-role";

/** The managed policies of the node role. Not AmazonEKS_CNI_Policy: the VPC CNI has its own role (IRSA). */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"];

export interface NodeRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly clusterName: string;
  readonly policies: AwsManagedPolicies;
}

/** The role every managed node's instance profile carries. */
export class NodeRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, "node", {
      name: props.name,
      description: `Nodes of EKS cluster ${props.clusterName}`,
      trust: serviceTrust("ec2.amazonaws.com"),
      managedPolicies: NODE_ROLE_POLICIES,
      policies: props.policies,
    });
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
  }
}
