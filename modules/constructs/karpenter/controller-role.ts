import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import { PodRole, type PodCredentials } from "../iam/pod-role";

export interface KarpenterControllerRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  /** The cluster's name as written (cluster.name), for the description. */
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** How the role is assumed: EKS Pod Identity, as Karpenter's guide sets it up, or IRSA. */
  readonly credentials: PodCredentials;
  /** The controller's policies (KarpenterControllerPolicies), by part. */
  readonly policyArns: Readonly<Record<string, string>>;
  readonly policies: AwsManagedPolicies;
}

/**
 * The controller's role, through the project's one construct for pods' roles (PodRole): under Pod
 * Identity trusted by pods.eks.amazonaws.com only for sessions tagged with this cluster, kube-system
 * and the karpenter service account, and associated with that service account; under IRSA trusted
 * by the cluster's OIDC provider for exactly that service account, whose chart values then carry the
 * role annotation. The controller's own policies are attached to it.
 */
export class KarpenterControllerRole extends Construct {
  readonly roleArn: string;
  /** The chart's serviceAccount.annotations: IRSA's role annotation, none under Pod Identity. */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** The policy attachments and the association: the controller must not start before them. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: KarpenterControllerRoleProps) {
    super(scope, id);
    const role = new PodRole(this, "role", {
      name: props.name,
      description: `Karpenter controller (${props.namespace}/${props.serviceAccount}) of ${props.clusterName}`,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      credentials: props.credentials,
      managedPolicies: [],
      policies: props.policies,
    });
    const attachments = Object.entries(props.policyArns).map(
      ([part, policyArn]) => new IamRolePolicyAttachment(this, `policy-${part}`, { role: role.roleName, policyArn }),
    );
    this.roleArn = role.roleArn;
    this.serviceAccountAnnotations = role.serviceAccountAnnotations;
    this.dependables = [...role.dependables, ...attachments];
  }
}
