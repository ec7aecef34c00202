import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "./aws-managed-policy";

export interface ServiceRoleProps {
  name: string;
  description: string;
  /** Who may assume the role: one trust statement (a service principal, or a federated OIDC identity with conditions). */
  trust: DataAwsIamPolicyDocumentStatement;
  /** AWS managed policies attached to the role, by name (AmazonEKSClusterPolicy, ...). */
  managedPolicies: string[];
  policies: AwsManagedPolicies;
}

/** An IAM role with exactly the managed policies named, and nothing else attached. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement: [{ effect: "Allow", ...props.trust }] });
    this.role = new IamRole(this, "role", { name: props.name, description: props.description, assumeRolePolicy: trust.json });
    this.attachments = props.managedPolicies.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: props.policies.arn(policy) }),
    );
  }
}

/** Trust for an AWS service principal such as eks.amazonaws.com. */
export const serviceTrust = (service: string, actions = ["sts:AssumeRole"]): DataAwsIamPolicyDocumentStatement => ({
  actions,
  principals: [{ type: "Service", identifiers: [service] }],
});
