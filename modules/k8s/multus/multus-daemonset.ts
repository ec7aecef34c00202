/**
 * Multus, thick plugin, as AWS ships it for EKS (aws/amazon-vpc-cni-k8s config/multus
 * v4.1.4-eksbuild.3/multus-daemonset-thick.yml as edited in place by #3323, June 2025, first in
 * vpc-cni v1.20.0): a daemon per node that wraps the VPC CNI (10-aws.conflist) as the default network
 * and adds the interfaces a pod's k8s.v1.cni.cncf.io/networks annotation asks for. From #3323: the
 * init container copies the shim with `cp -f` (plain `cp` hangs with "Text file busy" after an
 * unclean reboot, and every pod of the node with it), and the daemon has 200Mi (50Mi got it
 * OOM-killed, leaving a 00-multus.conf behind that fails every CNI call until it restarts).
 *
 * One addition of ours: `readinessindicatorfile` on the VPC CNI's conflist (multus-cni
 * docs/configuration.md). Without it the daemon exits at once when 10-aws.conflist is not there yet
 * (multusMasterCNI cannot be read) and crash-loops until aws-node writes it; with it, it waits (up to
 * 45 s a start) and, should the file be removed later, removes its own config and restarts.
 *
 * Unlike AWS's manifest it runs only on the Multus nodes: elsewhere no pod can use a Multus network
 * (no master interface), and leaving Multus out keeps every other node's pod networking exactly the
 * VPC CNI's, so a Multus fault cannot stop pods starting cluster-wide.
 */
import type { IDaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { KubernetesObject } from "../kubernetes-object";
import { MULTUS_NODE_LABEL, OS_LABEL } from "../../plan/labels";

export const MULTUS_NAMESPACE = "kube-system";
const NAME = "multus";

/** Where the Multus and whereabouts DaemonSets run: Linux nodes of the Multus node groups. */
export const MULTUS_NODE_SELECTOR = { [OS_LABEL]: "linux", [MULTUS_NODE_LABEL]: "true" };

/** Like aws-node: a CNI DaemonSet tolerates every taint, or tainted Multus nodes would get no Multus. */
export const TOLERATE_ALL: IToleration[] = [
  { operator: "Exists", effect: "NoSchedule" },
  { operator: "Exists", effect: "NoExecute" },
];

/**
 * How a per-node agent of Multus (the Multus daemon, whereabouts) runs: on the Multus nodes only, in
 * the host network, never evicted before the pods that need it.
 */
export const MULTUS_NODE_AGENT = {
  nodeSelector: MULTUS_NODE_SELECTOR,
  hostNetwork: true,
  priorityClassName: "system-node-critical",
  tolerations: TOLERATE_ALL,
};

/** The daemon's configuration: delegate the default network to the VPC CNI's conflist. */
export const MULTUS_DAEMON_CONFIG = {
  chrootDir: "/hostroot",
  confDir: "/host/etc/cni/net.d",
  logFile: "/var/log/multus.log",
  logLevel: "verbose",
  socketDir: "/host/run/multus/",
  cniVersion: "0.3.1",
  logToStderr: true,
  cniConfigDir: "/host/etc/cni/net.d",
  multusConfigFile: "auto",
  multusAutoconfigDir: "/host/etc/cni/net.d",
  multusMasterCNI: "10-aws.conflist",
  // As the daemon sees the host's /etc/cni/net.d (the "cni" mount below).
  readinessindicatorfile: "/host/etc/cni/net.d/10-aws.conflist",
};

export function multusObjects(image: string): KubernetesObject[] {
  const labels = { tier: "node", app: NAME, name: NAME };
  const serviceAccount: IServiceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: NAME, namespace: MULTUS_NAMESPACE },
  };
  const clusterRole: IClusterRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: NAME },
    rules: [
      { apiGroups: ["k8s.cni.cncf.io"], resources: ["*"], verbs: ["*"] },
      { apiGroups: [""], resources: ["pods", "pods/status"], verbs: ["get", "list", "update", "watch"] },
      { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch", "update"] },
    ],
  };
  const binding: IClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: NAME },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAME },
    subjects: [{ kind: "ServiceAccount", name: NAME, namespace: MULTUS_NAMESPACE }],
  };
  const config: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "multus-daemon-config", namespace: MULTUS_NAMESPACE, labels: { tier: "node", app: NAME } },
    data: { "daemon-config.json": JSON.stringify(MULTUS_DAEMON_CONFIG, null, 2) },
  };
  const hostPaths: Array<[string, string, string, IVolumeMount["mountPropagation"]?]> = [
    // [volume, host path, mount path, propagation]
    ["cni", "/etc/cni/net.d", "/host/etc/cni/net.d"],
    // The daemon requires the same CNI bin path inside and outside the container.
    ["cnibin", "/opt/cni/bin", "/opt/cni/bin"],
    ["host-run", "/run", "/host/run"],
    ["host-var-lib-cni-multus", "/var/lib/cni/multus", "/var/lib/cni/multus"],
    ["host-var-lib-kubelet", "/var/lib/kubelet", "/var/lib/kubelet", "HostToContainer"],
    ["host-run-k8s-cni-cncf-io", "/run/k8s.cni.cncf.io", "/run/k8s.cni.cncf.io"],
    ["host-run-netns", "/run/netns/", "/run/netns", "HostToContainer"],
    ["hostroot", "/", "/hostroot", "HostToContainer"],
  ];
  const volumes: IVolume[] = [
    ...hostPaths.map(([name, path]) => ({ name, hostPath: { path } })),
    {
      name: "multus-daemon-config",
      configMap: { name: "multus-daemon-config", items: [{ key: "daemon-config.json", path: "daemon-config.json" }] },
    },
  ];
  const daemonSet: IDaemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-multus-ds", namespace: MULTUS_NAMESPACE, labels },
    spec: {
      selector: { matchLabels: { name: NAME } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          ...MULTUS_NODE_AGENT,
          hostPID: true,
          serviceAccountName: NAME,
          initContainers: [
            {
              name: "install-multus-binary",
              image,
              command: ["cp", "-f", "/usr/src/multus-cni/bin/multus-shim", "/host/opt/cni/bin/multus-shim"],
              resources: { requests: { cpu: "10m", memory: "15Mi" } },
              securityContext: { privileged: true },
              terminationMessagePolicy: "FallbackToLogsOnError",
              volumeMounts: [{ name: "cnibin", mountPath: "/host/opt/cni/bin", mountPropagation: "Bidirectional" }],
            },
          ],
          containers: [
            {
              name: "kube-multus",
              image,
              command: ["/usr/src/multus-cni/bin/multus-daemon"],
              resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { cpu: "100m", memory: "200Mi" } },
              // It moves interfaces between network namespaces and runs the delegate plugins.
              securityContext: { privileged: true },
              terminationMessagePolicy: "FallbackToLogsOnError",
              volumeMounts: [
                ...hostPaths.map(([name, , mountPath, mountPropagation]) => ({
                  name,
                  mountPath,
                  ...(mountPropagation ? { mountPropagation } : {}),
                })),
                { name: "multus-daemon-config", mountPath: "/etc/cni/net.d/multus.d", readOnly: true },
              ],
              env: [{ name: "MULTUS_NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
            },
          ],
          terminationGracePeriodSeconds: 10,
          volumes,
        },
      },
    },
  };
  return [serviceAccount, clusterRole, binding, config, daemonSet];
}
