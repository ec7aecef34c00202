/**
 * How pods the project creates get AWS credentials: IRSA (a role trusts the cluster's IAM OIDC
 * provider for one service account, named by the service account's eks.amazonaws.com/role-arn
 * annotation) or EKS Pod Identity (a role trusts pods.eks.amazonaws.com, and a Pod Identity
 * association names the service account; the eks-pod-identity-agent add-on hands the credentials
 * out on every node). Every role for a pod goes through the same construct (constructs/iam/pod-role.ts),
 * which reads this plan.
 */
import type { ClusterSpec } from "../environment/schema";

export interface PodCredentialsPlan {
  /** Pod Identity associations, the agent add-on, and roles that trust pods.eks.amazonaws.com. */
  podIdentity: boolean;
  /**
   * The cluster's IAM OIDC provider exists, and the project's roles trust it. With Pod Identity only
   * while a deployed environment switches (or for IRSA roles of the user's own); the checks refuse a
   * plan where no role could be assumed.
   */
  oidcProvider: boolean;
}

export function podCredentialsPlan(cluster: Pick<ClusterSpec, "podIdentity" | "oidcProvider">): PodCredentialsPlan {
  return { podIdentity: cluster.podIdentity, oidcProvider: cluster.oidcProvider ?? !cluster.podIdentity };
}

/** The mode a pod's credentials come from, for the annotation that rolls its pods when it changes. */
export const podCredentialsMode = (plan: Pick<PodCredentialsPlan, "podIdentity">): "pod-identity" | "irsa" =>
  plan.podIdentity ? "pod-identity" : "irsa";

/**
 * Session tags EKS Pod Identity puts on every session it opens (EKS user guide, "Enable or disable
 * session tags", pod-id-abac): a role's trust policy holds them to one cluster, namespace and service
 * account, as IRSA's `sub` condition does.
 */
export const POD_IDENTITY_SESSION_TAGS = {
  clusterName: "eks-cluster-name",
  namespace: "kubernetes-namespace",
  serviceAccount: "kubernetes-service-account",
} as const;

/** The service principal Pod Identity assumes roles as (EKS user guide, pod-id-role). */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";
/** The EKS add-on that runs the Pod Identity agent on every node (EKS user guide, pod-id-agent-setup). */
export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";
