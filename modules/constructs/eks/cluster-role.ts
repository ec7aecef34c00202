import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../iam/service-role";

export interface ClusterRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly clusterName: string;
  /** The KMS key Secrets are encrypted with: the role may use it and no other. */
  readonly secretsKeyArn: string;
  readonly policies: AwsManagedPolicies;
}

/** The role the EKS control plane acts as: AmazonEKSClusterPolicy, and use of the Secrets key only. */
export class ClusterRole extends Construct {
  readonly roleArn: string;
  /** Its policy attachments and key policy: what the cluster waits for. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ClusterRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, "cluster", {
      name: props.name,
      description: `EKS control plane of ${props.clusterName}`,
      // EKS tags its sessions, so the trust allows sts:TagSession too.
      trust: serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
      managedPolicies: ["AmazonEKSClusterPolicy"],
      policies: props.policies,
    });
    const useKey = new DataAwsIamPolicyDocument(this, "secrets-key-use", {
      statement: [
        {
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: [props.secretsKeyArn],
        },
      ],
    });
    const keyPolicy = new IamRolePolicy(this, "secrets-key", {
      role: role.roleName,
      name: "secrets-encryption-key",
      policy: useKey.json,
    });
    this.roleArn = role.roleArn;
    this.dependables = [...role.dependables, keyPolicy];
  }
}
