/**
 * The Kubernetes side of pods that own public addresses: a StatefulSet, so each pod has a stable
 * name (<name>-0, <name>-1, ...) that its Elastic IP is tagged with, scheduled only on nodes in
 * public subnets, and the headless Service a StatefulSet needs. Each pod carries the eip-associator
 * sidecar, which associates the pod's Elastic IP with the pod's address before the app starts and
 * disassociates it after the app has stopped; only that sidecar gets AWS credentials.
 */
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IService } from "kubernetes-models/v1/Service";
import type { PublicIpPodsSpec } from "../environment/schema";
import {
  AWS_CREDENTIALS_ANNOTATION,
  NODEGROUP_LABEL,
  publicIpPodLabels,
  SKIP_CONTAINERS_ANNOTATION,
} from "../plan/labels";
import { eipAssociatorName } from "../plan/names";
import { CONTAINER_SECURITY } from "./container-security";
import {
  EIP_ASSOCIATOR_STOP_SECONDS,
  eipAssociatorConfigMap,
  eipAssociatorServiceAccount,
  eipAssociatorSidecar,
  eipAssociatorVolumes,
  type EipAssociatorSidecarProps,
} from "./eip-associator";
import type { KubernetesObject } from "./kubernetes-object";
import { APP_STOP_SECONDS } from "./native-sidecar";

export interface PublicIpPodsObjectsProps {
  spec: PublicIpPodsSpec;
  /** Node groups in public subnets the pods may run on (plan/placement.ts). */
  nodeGroups: string[];
  /** The sidecar's service account annotations: IRSA's role annotation, or none under Pod Identity. */
  serviceAccountAnnotations: Record<string, string>;
  /** Where the sidecar's AWS credentials come from; a change rolls the pods onto the new way. */
  credentialsMode: "irsa" | "pod-identity";
  sidecar: EipAssociatorSidecarProps;
}

export function publicIpPodObjects(props: PublicIpPodsObjectsProps): KubernetesObject[] {
  const { spec } = props;
  const labels = publicIpPodLabels(spec.name);
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
        metadata: {
          labels,
          annotations: {
            // IRSA and Pod Identity inject the sidecar's AWS credentials into every container but these.
            [SKIP_CONTAINERS_ANNOTATION]: spec.name,
            // Credentials are injected when a pod is created: switching the way restarts the pods.
            [AWS_CREDENTIALS_ANNOTATION]: props.credentialsMode,
          },
        },
        spec: {
          serviceAccountName: eipAssociatorName(spec.name),
          automountServiceAccountToken: false,
          // The app stops first (it must within APP_STOP_SECONDS), then the sidecar lets the address go.
          terminationGracePeriodSeconds: APP_STOP_SECONDS + EIP_ASSOCIATOR_STOP_SECONDS,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: NODEGROUP_LABEL, operator: "In", values: props.nodeGroups }] },
                ],
              },
            },
          },
          initContainers: [eipAssociatorSidecar(props.sidecar)],
          containers: [
            {
              name: spec.name,
              image: spec.image,
              ports: [{ name: "app", containerPort: spec.port }],
              securityContext: CONTAINER_SECURITY,
            },
          ],
          volumes: eipAssociatorVolumes(spec.name),
        },
      },
    },
  };
  return [
    eipAssociatorServiceAccount(spec.name, spec.namespace, props.serviceAccountAnnotations),
    eipAssociatorConfigMap(spec.name, spec.namespace),
    service,
    statefulSet,
  ];
}
