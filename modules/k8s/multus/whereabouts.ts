/**
 * The whereabouts IPAM (k8snetworkplumbingwg/whereabouts doc/crds/daemonset-install.yaml): a
 * DaemonSet that installs the plugin and its kubeconfig on each Multus node
 * (/opt/cni/bin/whereabouts, /etc/cni/net.d/whereabouts.d) and runs the reconciler that frees the
 * addresses of pods that are gone. Allocations live in IPPool objects, so no two pods in the cluster
 * get the same address, whichever node they run on.
 */
import type { IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubernetesObject } from "../kubernetes-object";
import { MULTUS_NAMESPACE, MULTUS_NODE_AGENT } from "./multus-daemonset";

const NAME = "whereabouts";

/** Where whereabouts' installer writes the kubeconfig the plugin uses; the NADs name it. */
export const WHEREABOUTS_KUBECONFIG = "/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig";

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
    rules: [
      {
        apiGroups: ["whereabouts.cni.cncf.io"],
        resources: ["ippools", "overlappingrangeipreservations"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get"] },
      {
        apiGroups: ["k8s.cni.cncf.io"],
        resources: ["network-attachment-definitions"],
        verbs: ["get", "list", "watch"],
      },
      { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch", "update"] },
    ],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: NAME },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "whereabouts-cni" },
    subjects: [{ kind: "ServiceAccount", name: NAME, namespace: MULTUS_NAMESPACE }],
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
              args: ["-c", "SLEEP=false /install-cni.sh && /ip-control-loop -log-level info"],
              env: [
                { name: "NODENAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
                { name: "WHEREABOUTS_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
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
  return [serviceAccount, clusterRole, binding, daemonSet];
}
