/**
 * The whereabouts IPAM, as k8snetworkplumbingwg/whereabouts v0.9.4 installs it (doc/crds/daemonset-install.yaml
 * and doc/crds/reconciler-deployment.yaml at tag v0.9.4, commit 3a262bd0; plan/images.ts
 * WHEREABOUTS_VERSION):
 * - a DaemonSet that installs the plugin and its kubeconfig on each Multus node
 *   (/opt/cni/bin/whereabouts, /etc/cni/net.d/whereabouts.d) and runs the pod controller that frees the
 *   addresses of deleted pods. Its kubeconfig carries the pod's service-account token, which the
 *   kubelet rotates and the API server stops accepting after 90 days at the latest: `token-watcher.sh`
 *   rewrites the kubeconfig within a second of every rotation (fixed in v0.9.3 by #661; v0.8 and
 *   v0.9.0-v0.9.2 keep the first token, and every whereabouts call fails once it expires);
 * - the reconciler that frees leaked allocations on a schedule, since v0.9.4 a one-replica Deployment
 *   of its own (/ip-reconciler; commit 5f17aebc, "the scheduler only needs to run once per cluster")
 *   reading its cron expression (UTC) from the whereabouts-config ConfigMap, which it watches.
 * Allocations live in IPPool objects, so no two pods in the cluster get the same address, whichever
 * node they run on.
 *
 * Ours differ from upstream in: the image tag (pinned, where upstream says :latest), the log level
 * (info, not debug), the DaemonSet running only on Multus nodes (MULTUS_NODE_AGENT), and restricted
 * security settings and a Linux node selector for the reconciler.
 */
import type { IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubernetesObject } from "../kubernetes-object";
import { CONTAINER_SECURITY } from "../container-security";
import { OS_LABEL } from "../../plan/labels";
import { MULTUS_NAMESPACE, MULTUS_NODE_AGENT } from "./multus-daemonset";

const NAME = "whereabouts";
const RECONCILER = "whereabouts-reconciler";
export const WHEREABOUTS_CONFIG = "whereabouts-config";

/** Where whereabouts' installer writes the kubeconfig the plugin uses; the NADs name it. */
export const WHEREABOUTS_KUBECONFIG = "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig";
/** The reconciler's schedule (UTC), upstream's default: once a day at 04:30. */
export const RECONCILER_CRON = "30 4 * * *";

/**
 * The DaemonSet's command, upstream's: install-cni.sh is sourced (SLEEP=false) so that the checksums
 * of the token and CA it exports stay in the shell that starts token-watcher.sh, which then polls them
 * every second and regenerates the kubeconfig on a change.
 */
export const WHEREABOUTS_DAEMON_SCRIPT = [
  "SLEEP=false source /install-cni.sh",
  "/token-watcher.sh &",
  "/ip-control-loop -log-level info",
  "",
].join("\n");

/** The whereabouts-cni ClusterRole's rules, as v0.9.4's daemonset-install.yaml has them. */
export const WHEREABOUTS_RULES: IClusterRole["rules"] = [
  {
    apiGroups: ["whereabouts.cni.cncf.io"],
    resources: ["ippools", "overlappingrangeipreservations", "nodeslicepools"],
    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
  },
  { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch", "get"] },
  { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["k8s.cni.cncf.io"], resources: ["network-attachment-definitions"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch", "update", "get"] },
];

const NAMESPACE_ENV: IEnvVar = {
  name: "WHEREABOUTS_NAMESPACE",
  valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
};

export function whereaboutsObjects(image: string): KubernetesObject[] {
  const serviceAccount: IServiceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: NAME, namespace: MULTUS_NAMESPACE },
  };
  const clusterRole: IClusterRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "whereabouts-cni" },
    rules: WHEREABOUTS_RULES,
  };
  const binding: IClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: NAME },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "whereabouts-cni" },
    subjects: [{ kind: "ServiceAccount", name: NAME, namespace: MULTUS_NAMESPACE }],
  };
  const config: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: WHEREABOUTS_CONFIG,
      namespace: MULTUS_NAMESPACE,
      annotations: { "kubernetes.io/description": "Configmap containing user customizable cronjob schedule\n" },
    },
    data: { "cron-expression": RECONCILER_CRON },
  };
  const labels = { tier: "node", app: NAME, name: NAME };
  const daemonSet: IDaemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: NAME, namespace: MULTUS_NAMESPACE, labels: { tier: "node", app: NAME } },
    spec: {
      selector: { matchLabels: { name: NAME } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          ...MULTUS_NODE_AGENT,
          serviceAccountName: NAME,
          containers: [
            {
              name: NAME,
              image,
              command: ["/bin/sh"],
              args: ["-c", WHEREABOUTS_DAEMON_SCRIPT],
              env: [
                { name: "NODENAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
                NAMESPACE_ENV,
              ],
              resources: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: "100m", memory: "200Mi" } },
              // It writes the plugin and its kubeconfig into the host's CNI directories.
              securityContext: { privileged: true },
              volumeMounts: [
                { name: "cnibin", mountPath: "/host/opt/cni/bin" },
                { name: "cni-net-dir", mountPath: "/host/etc/cni/net.d" },
              ],
            },
          ],
          volumes: [
            { name: "cnibin", hostPath: { path: "/opt/cni/bin" } },
            { name: "cni-net-dir", hostPath: { path: "/etc/cni/net.d" } },
          ],
        },
      },
    },
  };
  const reconcilerLabels = { tier: "node", app: RECONCILER, name: RECONCILER };
  const reconciler: IDeployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: RECONCILER, namespace: MULTUS_NAMESPACE, labels: { tier: "node", app: RECONCILER } },
    spec: {
      // Upstream: "replicas must not be set to more than 1; there is no leader election".
      replicas: 1,
      // Never two at once, even during a rollout.
      strategy: { type: "Recreate" },
      selector: { matchLabels: { name: RECONCILER } },
      template: {
        metadata: { labels: reconcilerLabels },
        spec: {
          serviceAccountName: NAME,
          // It only talks to the API server: any Linux node will do, a Multus node or not.
          nodeSelector: { [OS_LABEL]: "linux" },
          containers: [
            {
              name: RECONCILER,
              image,
              command: ["/ip-reconciler"],
              args: ["-log-level", "info"],
              env: [NAMESPACE_ENV],
              resources: { requests: { cpu: "100m", memory: "50Mi" }, limits: { cpu: "100m", memory: "50Mi" } },
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [{ name: "cron-scheduler-configmap", mountPath: "/cron-schedule" }],
            },
          ],
          volumes: [
            {
              name: "cron-scheduler-configmap",
              configMap: {
                name: WHEREABOUTS_CONFIG,
                defaultMode: 0o744,
                items: [{ key: "cron-expression", path: "config" }],
              },
            },
          ],
        },
      },
    },
  };
  return [serviceAccount, clusterRole, binding, config, daemonSet, reconciler];
}
