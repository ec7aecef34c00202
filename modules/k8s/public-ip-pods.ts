/**
 * The Kubernetes side of pods that own public addresses: a StatefulSet, so each pod has a stable
 * name (<name>-0, <name>-1, ...) an Elastic IP can be kept for, scheduled only on nodes in public
 * subnets, and the headless Service a StatefulSet needs.
 */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import type { PublicIpPodsSpec } from "../environment/schema";
import { NODEGROUP_LABEL, PUBLIC_IP_LABEL } from "../plan/labels";
import { CONTAINER_SECURITY } from "./container-security";

/** The StatefulSet's pod names, in ordinal order. */
export const podNames = (spec: PublicIpPodsSpec): string[] =>
  Array.from({ length: spec.replicas }, (_, i) => `${spec.name}-${i}`);

export function publicIpPodObjects(spec: PublicIpPodsSpec, nodeGroups: string[]): [IService, IStatefulSet] {
  const labels = { app: spec.name, [PUBLIC_IP_LABEL]: "true" };
  const service: IService = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: { clusterIP: "None", selector: labels, ports: [{ name: "app", port: spec.port, targetPort: spec.port }] },
  };
  const statefulSet: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      serviceName: spec.name,
      replicas: spec.replicas,
      // All pods at once: the names, not a start order, are what the addresses hang on.
      podManagementPolicy: "Parallel",
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: NODEGROUP_LABEL, operator: "In", values: nodeGroups }] },
                ],
              },
            },
          },
          containers: [
            {
              name: spec.name,
              image: spec.image,
              ports: [{ name: "app", containerPort: spec.port }],
              securityContext: CONTAINER_SECURITY,
            },
          ],
        },
      },
    },
  };
  return [service, statefulSet];
}
