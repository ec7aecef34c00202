/**
 * User data for AL2023 nodes: a nodeadm NodeConfig in a MIME multipart document. With an AMI id in
 * the launch template, EKS adds nothing to user data, so this document is the whole join: cluster,
 * endpoint, CA, service range, and the kubelet's maxPods, which therefore is exactly ours.
 *
 * No double quotes anywhere: cdktf's base64encode refuses string literals containing them, and the
 * values (tokens included) never need quoting in this YAML.
 */

export interface NodeadmJoin {
  clusterName: string;
  /** https://... */
  apiServerEndpoint: string;
  /** Base64 CA bundle, as EKS returns it. */
  certificateAuthority: string;
  /** The cluster's Service range: nodeadm derives the cluster DNS address from it. */
  serviceCidr: string;
  maxPods: number;
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE" }>;
}

export const MIME_BOUNDARY = "NODEADM-BOUNDARY";

export const KUBELET_TAINT_EFFECT = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
} as const;

export function nodeConfigYaml(join: NodeadmJoin): string {
  const flags: string[] = [];
  const labels = Object.entries(join.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) flags.push(`--node-labels=${labels.join(",")}`);
  const taints = join.taints.map(
    (t) => `${t.key}${t.value === undefined ? "" : `=${t.value}`}:${KUBELET_TAINT_EFFECT[t.effect]}`,
  );
  if (taints.length > 0) flags.push(`--register-with-taints=${taints.join(",")}`);
  return [
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    `    name: ${join.clusterName}`,
    `    apiServerEndpoint: ${join.apiServerEndpoint}`,
    `    certificateAuthority: ${join.certificateAuthority}`,
    `    cidr: ${join.serviceCidr}`,
    "  kubelet:",
    "    config:",
    `      maxPods: ${join.maxPods}`,
    ...(flags.length > 0 ? ["    flags:", ...flags.map((f) => `      - ${f}`)] : []),
    "",
  ].join("\n");
}

export interface UserDataPart {
  contentType: string;
  body: string;
}

/**
 * The MIME multipart document EKS launch templates require: the NodeConfig first, then any further
 * parts (a shell script for Multus nodes).
 */
export function nodeadmUserData(join: NodeadmJoin, extraParts: UserDataPart[] = []): string {
  const parts: UserDataPart[] = [
    { contentType: "application/node.eks.aws", body: nodeConfigYaml(join) },
    ...extraParts,
  ];
  const text = [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary=${MIME_BOUNDARY}`,
    "",
    ...parts.flatMap((part) => [`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body]),
    `--${MIME_BOUNDARY}--`,
    "",
  ].join("\n");
  if (text.includes('"'))
    throw new Error("node user data must not contain double quotes (labels, taints and names never need them)");
  return text;
}
