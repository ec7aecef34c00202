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
  /**
   * Security groups for pods: the VPC resource controller in the control plane acts as this role to
   * make trunk and branch ENIs, which AmazonEKSVPCResourceController allows. Default: false.
   */
  readonly podSecurityGroups?: boolean;
}

/** The policies the cluster role gets for security groups for pods (EKS user guide, security-groups-pods-deployment). */
export const POD_SECURITY_GROUPS_CLUSTER_POLICIES = ["AmazonEKSVPCResourceController"];

/**
 * The role the EKS control plane acts as: AmazonEKSClusterPolicy (and AmazonEKSVPCResourceController
 * with security groups for pods), use of the Secrets key only, and no creating log groups.
 */
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
      managedPolicies: [
        "AmazonEKSClusterPolicy",
        ...(props.podSecurityGroups ? POD_SECURITY_GROUPS_CLUSTER_POLICIES : []),
      ],
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
    // EKS keeps writing control-plane logs while a cluster is deleted, and with logs:CreateLogGroup
    // it creates /aws/eks/<name>/cluster again after Terraform destroyed it; the next deploy of that
    // name then fails with ResourceAlreadyExistsException. The group is ours (ControlPlane), so the
    // role denies itself the action, as terraform-aws-eks v17-v20 did (issue #920, PR #1594).
    const noLogGroups = new DataAwsIamPolicyDocument(this, "no-log-group-creation", {
      statement: [{ effect: "Deny", actions: ["logs:CreateLogGroup"], resources: ["*"] }],
    });
    const denyLogGroups = new IamRolePolicy(this, "deny-log-group-creation", {
      role: role.roleName,
      name: "deny-log-group-creation",
      policy: noLogGroups.json,
    });
    this.roleArn = role.roleArn;
    this.dependables = [...role.dependables, keyPolicy, denyLogGroups];
  }
}
