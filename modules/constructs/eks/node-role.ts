import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../iam/service-role";

/** The managed policies of the node role. Not AmazonEKS_CNI_Policy: the VPC CNI has its own role (IRSA). */
export const NODE_ROLE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"];

/** The role every node's instance profile carries. */
export class NodeRole extends Construct {
  readonly serviceRole: ServiceRole;

  constructor(scope: Construct, id: string, props: { clusterName: string; policies: AwsManagedPolicies }) {
    super(scope, id);
    this.serviceRole = new ServiceRole(this, "node", {
      name: `${props.clusterName}-node`,
      description: `Nodes of EKS cluster ${props.clusterName}`,
      trust: serviceTrust("ec2.amazonaws.com"),
      managedPolicies: NODE_ROLE_POLICIES,
      policies: props.policies,
    });
  }
}
