/**
 * The CNI section of the IP plan report: the pod network settings, and the mode in words (which the
 * diagram's title shows too).
 */
import type { CniSpec } from "../environment/schema";
import { podNetworkLabel, podNetworkMode, type PodNetworkMode } from "../plan/pod-network";

export interface CniReport {
  customNetworking: boolean;
  /** Enhanced subnet discovery: the pod subnets are tagged for the CNI and pooled with the node subnets. */
  subnetDiscovery: boolean;
  /** Where pods take addresses from: nodeSubnets, customNetworking or subnetDiscovery. */
  podNetwork: PodNetworkMode;
  /** As requested; a node group's own `prefixDelegation` says whether it applies to its instance type. */
  prefixDelegation: boolean;
  externalSnat: boolean;
  warmPrefixTarget?: number;
  warmIpTarget?: number;
  minimumIpTarget?: number;
  /** The VPC CNI enforces NetworkPolicy (no effect on addresses). */
  networkPolicy: boolean;
  /** Security groups for pods: a trunk ENI per node that supports it, branch ENIs for selected pods. */
  podSecurityGroups: boolean;
  /** e.g. "custom networking, prefix delegation" or "secondary IPs, external SNAT". */
  mode: string;
}

/** The CNI mode in words, as the report and the diagram title show it. */
export function cniModeLabel(cni: CniSpec): string {
  return [
    podNetworkLabel(podNetworkMode(cni)),
    cni.prefixDelegation ? "prefix delegation" : "secondary IPs",
    cni.externalSnat && "external SNAT",
    cni.podSecurityGroups && "security groups for pods",
  ]
    .filter(Boolean)
    .join(", ");
}

export function cniReport(cni: CniSpec): CniReport {
  const optional = (key: "warmPrefixTarget" | "warmIpTarget" | "minimumIpTarget") =>
    cni[key] === undefined ? {} : { [key]: cni[key] };
  return {
    customNetworking: cni.customNetworking,
    subnetDiscovery: cni.subnetDiscovery,
    podNetwork: podNetworkMode(cni),
    prefixDelegation: cni.prefixDelegation,
    externalSnat: cni.externalSnat,
    ...optional("warmPrefixTarget"),
    ...optional("warmIpTarget"),
    ...optional("minimumIpTarget"),
    networkPolicy: cni.networkPolicy,
    podSecurityGroups: cni.podSecurityGroups !== undefined,
    mode: cniModeLabel(cni),
  };
}
