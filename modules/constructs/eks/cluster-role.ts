import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../iam/service-role";
import type { SecretsEncryptionKey } from "./secrets-key";

export interface ClusterRoleProps {
  clusterName: string;
  secretsKey: SecretsEncryptionKey;
  policies: AwsManagedPolicies;
}

/** The role the EKS control plane acts as: AmazonEKSClusterPolicy, and use of the Secrets key only. */
export class ClusterRole extends Construct {
  readonly serviceRole: ServiceRole;
  readonly keyPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ClusterRoleProps) {
    super(scope, id);
    this.serviceRole = new ServiceRole(this, "cluster", {
      name: `${props.clusterName}-cluster`,
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
          resources: [props.secretsKey.key.arn],
        },
      ],
    });
    this.keyPolicy = new IamRolePolicy(this, "secrets-key", { role: this.serviceRole.role.name, name: "secrets-encryption-key", policy: useKey.json });
  }
}
