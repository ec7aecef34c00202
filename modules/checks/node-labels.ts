/**
 * Node labels and taints, as the kubelet takes them: `--node-labels k=v,...` and
 * `--register-with-taints k=v:Effect,...` in the node's NodeConfig (k8s/nodeadm-user-data.ts), and
 * the node group's labels and taints in the EKS API. A label the kubelet refuses stops it from
 * starting, so the node never joins; a comma or '=' in a value would split into other labels.
 *
 * Sources: Kubernetes "Labels and Selectors", syntax and character set (apimachinery
 * validation.IsQualifiedName / IsValidLabelValue); kubelet ValidateKubeletFlags with
 * kubeletapis.IsKubeletLabel (pkg/kubelet/apis/well_known_labels.go) for the kubernetes.io and k8s.io
 * namespaces; NodeRestriction for node-restriction.kubernetes.io; `kubectl taint --help` and the AWS
 * provider's aws_eks_node_group taint schema (key 1-63, value 0-63, at most 50) for taints.
 */
import { CAPACITY_TYPE_LABEL, NODEGROUP_LABEL, OWN_PREFIX } from "../plan/labels";
import { error, type FieldPath, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_TEXT = "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

/** Labels in the kubernetes.io / k8s.io namespaces the kubelet may set on itself. */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/arch",
  "kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
]);
const KUBELET_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"];
const within = (namespace: string, parent: string) => namespace === parent || namespace.endsWith(`.${parent}`);

/** Why a qualified name (label or taint key) is malformed, or undefined. */
function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `its prefix "${prefix}" is not a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253)`;
  if (name.length > 63 || !NAME.test(name)) return `its name "${name}" is not ${NAME_TEXT}`;
  return undefined;
}

const valueProblem = (value: string, what: "labels" | "taints"): string | undefined =>
  value === "" || (value.length <= 63 && NAME.test(value))
    ? undefined
    : `is not empty or ${NAME_TEXT} (on the kubelet's command line a ',' or '=' would split it into other ${what})`;

/** Why the kubelet refuses to set this label on its node, or undefined. */
function kubeletRefusal(key: string): string | undefined {
  const namespace = key.includes("/") ? key.slice(0, key.lastIndexOf("/")) : "";
  if (within(namespace, "node-restriction.kubernetes.io"))
    return "the NodeRestriction admission plugin forbids kubelets to set node-restriction.kubernetes.io labels";
  const kubernetes = within(namespace, "kubernetes.io") || within(namespace, "k8s.io");
  if (!kubernetes || KUBELET_LABELS.has(key) || KUBELET_NAMESPACES.some((ns) => within(namespace, ns)))
    return undefined;
  return `the kubelet refuses to set kubernetes.io and k8s.io labels other than under ${KUBELET_NAMESPACES.join(" or ")} or its own well-known ones (topology.kubernetes.io/zone, kubernetes.io/os, ...), so it would not start and the node would never join`;
}

/** Labels the project sets on every node of a group (plan/node-groups.ts nodeLabels, and Multus nodes'). */
function projectLabel(key: string): boolean {
  return key === NODEGROUP_LABEL || key === CAPACITY_TYPE_LABEL || key.startsWith(`${OWN_PREFIX}/`);
}

export function checkNodeLabelsAndTaints(env: Environment): Problem[] {
  const problems: Problem[] = [];
  env.nodeGroups.forEach((group, i) => {
    for (const [key, value] of Object.entries(group.labels)) {
      const at: FieldPath = ["nodeGroups", i, "labels", key];
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) {
        problems.push(
          error(
            at,
            `${group.name}: label key "${key}" is not a Kubernetes label key: ${keyProblem}`,
            "write the key as [prefix/]name, e.g. example.com/team or team",
          ),
        );
        continue;
      }
      const refusal = kubeletRefusal(key);
      if (refusal)
        problems.push(
          error(
            at,
            `${group.name}: label ${key}: ${refusal}`,
            "use a label under your own prefix (example.com/role), or node.kubernetes.io/...",
          ),
        );
      if (projectLabel(key))
        problems.push(
          error(
            at,
            `${group.name}: label ${key} is set by this project on the group's nodes; yours would be overwritten`,
            "use a key of your own",
          ),
        );
      const problem = valueProblem(value, "labels");
      if (problem)
        problems.push(
          error(
            at,
            `${group.name}: the value "${value}" of label ${key} ${problem}`,
            "use a value of letters, digits, '-', '_' and '.' only",
          ),
        );
    }
    if (group.taints.length > 50)
      problems.push(
        error(
          ["nodeGroups", i, "taints"],
          `${group.name}: ${group.taints.length} taints; EKS takes at most 50 per node group`,
          "remove taints",
        ),
      );
    const seen = new Map<string, number>();
    group.taints.forEach((taint, t) => {
      const at: FieldPath = ["nodeGroups", i, "taints", t];
      const keyProblem = qualifiedNameProblem(taint.key);
      if (keyProblem || taint.key.length > 63)
        problems.push(
          error(
            [...at, "key"],
            `${group.name}: taint key "${taint.key}" ${keyProblem ? `is not a Kubernetes taint key: ${keyProblem}` : `has ${taint.key.length} characters; EKS takes at most 63`}`,
            "write the key as [prefix/]name, at most 63 characters in all",
          ),
        );
      if (taint.value !== undefined) {
        const problem = valueProblem(taint.value, "taints");
        if (problem)
          problems.push(
            error(
              [...at, "value"],
              `${group.name}: taint value "${taint.value}" ${problem}`,
              "use a value of letters, digits, '-', '_' and '.' only",
            ),
          );
      }
      const identity = `${taint.key} ${taint.effect}`;
      const earlier = seen.get(identity);
      if (earlier !== undefined)
        problems.push(
          error(
            at,
            `${group.name}: a second taint ${taint.key} with effect ${taint.effect} (also taints[${earlier}]); Kubernetes keeps one taint per key and effect`,
            "remove one of them",
          ),
        );
      seen.set(identity, t);
    });
  });
  return problems;
}
