import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { clusterTag } from "../../plan/labels";
import type { KarpenterControllerPolicy } from "../../plan/node-pools";

export interface KarpenterControllerPoliciesProps {
  readonly clusterName: string;
  readonly region: string;
  /** The AWS partition (aws, aws-cn, aws-us-gov) and account, from data sources. */
  readonly partition: string;
  readonly accountId: string;
  /** The only role the controller may pass to EC2: its nodes'. */
  readonly nodeRoleArn: string;
  readonly interruptionQueueArn: string;
  /** Each policy's name (plan/names.ts), by part. */
  readonly names: Readonly<Record<KarpenterControllerPolicy, string>>;
}

type Condition = { test: string; variable: string; values: string[] };
const eq = (variable: string, ...values: string[]): Condition => ({ test: "StringEquals", variable, values });
const like = (variable: string, value: string): Condition => ({ test: "StringLike", variable, values: [value] });

/**
 * Karpenter's controller permissions, statement for statement as its reference (karpenter-provider-aws
 * v1.14.1, website/.../getting-started-with-karpenter/cloudformation.yaml, the 6 managed policies)
 * grants them, held to this cluster's tags (kubernetes.io/cluster/<name>=owned, eks:eks-cluster-name,
 * karpenter.sh/nodepool) wherever the reference does, with two rights fewer:
 * - no instance-profile creation, tagging or deletion: Terraform makes the instance profile and the
 *   EC2NodeClass names it (spec.instanceProfile), so Karpenter never manages one;
 * - no zonal shift (arc-zonal-shift:GetManagedResource): settings.enableZonalShift stays false.
 */
export class KarpenterControllerPolicies extends Construct {
  /** The policies' ARNs by part, to attach to the controller's role. */
  readonly policyArns: Record<KarpenterControllerPolicy, string>;

  constructor(scope: Construct, id: string, props: KarpenterControllerPoliciesProps) {
    super(scope, id);
    const { partition: P, region: R, accountId: A, clusterName: C } = props;
    const ec2 = (resource: string) => `arn:${P}:ec2:${R}:*:${resource}`;
    const owned = (kind: "Resource" | "Request") => eq(`aws:${kind}Tag/${clusterTag(C)}`, "owned");
    const nodePoolTagged = (kind: "Resource" | "Request") => like(`aws:${kind}Tag/karpenter.sh/nodepool`, "*");
    const launched = [
      "fleet/*",
      "instance/*",
      "volume/*",
      "network-interface/*",
      "launch-template/*",
      "spot-instances-request/*",
    ].map(ec2);
    const statements: Record<KarpenterControllerPolicy, DataAwsIamPolicyDocumentStatement[]> = {
      "node-lifecycle": [
        {
          sid: "AllowScopedEC2InstanceAccessActions",
          actions: ["ec2:RunInstances", "ec2:CreateFleet"],
          resources: [
            `arn:${P}:ec2:${R}::image/*`,
            `arn:${P}:ec2:${R}::snapshot/*`,
            ...["security-group/*", "subnet/*", "capacity-reservation/*", "placement-group/*"].map(ec2),
          ],
        },
        {
          sid: "AllowScopedEC2LaunchTemplateAccessActions",
          actions: ["ec2:RunInstances", "ec2:CreateFleet"],
          resources: [ec2("launch-template/*")],
          condition: [owned("Resource"), nodePoolTagged("Resource")],
        },
        {
          sid: "AllowScopedEC2InstanceActionsWithTags",
          actions: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
          resources: launched,
          condition: [owned("Request"), eq("aws:RequestTag/eks:eks-cluster-name", C), nodePoolTagged("Request")],
        },
        {
          sid: "AllowScopedResourceCreationTagging",
          actions: ["ec2:CreateTags"],
          resources: launched,
          condition: [
            owned("Request"),
            eq("aws:RequestTag/eks:eks-cluster-name", C),
            eq("ec2:CreateAction", "RunInstances", "CreateFleet", "CreateLaunchTemplate"),
            nodePoolTagged("Request"),
          ],
        },
        {
          sid: "AllowScopedResourceTagging",
          actions: ["ec2:CreateTags"],
          resources: [ec2("instance/*")],
          condition: [
            owned("Resource"),
            nodePoolTagged("Resource"),
            { test: "StringEqualsIfExists", variable: "aws:RequestTag/eks:eks-cluster-name", values: [C] },
            {
              test: "ForAllValues:StringEquals",
              variable: "aws:TagKeys",
              values: ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
            },
          ],
        },
        {
          sid: "AllowScopedDeletion",
          actions: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
          resources: [ec2("instance/*"), ec2("launch-template/*")],
          condition: [owned("Resource"), nodePoolTagged("Resource")],
        },
      ],
      "iam-integration": [
        {
          sid: "AllowPassingInstanceRole",
          actions: ["iam:PassRole"],
          resources: [props.nodeRoleArn],
          condition: [eq("iam:PassedToService", "ec2.amazonaws.com", "ec2.amazonaws.com.cn")],
        },
        {
          sid: "AllowInstanceProfileReadActions",
          actions: ["iam:GetInstanceProfile"],
          resources: [`arn:${P}:iam::${A}:instance-profile/*`],
        },
        // Karpenter's garbage collection of the profiles it would have made lists them by path.
        { sid: "AllowUnscopedInstanceProfileListAction", actions: ["iam:ListInstanceProfiles"], resources: ["*"] },
      ],
      "eks-integration": [
        {
          sid: "AllowAPIServerEndpointDiscovery",
          actions: ["eks:DescribeCluster"],
          resources: [`arn:${P}:eks:${R}:${A}:cluster/${C}`],
        },
      ],
      interruption: [
        {
          sid: "AllowInterruptionQueueActions",
          actions: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
          resources: [props.interruptionQueueArn],
        },
      ],
      "resource-discovery": [
        {
          sid: "AllowRegionalReadActions",
          actions: [
            "ec2:DescribeCapacityReservations",
            "ec2:DescribeImages",
            "ec2:DescribeInstances",
            "ec2:DescribeInstanceStatus",
            "ec2:DescribeInstanceTypeOfferings",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplates",
            "ec2:DescribePlacementGroups",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSpotPriceHistory",
            "ec2:DescribeSubnets",
          ],
          resources: ["*"],
          condition: [eq("aws:RequestedRegion", R)],
        },
        {
          sid: "AllowSSMReadActions",
          actions: ["ssm:GetParameter"],
          resources: [`arn:${P}:ssm:${R}::parameter/aws/service/*`],
        },
        { sid: "AllowPricingReadActions", actions: ["pricing:GetProducts"], resources: ["*"] },
      ],
    };
    const arns = (Object.keys(statements) as KarpenterControllerPolicy[]).map((part) => {
      const document = new DataAwsIamPolicyDocument(this, `${part}-document`, {
        statement: statements[part].map((s) => ({ effect: "Allow", ...s })),
      });
      return new IamPolicy(this, part, {
        name: props.names[part],
        description: `Karpenter controller of EKS cluster ${C}: ${part}`,
        policy: document.json,
      }).arn;
    });
    this.policyArns = Object.fromEntries(
      (Object.keys(statements) as KarpenterControllerPolicy[]).map((part, i) => [part, arns[i]]),
    ) as Record<KarpenterControllerPolicy, string>;
  }
}
