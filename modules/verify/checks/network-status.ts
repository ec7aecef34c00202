/**
 * Multus's two pod annotations, read defensively. `k8s.v1.cni.cncf.io/networks` is what the pod asks
 * for: a comma-separated list (`ns/name`, `name`, `name@net1`) or a JSON list of {name, namespace,
 * interface}. `k8s.v1.cni.cncf.io/network-status` is what it got: a JSON list of NetworkStatus
 * (network-attachment-definition-client, types.go): only `name` is always there, `ips` are bare
 * addresses, and the default network is the entry with `default: true` (on EKS its interface is a
 * dummy name, not eth0, so it is never picked by interface).
 */

/** What Multus writes once a pod's interfaces exist (NetworkStatusAnnot in types.go). */
export const NETWORK_STATUS_ANNOTATION = "k8s.v1.cni.cncf.io/network-status";

export interface NetworkStatusEntry {
  name: string;
  interface?: string;
  ips: string[];
  default?: boolean;
}

export type ParsedNetworkStatus = { ok: true; entries: NetworkStatusEntry[] } | { ok: false; reason: string };

export function networkStatus(text: string | undefined): ParsedNetworkStatus {
  if (text === undefined) return { ok: false, reason: "not set" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (!Array.isArray(json)) return { ok: false, reason: "not a JSON list" };
  const entries = json.flatMap((e): NetworkStatusEntry[] => {
    if (typeof e !== "object" || e === null || typeof (e as { name?: unknown }).name !== "string") return [];
    const entry = e as { name: string; interface?: unknown; ips?: unknown; default?: unknown };
    return [
      {
        name: entry.name,
        interface: typeof entry.interface === "string" ? entry.interface : undefined,
        ips: Array.isArray(entry.ips) ? entry.ips.filter((ip): ip is string => typeof ip === "string") : [],
        default: entry.default === true,
      },
    ];
  });
  return { ok: true, entries };
}

/** The networks a pod asks for, as `namespace/name` (a bare name is in the pod's namespace). */
export function requestedNetworks(text: string | undefined, podNamespace: string): string[] {
  if (text === undefined || text.trim() === "") return [];
  const qualified = (name: string, namespace?: string) =>
    name.includes("/") ? name : `${namespace ?? podNamespace}/${name}`;
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const list = JSON.parse(trimmed) as Array<{ name?: unknown; namespace?: unknown }>;
      return list
        .filter((n) => typeof n.name === "string")
        .map((n) => qualified(n.name as string, typeof n.namespace === "string" ? n.namespace : undefined));
    } catch {
      return [];
    }
  }
  return trimmed
    .split(",")
    .map((s) => s.trim().split("@")[0])
    .filter((s) => s !== "")
    .map((s) => qualified(s));
}
