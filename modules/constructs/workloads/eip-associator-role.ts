import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PUBLIC_IP_WORKLOAD_TAG } from "../../plan/labels";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { PodRole, type PodCredentials } from "../iam/pod-role";

/** The EC2 calls that move an Elastic IP: the sidecar's whole purpose. */
export const EIP_ASSOCIATOR_ACTIONS = ["ec2:AssociateAddress", "ec2:DisassociateAddress"];
/**
 * The reads: the pod's Elastic IP by its tags (and its association, to check it and to tell on stop
 * whether it is still this pod's), the node's instance by its address, and that instance's
 * interfaces with their addresses and prefixes. EC2's Describe actions take no resource-level
 * permissions or resource tags (Service Authorization Reference: resource "*" only), so they cannot
 * be scoped to the environment: the grant is held to its region, and what it reveals is read-only
 * address and interface metadata.
 */
export const EIP_ASSOCIATOR_DESCRIBE_ACTIONS = ["ec2:DescribeAddresses", "ec2:DescribeNetworkInterfaces"];

export interface EipAssociatorRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  readonly namespace: string;
  /** The workload, whose addresses carry PUBLIC_IP_WORKLOAD_TAG = <namespace>/<workload>. */
  readonly workload: string;
  readonly serviceAccount: string;
  /** How the role is assumed (IRSA or Pod Identity). */
  readonly credentials: PodCredentials;
  readonly policies: AwsManagedPolicies;
}

/**
 * The eip-associator's IAM role (IRSA or Pod Identity, as the cluster gives pods credentials), one
 * per public-IP workload. EC2 authorizes AssociateAddress
 * against the Elastic IP (elastic-ip, required) and the network interface or instance the request
 * names (Service Authorization Reference, "Actions defined by Amazon EC2"), DisassociateAddress
 * against the Elastic IP and what it is associated with; so both actions are granted:
 * - on Elastic IPs of this region that carry this workload's tag and this cluster's Cluster tag, which
 *   only Terraform sets (the role cannot tag anything), so the pods of one workload can move only
 *   their own workload's addresses and never another environment's;
 * - on network interfaces in this environment's VPC (ec2:Vpc), which is where the pods' addresses are.
 * No instance resource: the sidecar always names the interface.
 */
export class EipAssociatorRole extends Construct {
  readonly roleArn: string;
  /** The service account's annotations (IRSA's role annotation, or none under Pod Identity). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** The role's policy and Pod Identity association: what the pods need before they can start. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: EipAssociatorRoleProps) {
    super(scope, id);
    const role = new PodRole(this, "role", {
      name: props.name,
      description: `Elastic IP association for the pods of ${props.namespace}/${props.workload} in ${props.clusterName}`,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      credentials: props.credentials,
      managedPolicies: [],
      policies: props.policies,
    });
    this.roleArn = role.roleArn;
    this.serviceAccountAnnotations = role.serviceAccountAnnotations;
    const document = new DataAwsIamPolicyDocument(this, "associate-addresses", {
      statement: [
        {
          sid: "OwnAddresses",
          effect: "Allow",
          actions: EIP_ASSOCIATOR_ACTIONS,
          resources: [`arn:*:ec2:${props.region}:*:elastic-ip/*`],
          condition: [
            {
              test: "StringEquals",
              variable: `aws:ResourceTag/${PUBLIC_IP_WORKLOAD_TAG}`,
              values: [`${props.namespace}/${props.workload}`],
            },
            { test: "StringEquals", variable: "aws:ResourceTag/Cluster", values: [props.clusterName] },
          ],
        },
        {
          sid: "InterfacesOfTheVpc",
          effect: "Allow",
          actions: EIP_ASSOCIATOR_ACTIONS,
          resources: [`arn:*:ec2:${props.region}:*:network-interface/*`],
          condition: [
            { test: "ArnLike", variable: "ec2:Vpc", values: [`arn:*:ec2:${props.region}:*:vpc/${props.vpcId}`] },
          ],
        },
        {
          sid: "Describe",
          effect: "Allow",
          actions: EIP_ASSOCIATOR_DESCRIBE_ACTIONS,
          resources: ["*"],
          condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: [props.region] }],
        },
      ],
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: role.roleName,
      name: "elastic-ip-association",
      policy: document.json,
    });
    this.dependables = [...role.dependables, policy];
  }
}
