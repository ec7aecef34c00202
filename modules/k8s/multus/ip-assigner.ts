/**
 * The Kubernetes side of the ip-assigner sidecar (ip-assigner.sh): its script and the map of Multus
 * ENIs in a ConfigMap, its service account (IRSA) and what that may do in Kubernetes, and the native
 * sidecar container (an init container with restartPolicy Always) whose startup probe holds the app
 * back until every Multus address of the pod is assigned to its ENI in EC2.
 *
 * Credentials: only the sidecar gets any. The pod does not mount its service-account token
 * (automountServiceAccountToken: false); the sidecar mounts one of its own (SERVICE_ACCOUNT_VOLUME),
 * and the pod's eks.amazonaws.com/skip-containers annotation (multus-pods.ts) keeps the AWS
 * credentials (IRSA's or Pod Identity's, injected by the same webhook) out of the app containers.
 * The AWS CLI in the sidecar reads either (Pod Identity's container credentials since CLI 2.15.0).
 *
 * Kubernetes RBAC of the service account, per workload:
 * - `delete` on pods in the workload's namespace, for a pod that came up without its Multus
 *   interfaces to delete itself. RBAC cannot say "itself" (resourceNames cannot name pods a
 *   Deployment has yet to create), so a ValidatingAdmissionPolicy refuses a delete by this account
 *   of any pod but the one its token was issued to (`authentication.kubernetes.io/pod-name`);
 * - `get` on the whereabouts IPPools of the workload's networks (by name, in kube-system), to tell
 *   on SIGTERM whether whereabouts has given one of its addresses to another pod meanwhile.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { KubernetesObject } from "../kubernetes-object";
import { ipAssignerName } from "../../plan/names";
import { APP_STOP_SECONDS, fieldEnv, scriptSidecar } from "../native-sidecar";
import { MULTUS_NAMESPACE } from "./multus-daemonset";
import { callerExtraIs, POD_NAME_EXTRA, serviceAccountUser } from "../service-account-identity";

export const IP_ASSIGNER_SCRIPT_FILE = resolve(__dirname, "ip-assigner.sh");
export const NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";

const CONFIG_DIR = "/etc/ip-assigner";
const STATE_DIR = "/tmp/ip-assigner";
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const SERVICE_ACCOUNT_VOLUME = "ip-assigner-token";

/**
 * What the sidecar needs after the app has stopped: a look at each IPPool and an unassign call per
 * address, all at once, each call bounded (curl --max-time 5; the AWS CLI's connect and read
 * timeouts, 3 + 5 s, plus its start), with room to spare.
 */
export const IP_ASSIGNER_STOP_SECONDS = 20;
export { APP_STOP_SECONDS };

export const ipAssignerScript = (): string => readFileSync(IP_ASSIGNER_SCRIPT_FILE, "utf8");

/** A Multus ENI as the sidecar needs it: its MAC (the pod interface's, with ipvlan) and its id. */
export interface MultusEniRef {
  macAddress: string;
  id: string;
}

/**
 * The pool of an interface with a fixed address (a public network's): the sidecar checks that the
 * interface is there with its address, and never assigns or unassigns it (Terraform made it the
 * ENI's own).
 */
export const FIXED_ADDRESS_POOL = "-";

/** A pod's Multus interface as the sidecar checks it: its name, its range and whereabouts' pool. */
export interface PodInterface {
  /** net1, net2, ...: Multus names them in the order of the networks annotation. */
  name: string;
  rangeStart: string;
  rangeEnd: string;
  /** The IPPool whereabouts keeps the range's allocations in, and the address offsets count from; FIXED_ADDRESS_POOL for a fixed address. */
  pool: string;
  poolBase: string;
}

/**
 * The sidecar's service account; `annotations` name its IAM role under IRSA, and are empty under Pod
 * Identity (an association names the account instead) or when the pods have no whereabouts addresses
 * to assign in EC2 (no role).
 */
export function ipAssignerServiceAccount(
  workload: string,
  namespace: string,
  annotations: Record<string, string> = {},
): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: ipAssignerName(workload),
      namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    },
  };
}

/** The script, and one line "<mac> <eni-id>" per Multus ENI the nodes stack made. */
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

/** The sidecar's Kubernetes permissions (see the file comment), and the policy that bounds them. */
export function ipAssignerAccess(workload: string, namespace: string, pools: string[]): KubernetesObject[] {
  const name = ipAssignerName(workload);
  const subjects = [{ kind: "ServiceAccount", name, namespace }];
  const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name };
  const deletePods: IRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name, namespace },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }],
  };
  const readPools: IRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name, namespace: MULTUS_NAMESPACE },
    rules: [{ apiGroups: ["whereabouts.cni.cncf.io"], resources: ["ippools"], verbs: ["get"], resourceNames: pools }],
  };
  // An empty resourceNames would grant every IPPool: pods with fixed addresses only read none.
  const readsPools = pools.length > 0;
  const bindings: IRoleBinding[] = (readsPools ? [namespace, MULTUS_NAMESPACE] : [namespace]).map((ns) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace: ns },
    roleRef,
    subjects,
  }));
  const policy: IValidatingAdmissionPolicy = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["DELETE"], resources: ["pods"] }],
      },
      matchConditions: [
        {
          name: "by-the-ip-assigner",
          expression: `request.userInfo.username == '${serviceAccountUser(namespace, name)}'`,
        },
      ],
      validations: [
        {
          expression: callerExtraIs(POD_NAME_EXTRA, "request.name"),
          message: `${namespace}/${name} may delete only the pod it runs in`,
          reason: "Forbidden",
        },
      ],
    },
  };
  const policyBinding: IValidatingAdmissionPolicyBinding = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name },
    spec: { policyName: name, validationActions: ["Deny"] },
  };
  return [deletePods, ...(readsPools ? [readPools] : []), ...bindings, policy, policyBinding];
}

export interface IpAssignerSidecarProps {
  workload: string;
  image: string;
  region: string;
  clusterName: string;
  /** The pod's Multus interfaces, in order: the sidecar checks and assigns all of them. */
  interfaces: PodInterface[];
}

export function ipAssignerSidecar(props: IpAssignerSidecarProps): IContainer {
  return scriptSidecar({
    name: "ip-assigner",
    image: props.image,
    configDir: CONFIG_DIR,
    script: "ip-assigner.sh",
    stateDir: STATE_DIR,
    env: [
      { name: "AWS_REGION", value: props.region },
      { name: "CLUSTER_NAME", value: props.clusterName },
      {
        name: "INTERFACES",
        value: props.interfaces.map((i) => [i.name, i.rangeStart, i.rangeEnd, i.pool, i.poolBase].join(",")).join(" "),
      },
      { name: "ENI_MAP", value: `${CONFIG_DIR}/interfaces` },
      { name: "WHEREABOUTS_NAMESPACE", value: MULTUS_NAMESPACE },
      fieldEnv("POD_NAME", "metadata.name"),
      fieldEnv("POD_NAMESPACE", "metadata.namespace"),
      fieldEnv("POD_UID", "metadata.uid"),
      fieldEnv("HOST_IP", "status.hostIP"),
      { name: "SA_DIR", value: SERVICE_ACCOUNT_DIR },
    ],
    volumeMounts: [
      { name: "ip-assigner", mountPath: CONFIG_DIR, readOnly: true },
      { name: "ip-assigner-state", mountPath: STATE_DIR },
      { name: SERVICE_ACCOUNT_VOLUME, mountPath: SERVICE_ACCOUNT_DIR, readOnly: true },
    ],
  });
}

export function ipAssignerVolumes(workload: string): IVolume[] {
  return [
    { name: "ip-assigner", configMap: { name: ipAssignerName(workload) } },
    { name: "ip-assigner-state", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
    {
      // What automountServiceAccountToken would mount in every container (kube-api-access), for the
      // sidecar alone: a pod-bound token the kubelet rotates, the cluster's CA and the namespace.
      name: SERVICE_ACCOUNT_VOLUME,
      projected: {
        sources: [
          { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
        ],
      },
    },
  ];
}
