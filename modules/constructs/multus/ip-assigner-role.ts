import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { PodRole, type PodCredentials } from "../iam/pod-role";

/** The EC2 calls that change addresses: the sidecar's whole purpose. */
export const IP_ASSIGNER_ACTIONS = ["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"];
/**
 * The one read, for a pod on a node the ENI map does not list yet (a slot added by `deploy nodes`
 * since the last `deploy workloads`): its instance, then the Multus ENI with the interface's MAC on
 * it. EC2's Describe actions take no resource-level permissions or resource tags (Service
 * Authorization Reference: resource "*" only), so the scope is the call's filters, and the grant is
 * held to the environment's region; what it can reveal is read-only interface metadata.
 */
export const IP_ASSIGNER_DESCRIBE_ACTIONS = ["ec2:DescribeNetworkInterfaces"];

export interface IpAssignerRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly clusterName: string;
  readonly region: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly credentials: PodCredentials;
  readonly policies: AwsManagedPolicies;
}

/**
 * The ip-assigner's IAM role (IRSA or Pod Identity, as the cluster gives pods credentials): assign and unassign private addresses, and only on this
 * cluster's Multus ENIs: network interfaces tagged no_manage (which the VPC CNI's own ENIs never
 * are) and with the cluster's tag, which every resource of this environment carries; and describe
 * network interfaces in the region (IP_ASSIGNER_DESCRIBE_ACTIONS says why that cannot be narrower).
 */
export class IpAssignerRole extends Construct {
  readonly roleArn: string;
  /** The service account's annotations (IRSA's role annotation, or none). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** What the pods must not start before: the Pod Identity association, when there is one. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: IpAssignerRoleProps) {
    super(scope, id);
    const role = new PodRole(this, "role", {
      name: props.name,
      description: `Multus address assignment for ${props.namespace}/${props.serviceAccount} in ${props.clusterName}`,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      credentials: props.credentials,
      managedPolicies: [],
      policies: props.policies,
    });
    this.roleArn = role.roleArn;
    this.serviceAccountAnnotations = role.serviceAccountAnnotations;
    const document = new DataAwsIamPolicyDocument(this, "assign-addresses", {
      statement: [
        {
          effect: "Allow",
          actions: IP_ASSIGNER_ACTIONS,
          resources: [`arn:*:ec2:${props.region}:*:network-interface/*`],
          condition: [
            { test: "StringEquals", variable: "aws:ResourceTag/node.k8s.amazonaws.com/no_manage", values: ["true"] },
            { test: "StringEquals", variable: "aws:ResourceTag/Cluster", values: [props.clusterName] },
          ],
        },
        {
          effect: "Allow",
          actions: IP_ASSIGNER_DESCRIBE_ACTIONS,
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [props.region] }],
        },
      ],
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: role.roleName,
      name: "multus-address-assignment",
      policy: document.json,
    });
    this.dependables = [...role.dependables, policy];
  }
}
