import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { ServiceRole } from "../iam/service-role";

/** The service principal EKS Pod Identity assumes roles as (EKS user guide, pod-id-role). */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

export interface KarpenterControllerRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  /** The cluster, by reference: the association is made in it. */
  readonly clusterName: string;
  /** The cluster's name as written (cluster.name), for the trust policy's session tag. */
  readonly clusterNameLiteral: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The controller's policies (KarpenterControllerPolicies), by part. */
  readonly policyArns: Readonly<Record<string, string>>;
  readonly policies: AwsManagedPolicies;
  /** The Pod Identity agent add-on, without which no pod gets the association's credentials. */
  readonly agent: ITerraformDependable;
}

/**
 * The controller's role through EKS Pod Identity, as Karpenter's getting-started guide sets it up:
 * trusted by pods.eks.amazonaws.com (AssumeRole and TagSession) only for sessions tagged with this
 * cluster, kube-system and the karpenter service account (EKS's pod-id-abac session tags), and
 * associated with that service account. No OIDC provider and no annotation are involved.
 */
export class KarpenterControllerRole extends Construct {
  readonly roleArn: string;
  /** The policy attachments and the association: the controller must not start before them. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: KarpenterControllerRoleProps) {
    super(scope, id);
    const tag = (key: string, value: string) => ({
      test: "StringEquals",
      variable: `aws:RequestTag/${key}`,
      values: [value],
    });
    const role = new ServiceRole(this, "role", {
      name: props.name,
      description: `Karpenter controller (${props.namespace}/${props.serviceAccount}) of ${props.clusterNameLiteral}`,
      trust: {
        actions: ["sts:AssumeRole", "sts:TagSession"],
        principals: [{ type: "Service", identifiers: [POD_IDENTITY_PRINCIPAL] }],
        condition: [
          tag("eks-cluster-name", props.clusterNameLiteral),
          tag("kubernetes-namespace", props.namespace),
          tag("kubernetes-service-account", props.serviceAccount),
        ],
      },
      managedPolicies: [],
      policies: props.policies,
    });
    const attachments = Object.entries(props.policyArns).map(
      ([part, policyArn]) => new IamRolePolicyAttachment(this, `policy-${part}`, { role: role.roleName, policyArn }),
    );
    const association = new EksPodIdentityAssociation(this, "association", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: role.roleArn,
      dependsOn: [props.agent],
    });
    this.roleArn = role.roleArn;
    this.dependables = [...attachments, association];
  }
}
