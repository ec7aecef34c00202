import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { Construct } from "constructs";

/** ARNs of AWS managed IAM and EKS access policies, in the partition the stack deploys to (aws, aws-cn, aws-us-gov). */
export class AwsManagedPolicies extends Construct {
  private readonly partition: DataAwsPartition;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.partition = new DataAwsPartition(this, "partition");
  }

  arn(name: string): string {
    return `arn:${this.partition.partition}:iam::aws:policy/${name}`;
  }

  /** EKS access policies (AmazonEKSClusterAdminPolicy, ...) for access entries. */
  eksAccessPolicyArn(name: string): string {
    return `arn:${this.partition.partition}:eks::aws:cluster-access-policy/${name}`;
  }
}
