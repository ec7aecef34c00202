import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "./aws-managed-policy";

export interface ServiceRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly description: string;
  /**
   * Who may assume the role: trust statements (a service principal, or a federated OIDC identity
   * with conditions), each allowed.
   */
  readonly trust: DataAwsIamPolicyDocumentStatement | readonly DataAwsIamPolicyDocumentStatement[];
  /** AWS managed policies attached to the role, by name (AmazonEKSClusterPolicy, ...). */
  readonly managedPolicies: readonly string[];
  readonly policies: AwsManagedPolicies;
}

/** An IAM role with exactly the managed policies named, and nothing else attached. */
export class ServiceRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /**
   * Its policy attachments: what a user of the role must wait for besides the role itself (which a
   * reference to roleArn already orders).
   */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const statements = Array.isArray(props.trust) ? props.trust : [props.trust];
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: statements.map((statement) => ({ effect: "Allow", ...statement })),
    });
    const role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    const attachments = props.managedPolicies.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: role.name, policyArn: props.policies.arn(policy) }),
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.dependables = attachments;
  }
}

/** Trust for an AWS service principal such as eks.amazonaws.com. */
export const serviceTrust = (service: string, actions = ["sts:AssumeRole"]): DataAwsIamPolicyDocumentStatement => ({
  actions,
  principals: [{ type: "Service", identifiers: [service] }],
});
