import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ROLE_ARN_ANNOTATION } from "../../plan/labels";
import { POD_IDENTITY_PRINCIPAL, POD_IDENTITY_SESSION_TAGS } from "../../plan/pod-credentials";
import type { AwsManagedPolicies } from "./aws-managed-policy";
import { ServiceRole } from "./service-role";

/** What a role for pods needs of the cluster (plan/pod-credentials.ts decides which apply). */
export interface PodCredentials {
  /** The cluster, by reference: associations are made in it. */
  readonly clusterName: string;
  /** EKS Pod Identity: the role trusts pods.eks.amazonaws.com and gets an association. */
  readonly podIdentity: boolean;
  /** IRSA: the cluster's IAM OIDC provider, which the role then trusts. Default: none (no IRSA trust). */
  readonly oidc?: {
    readonly providerArn: string;
    /** https://oidc.eks.<region>.amazonaws.com/id/<id> */
    readonly issuer: string;
  };
  /**
   * What a Pod Identity association must come after: the agent add-on, without which no pod gets
   * the association's credentials. Default: nothing.
   */
  readonly agent?: ITerraformDependable;
}

export interface PodRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly managedPolicies: readonly string[];
  readonly policies: AwsManagedPolicies;
  readonly credentials: PodCredentials;
  /**
   * Who makes the Pod Identity association: this construct (aws_eks_pod_identity_association), or
   * the EKS add-on whose service account it is (its pod_identity_association block, since EKS does
   * not let an add-on adopt an association made outside it). Default: "role".
   */
  readonly associatedBy?: "role" | "addon";
}

/**
 * The IAM role of one Kubernetes service account, for both ways pods get AWS credentials: IRSA
 * (only tokens the cluster's OIDC issuer signs for exactly that namespace and name, with the STS
 * audience) and EKS Pod Identity (pods.eks.amazonaws.com, with AssumeRole and TagSession, held by
 * the session tags to this cluster, namespace and service account: EKS user guide, pod-id-role).
 * While a deployed environment switches to Pod Identity it trusts both, so pods started under either
 * keep working. Every role the project makes for a pod is one of these.
 */
export class PodRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** Its policy attachments and association: what a user of the role must wait for besides the role itself. */
  readonly dependables: ITerraformDependable[];
  /** The service account's annotations: IRSA's role annotation, none under Pod Identity. */
  readonly serviceAccountAnnotations: Record<string, string>;

  constructor(scope: Construct, id: string, props: PodRoleProps) {
    super(scope, id);
    const { credentials } = props;
    const trust: DataAwsIamPolicyDocumentStatement[] = [];
    if (credentials.oidc) {
      const issuerHost = Fn.replace(credentials.oidc.issuer, "https://", "");
      trust.push({
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [credentials.oidc.providerArn] }],
        condition: [
          {
            test: "StringEquals",
            variable: `${issuerHost}:sub`,
            values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`],
          },
          { test: "StringEquals", variable: `${issuerHost}:aud`, values: ["sts.amazonaws.com"] },
        ],
      });
    }
    if (credentials.podIdentity) {
      const tag = (key: string, value: string) => ({
        test: "StringEquals",
        variable: `aws:RequestTag/${key}`,
        values: [value],
      });
      trust.push({
        actions: ["sts:AssumeRole", "sts:TagSession"],
        principals: [{ type: "Service", identifiers: [POD_IDENTITY_PRINCIPAL] }],
        condition: [
          tag(POD_IDENTITY_SESSION_TAGS.clusterName, credentials.clusterName),
          tag(POD_IDENTITY_SESSION_TAGS.namespace, props.namespace),
          tag(POD_IDENTITY_SESSION_TAGS.serviceAccount, props.serviceAccount),
        ],
      });
    }
    // "irsa": the id predates Pod Identity; kept so roles deployed before it keep their Terraform
    // address, and a switch to Pod Identity updates the trust policy in place.
    const role = new ServiceRole(this, "irsa", {
      name: props.name,
      description: props.description,
      trust,
      managedPolicies: props.managedPolicies,
      policies: props.policies,
    });
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
    this.dependables = [...role.dependables];
    if (credentials.podIdentity && (props.associatedBy ?? "role") === "role") {
      this.dependables.push(
        new EksPodIdentityAssociation(this, "association", {
          clusterName: credentials.clusterName,
          namespace: props.namespace,
          serviceAccount: props.serviceAccount,
          roleArn: role.roleArn,
          dependsOn: credentials.agent ? [credentials.agent] : undefined,
        }),
      );
    }
    // Under Pod Identity the annotation would have the webhook inject IRSA's web identity credentials
    // as well, which the AWS SDKs' default chains try before container credentials; so it goes.
    this.serviceAccountAnnotations = credentials.podIdentity ? {} : { [ROLE_ARN_ANNOTATION]: role.roleArn };
  }
}
