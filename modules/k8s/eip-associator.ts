/**
 * The Kubernetes side of the eip-associator sidecar (eip-associator.sh) of public-IP pods: its
 * script in a ConfigMap, its service account (IRSA or Pod Identity, the role of constructs/workloads/
 * eip-associator-role.ts), and the native sidecar container whose startup probe holds the app back
 * until the pod's Elastic IP is associated with the pod's address.
 *
 * Credentials: only the sidecar gets any. It needs no Kubernetes API at all (everything it needs
 * comes from the downward API), so the pod mounts no service-account token
 * (automountServiceAccountToken: false) and the service account has no RBAC; the pod's
 * eks.amazonaws.com/skip-containers annotation (public-ip-pods.ts) keeps the AWS credentials (IRSA's
 * or Pod Identity's, from the same webhook) out of the app container, and IMDSv2 with hop limit 1 on the nodes keeps the node's out of every pod.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IVolume } from "kubernetes-models/v1/Volume";
import { POD_TAG } from "../plan/labels";
import { EIP_ASSOCIATOR_CONTAINER, eipAssociatorName } from "../plan/names";
import { fieldEnv, scriptSidecar } from "./native-sidecar";

export const EIP_ASSOCIATOR_SCRIPT_FILE = resolve(__dirname, "eip-associator.sh");

const CONFIG_DIR = "/etc/eip-associator";
const STATE_DIR = "/tmp/eip-associator";

/**
 * What the sidecar needs after the app has stopped: a read of the address and a disassociate call,
 * each bounded (the AWS CLI's connect and read timeouts, 3 + 10 s) plus the CLI's start.
 */
export const EIP_ASSOCIATOR_STOP_SECONDS = 30;

export const eipAssociatorScript = (): string => readFileSync(EIP_ASSOCIATOR_SCRIPT_FILE, "utf8");

/** The sidecar's service account; `annotations` name its IAM role under IRSA (none under Pod Identity). */
export function eipAssociatorServiceAccount(
  workload: string,
  namespace: string,
  annotations: Record<string, string>,
): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: eipAssociatorName(workload),
      namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    },
    // Nothing in the pod talks to the Kubernetes API.
    automountServiceAccountToken: false,
  };
}

export function eipAssociatorConfigMap(workload: string, namespace: string): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: eipAssociatorName(workload), namespace },
    data: { "eip-associator.sh": eipAssociatorScript() },
  };
}

export interface EipAssociatorSidecarProps {
  image: string;
  region: string;
  clusterName: string;
  /** The environment's VPC: where the node's address is looked up. */
  vpcId: string;
}

export function eipAssociatorSidecar(props: EipAssociatorSidecarProps): IContainer {
  return scriptSidecar({
    name: EIP_ASSOCIATOR_CONTAINER,
    image: props.image,
    configDir: CONFIG_DIR,
    script: "eip-associator.sh",
    stateDir: STATE_DIR,
    env: [
      { name: "AWS_REGION", value: props.region },
      { name: "CLUSTER_NAME", value: props.clusterName },
      { name: "VPC_ID", value: props.vpcId },
      { name: "POD_TAG_KEY", value: POD_TAG },
      fieldEnv("POD_NAME", "metadata.name"),
      fieldEnv("POD_NAMESPACE", "metadata.namespace"),
      fieldEnv("POD_IP", "status.podIP"),
      fieldEnv("HOST_IP", "status.hostIP"),
    ],
    volumeMounts: [
      { name: "eip-associator", mountPath: CONFIG_DIR, readOnly: true },
      { name: "eip-associator-state", mountPath: STATE_DIR },
    ],
  });
}

export function eipAssociatorVolumes(workload: string): IVolume[] {
  return [
    { name: "eip-associator", configMap: { name: eipAssociatorName(workload) } },
    { name: "eip-associator-state", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
  ];
}
