/**
 * multus-node-readiness: the component that takes the multus-not-ready taint off a Multus node once
 * Multus is ready there (and puts it back while it is not): a DaemonSet on the Multus nodes running
 * node-readiness.sh in the AWS CLI image the Multus pods' sidecar already uses (curl and sh, no new
 * image to pin and pull).
 *
 * RBAC: a ClusterRole with `get` and `patch` on nodes. Nodes are cluster-scoped and a DaemonSet's pods
 * do not know their node's name when the role is written, so RBAC cannot narrow this to one node
 * (resourceNames would need every node name in advance), and NodeRestriction, which keeps a kubelet
 * to its own Node, does not apply to service accounts. The risk is bounded by a
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) that refuses
 * any update by this service account unless it is to the node named in its service-account token
 * (`authentication.kubernetes.io/node-name`, which the kubelet's pod-bound tokens carry since
 * ServiceAccountTokenPodNodeInfo went beta, on by default, in 1.30) and changes nothing but this
 * taint: no other taint, label, annotation or cordon. The checks require Kubernetes 1.30 or later
 * with Multus. What remains is the worst a stolen token of one such pod can do: taint or untaint its
 * own node, and read nodes.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { IValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import type { IValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import type { IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubernetesObject } from "../kubernetes-object";
import { CONTAINER_SECURITY } from "../container-security";
import { callerExtraIs, NODE_NAME_EXTRA, serviceAccountUser } from "../service-account-identity";
import { MULTUS_NOT_READY_TAINT } from "../../plan/labels";
import { MULTUS_NAMESPACE, MULTUS_NODE_AGENT } from "./multus-daemonset";

export const NODE_READINESS_NAME = "multus-node-readiness";
export const NODE_READINESS_SCRIPT_FILE = resolve(__dirname, "node-readiness.sh");
export const nodeReadinessScript = (): string => readFileSync(NODE_READINESS_SCRIPT_FILE, "utf8");

const SCRIPT_DIR = "/etc/multus-node-readiness";

const orEmpty = (field: string, empty: string) => `(has(${field}) ? ${field} : ${empty})`;
const otherTaints = (node: string) =>
  `${orEmpty(`${node}.spec.taints`, "[]")}.filter(t, t.key != '${MULTUS_NOT_READY_TAINT}')`;

/** The policy's rules: its own node, and nothing but the not-ready taint. */
export const NODE_READINESS_VALIDATIONS = [
  {
    expression: callerExtraIs(NODE_NAME_EXTRA, "object.metadata.name"),
    message: `${NODE_READINESS_NAME} may change only the node its pod runs on`,
    reason: "Forbidden",
  },
  {
    expression: `${otherTaints("object")} == ${otherTaints("oldObject")}`,
    message: `${NODE_READINESS_NAME} may add or remove the ${MULTUS_NOT_READY_TAINT} taint only`,
    reason: "Forbidden",
  },
  {
    expression: [
      `${orEmpty("object.metadata.labels", "{}")} == ${orEmpty("oldObject.metadata.labels", "{}")}`,
      `${orEmpty("object.metadata.annotations", "{}")} == ${orEmpty("oldObject.metadata.annotations", "{}")}`,
      `${orEmpty("object.spec.unschedulable", "false")} == ${orEmpty("oldObject.spec.unschedulable", "false")}`,
    ].join(" && "),
    message: `${NODE_READINESS_NAME} may not change a node's labels, annotations or schedulability`,
    reason: "Forbidden",
  },
] as const;

export function nodeReadinessObjects(image: string): KubernetesObject[] {
  const meta = { name: NODE_READINESS_NAME, namespace: MULTUS_NAMESPACE };
  const serviceAccount: IServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta };
  const clusterRole: IClusterRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: NODE_READINESS_NAME },
    // Bounded by the ValidatingAdmissionPolicy below.
    rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: NODE_READINESS_NAME },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NODE_READINESS_NAME },
    subjects: [{ kind: "ServiceAccount", ...meta }],
  };
  const policy: IValidatingAdmissionPolicy = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: NODE_READINESS_NAME },
    spec: {
      failurePolicy: "Fail",
      // A PATCH is an UPDATE to admission. The ClusterRole grants nothing on nodes/status.
      matchConstraints: {
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["nodes"] }],
      },
      matchConditions: [
        {
          name: "by-multus-node-readiness",
          expression: `request.userInfo.username == '${serviceAccountUser(MULTUS_NAMESPACE, NODE_READINESS_NAME)}'`,
        },
      ],
      validations: NODE_READINESS_VALIDATIONS.map((v) => ({ ...v })),
    },
  };
  const policyBinding: IValidatingAdmissionPolicyBinding = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: NODE_READINESS_NAME },
    spec: { policyName: NODE_READINESS_NAME, validationActions: ["Deny"] },
  };
  const script: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta,
    data: { "node-readiness.sh": nodeReadinessScript() },
  };
  const labels = { tier: "node", app: NODE_READINESS_NAME, name: NODE_READINESS_NAME };
  const daemonSet: IDaemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { ...meta, labels },
    spec: {
      selector: { matchLabels: { name: NODE_READINESS_NAME } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          // Host network: it must run before (and without) the pod network it judges.
          ...MULTUS_NODE_AGENT,
          serviceAccountName: NODE_READINESS_NAME,
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: NODE_READINESS_NAME,
              image,
              command: ["/bin/sh", `${SCRIPT_DIR}/node-readiness.sh`],
              env: [
                { name: "NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
                { name: "TAINT_KEY", value: MULTUS_NOT_READY_TAINT },
                { name: "MULTUS_CONF", value: "/host/etc/cni/net.d/00-multus.conf" },
                { name: "MULTUS_SOCKET", value: "/host/run/multus/multus.sock" },
              ],
              resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
              // Root (the files and the socket are root's), but without any capability.
              securityContext: { ...CONTAINER_SECURITY, readOnlyRootFilesystem: true },
              volumeMounts: [
                { name: "script", mountPath: SCRIPT_DIR, readOnly: true },
                { name: "cni-net-dir", mountPath: "/host/etc/cni/net.d", readOnly: true },
                { name: "multus-run", mountPath: "/host/run/multus", readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: "script", configMap: { name: NODE_READINESS_NAME } },
            { name: "cni-net-dir", hostPath: { path: "/etc/cni/net.d" } },
            { name: "multus-run", hostPath: { path: "/run/multus", type: "DirectoryOrCreate" } },
          ],
        },
      },
    },
  };
  return [serviceAccount, clusterRole, binding, policy, policyBinding, script, daemonSet];
}
