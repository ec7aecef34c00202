/**
 * SecurityGroupPolicy objects (vpcresources.k8s.aws/v1beta1): the pods they select get a branch ENI
 * of their own carrying the listed security groups. The CRD is installed by EKS on every cluster
 * (aws/amazon-vpc-resource-controller-k8s issue #358: EKS platform updates reinstall it when missing);
 * its schema is config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml of that repository,
 * which the tests validate these objects against. The VPC resource controller's webhook reads the
 * policies when a pod is created: a pod created before its policy keeps the node's groups until it is
 * replaced, which is why the policies are installed before the workloads.
 */
import type { SecurityGroupPolicySpec } from "../environment/schema";
import type { KubernetesObject } from "./kubernetes-object";

export const SECURITY_GROUP_POLICY_API_VERSION = "vpcresources.k8s.aws/v1beta1";

interface LabelSelector {
  matchLabels: Record<string, string>;
}

export interface SecurityGroupPolicyObject extends KubernetesObject {
  apiVersion: typeof SECURITY_GROUP_POLICY_API_VERSION;
  kind: "SecurityGroupPolicy";
  metadata: { name: string; namespace: string };
  spec: {
    podSelector?: LabelSelector;
    serviceAccountSelector?: LabelSelector;
    /** 1 to 16 security group ids (the CRD's minItems and maxItems). */
    securityGroups: { groupIds: string[] };
  };
}

/** The policy of one `cni.podSecurityGroups.policies` entry, with the ids of its security groups. */
export function securityGroupPolicy(spec: SecurityGroupPolicySpec, groupIds: string[]): SecurityGroupPolicyObject {
  return {
    apiVersion: SECURITY_GROUP_POLICY_API_VERSION,
    kind: "SecurityGroupPolicy",
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      ...(spec.podSelector ? { podSelector: { matchLabels: { ...spec.podSelector } } } : {}),
      ...(spec.serviceAccountSelector
        ? { serviceAccountSelector: { matchLabels: { ...spec.serviceAccountSelector } } }
        : {}),
      securityGroups: { groupIds: [...groupIds] },
    },
  };
}
