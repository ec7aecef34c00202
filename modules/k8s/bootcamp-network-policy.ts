/**
 * The sample NetworkPolicy that comes with the sample workload when the VPC CNI enforces network
 * policy (cni.networkPolicy): kubernetes-bootcamp takes HTTP on its port from pods of its own
 * namespace only; every other connection to it is dropped. Egress is left open, so a check from
 * inside the pod (the article's `kubectl exec ... -- curl` to the internet) still works.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { Environment } from "../environment/schema";
import { BOOTCAMP_NAME } from "../plan/names";
import { BOOTCAMP_LABELS } from "./bootcamp";

type BootcampSpec = NonNullable<Environment["workloads"]["bootcamp"]>;

export function bootcampNetworkPolicy(spec: Pick<BootcampSpec, "namespace" | "port">): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: BOOTCAMP_NAME, namespace: spec.namespace },
    spec: {
      podSelector: { matchLabels: { ...BOOTCAMP_LABELS } },
      policyTypes: ["Ingress"],
      // An empty podSelector in `from` means every pod of the policy's own namespace.
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: spec.port }] }],
    },
  };
}
