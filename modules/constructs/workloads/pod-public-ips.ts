import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";

/** The network of the VPC CNI: a pod's own address, on eth0. */
export const VPC_CNI_NETWORK = "eth0";

/** One public address a pod holds on one of its networks. */
export interface PodPublicIp {
  /** namespace/name of the pod. */
  readonly pod: string;
  /** `eth0` (VPC_CNI_NETWORK) for the pod's own address, else the name of the network the address is on. */
  readonly network: string;
  readonly publicIp: string;
}

/**
 * The `pod_public_ips` output: pod (namespace/name) -> network -> public IP, built once from every
 * public address the workloads stack holds, whatever owns it. Spare addresses (pods at or above
 * replicas) are included: they are allocated, and partners may allow-list them ahead of a scale-up.
 */
export function podPublicIpsOutput(scope: Construct, addresses: readonly PodPublicIp[]): TerraformOutput | undefined {
  if (addresses.length === 0) return undefined;
  const byPod: Record<string, Record<string, string>> = {};
  for (const a of addresses) (byPod[a.pod] ??= {})[a.network] = a.publicIp;
  return new TerraformOutput(scope, "pod_public_ips", {
    value: byPod,
    description:
      "Public IPs of pods: namespace/pod -> network (eth0 for the pod's own address, else the public Multus network) -> public IP",
  });
}
