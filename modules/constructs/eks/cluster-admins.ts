import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";

export interface ClusterAdminsProps {
  readonly clusterName: string;
  /** IAM role or user ARNs besides the deploying identity. */
  readonly principals: readonly string[];
  readonly policies: AwsManagedPolicies;
}

/**
 * Cluster-admin access entries: the identity that deploys (so the later stacks can talk to the
 * cluster) and the environment's admin principals. Explicit entries, unlike the creator bootstrap
 * flag, can be changed and removed through Terraform.
 */
export class ClusterAdmins extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAdminsProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, "caller");
    // An assumed-role session ARN cannot be an access entry; the role it was issued by can.
    const session = new DataAwsIamSessionContext(this, "session", { arn: caller.arn });
    const adminPolicy = props.policies.eksAccessPolicyArn("AmazonEKSClusterAdminPolicy");
    const admit = (id: string, principalArn: string) => {
      const entry = new EksAccessEntry(this, `${id}-entry`, {
        clusterName: props.clusterName,
        principalArn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `${id}-admin`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: adminPolicy,
        accessScope: { type: "cluster" },
      });
    };
    admit("deployer", session.issuerArn);
    props.principals.forEach((arn, i) => admit(`admin-${i}`, arn));
  }
}
