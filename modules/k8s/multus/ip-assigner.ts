/**
 * The Kubernetes side of the ip-assigner sidecar (ip-assigner.sh): its script and the map of Multus
 * ENIs in a ConfigMap, its service account (IRSA), and the native sidecar container (an init
 * container with restartPolicy Always) whose startup probe holds the app back until every Multus
 * address of the pod is assigned to its ENI in EC2.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IVolume } from "kubernetes-models/v1/Volume";
import { ROLE_ARN_ANNOTATION } from "../../plan/labels";
import { ipAssignerName } from "../../plan/names";
import { CONTAINER_SECURITY } from "../container-security";

export const IP_ASSIGNER_SCRIPT_FILE = resolve(__dirname, "ip-assigner.sh");
/** Multus writes each pod's interfaces, addresses and MACs here, once they exist. */
export const NETWORK_STATUS_ANNOTATION = "k8s.v1.cni.cncf.io/network-status";
export const NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";

const PODINFO_DIR = "/etc/podinfo";
const CONFIG_DIR = "/etc/ip-assigner";
const STATE_DIR = "/tmp/ip-assigner";

export const ipAssignerScript = (): string => readFileSync(IP_ASSIGNER_SCRIPT_FILE, "utf8");

/** A Multus ENI as the sidecar needs it: its MAC (the pod interface's, with ipvlan) and its id. */
export interface MultusEniRef {
  macAddress: string;
  id: string;
}

export function ipAssignerServiceAccount(workload: string, namespace: string, roleArn: string): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: ipAssignerName(workload), namespace, annotations: { [ROLE_ARN_ANNOTATION]: roleArn } },
  };
}

/** The script, and one line "<mac> <eni-id>" per Multus ENI: no ec2:Describe* needed at run time. */
export function ipAssignerConfigMap(workload: string, namespace: string, enis: MultusEniRef[]): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: ipAssignerName(workload), namespace },
    data: {
      "ip-assigner.sh": ipAssignerScript(),
      interfaces: enis.map((e) => `${e.macAddress} ${e.id}\n`).join(""),
    },
  };
}

export interface IpAssignerSidecarProps {
  workload: string;
  image: string;
  region: string;
  /** How many Multus interfaces the pod has: the sidecar waits for all of them. */
  interfaces: number;
}

export function ipAssignerSidecar(props: IpAssignerSidecarProps): IContainer {
  return {
    name: "ip-assigner",
    image: props.image,
    // Native sidecar: started before the app containers, stopped after them.
    restartPolicy: "Always",
    command: ["/bin/sh", `${CONFIG_DIR}/ip-assigner.sh`],
    env: [
      { name: "AWS_REGION", value: props.region },
      { name: "STATUS_FILE", value: `${PODINFO_DIR}/network-status` },
      { name: "ENI_MAP", value: `${CONFIG_DIR}/interfaces` },
      { name: "EXPECTED_INTERFACES", value: String(props.interfaces) },
      { name: "STATE_DIR", value: STATE_DIR },
      // The AWS CLI keeps its cache under HOME; the root filesystem is read-only.
      { name: "HOME", value: STATE_DIR },
    ],
    // Multus writes the annotation during sandbox creation and the kubelet refreshes the downward
    // API file after that, usually within seconds; up to 5 minutes are allowed.
    startupProbe: {
      exec: { command: ["test", "-f", `${STATE_DIR}/started`] },
      periodSeconds: 2,
      failureThreshold: 150,
    },
    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    securityContext: { ...CONTAINER_SECURITY, readOnlyRootFilesystem: true },
    volumeMounts: [
      { name: "podinfo", mountPath: PODINFO_DIR, readOnly: true },
      { name: "ip-assigner", mountPath: CONFIG_DIR, readOnly: true },
      { name: "ip-assigner-state", mountPath: STATE_DIR },
    ],
  };
}

export function ipAssignerVolumes(workload: string): IVolume[] {
  return [
    {
      name: "podinfo",
      downwardAPI: {
        items: [
          { path: "network-status", fieldRef: { fieldPath: `metadata.annotations['${NETWORK_STATUS_ANNOTATION}']` } },
        ],
      },
    },
    { name: "ip-assigner", configMap: { name: ipAssignerName(workload) } },
    { name: "ip-assigner-state", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
  ];
}
