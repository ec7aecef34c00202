import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { adminKey } from "../../plan/cluster-access";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";

export interface ClusterAdminsProps {
  readonly clusterName: string;
  /** IAM role or user ARNs: exactly the cluster's admins (the checks refuse two naming one principal). */
  readonly principals: readonly string[];
  /**
   * The principal of the deployer entry an earlier version created for whoever ran the stack; that
   * entry moves to this admin's. Default: none (an old deployer entry is destroyed).
   */
  readonly formerDeployer?: string;
  readonly policies: AwsManagedPolicies;
}

/**
 * Cluster-admin access entries for exactly the environment's admins. Each is known by its
 * principal (account, kind, name), so adding or removing one admin never touches another's entry:
 * principal_arn forces replacement, and a replaced entry is created while its old self may still
 * exist (EKS answers ResourceInUseException), which index-based addresses would cause whenever the
 * list shifted.
 */
export class ClusterAdmins extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAdminsProps) {
    super(scope, id);
    const adminPolicy = props.policies.eksAccessPolicyArn("AmazonEKSClusterAdminPolicy");
    const formerKey = props.formerDeployer === undefined ? undefined : adminKey(props.formerDeployer);
    props.principals.forEach((principalArn, index) => {
      const key = `admin-${adminKey(principalArn)}`;
      const entry = new EksAccessEntry(this, `${key}-entry`, {
        clusterName: props.clusterName,
        principalArn,
        type: "STANDARD",
      });
      const association = new EksAccessPolicyAssociation(this, `${key}-admin`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: adminPolicy,
        accessScope: { type: "cluster" },
      });
      // Where earlier versions kept this entry: the deployer's (when this admin ran the stack), or
      // admin-<index> (entries were numbered by their place in the list).
      const former = adminKey(principalArn) === formerKey ? "deployer" : `admin-${index}`;
      entry.moveFromId(`aws_eks_access_entry.${this.formerLogicalId(`${former}-entry`)}`);
      association.moveFromId(`aws_eks_access_policy_association.${this.formerLogicalId(`${former}-admin`)}`);
    });
  }

  /**
   * The logical id cdktf gave a resource with this construct id directly under this one (its
   * address is made of the construct path): computed on a stand-in, removed again at once.
   */
  private formerLogicalId(id: string): string {
    const standIn = new Construct(this, id);
    const logicalId = TerraformStack.of(this).getLogicalId(standIn.node);
    this.node.tryRemoveChild(id);
    return logicalId;
  }
}
