/**
 * Pods with their own Elastic IP reach the internet from it only when the CNI leaves their source
 * address alone (external SNAT) and their subnet routes to the internet gateway. Prefix delegation is
 * fine: the pod's sidecar finds the ENI whose delegated /28 holds its address through its node.
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import type { AddressLock } from "../environment/address-lock";
import { plannedElasticIps } from "../plan/aws-facts";
import { publicIpNodeGroups } from "../plan/placement";
import { checkPublicAddresses } from "./public-addresses";

/** EC2's default quota of Elastic IPs per region ("EC2-VPC Elastic IPs", L-0263D0A3). */
export const DEFAULT_EIP_QUOTA = 5;

export function checkPublicIpPods(env: Environment, context: { addressLock?: AddressLock } = {}): Problem[] {
  const problems: Problem[] = [];
  const pods = env.workloads.publicIpPods;
  const at = (i: number, field?: string) => ["workloads", "publicIpPods", i, ...(field ? [field] : [])];
  pods.forEach((spec, i) => {
    if (!env.cni.externalSnat) {
      problems.push(
        error(
          at(i),
          `${spec.name}: pods with their own Elastic IP need cni.externalSnat: true; otherwise the CNI translates their traffic to the node's address and the Elastic IP is never used`,
          "set cni.externalSnat: true",
        ),
      );
    }
    if (env.cni.customNetworking) {
      problems.push(
        error(
          at(i),
          `${spec.name}: with custom networking the pods take addresses of the pod subnets, which route through NAT, not to the internet gateway`,
          "set cni.customNetworking: false and run these pods on node groups with subnet: public",
        ),
      );
    }
    if (env.cni.subnetDiscovery && Object.values(env.network.zones).some((z) => z.pod)) {
      problems.push(
        error(
          at(i),
          `${spec.name}: with subnet discovery the pods' further ENIs may take addresses of the tagged pod subnets, which route through NAT, not to the internet gateway`,
          "set cni.subnetDiscovery: false for an environment with public-IP pods",
        ),
      );
    }
    const groups = publicIpNodeGroups(env, spec);
    if (groups.length === 0) {
      problems.push(
        error(
          at(i),
          `${spec.name}: no node group has subnet: public, so these pods would sit in private subnets whose route to the internet is a NAT gateway`,
          "add a node group with subnet: public (or name one in nodeGroups)",
        ),
      );
    }
    spec.nodeGroups?.forEach((name, g) => {
      const group = env.nodeGroups.find((n) => n.name === name);
      if (!group) {
        problems.push(
          error(
            [...at(i, "nodeGroups"), g],
            `${spec.name}: there is no node group ${name}`,
            `use one of ${env.nodeGroups.map((n) => n.name).join(", ")}`,
          ),
        );
      } else if (group.subnet !== "public") {
        problems.push(
          error(
            [...at(i, "nodeGroups"), g],
            `${spec.name}: node group ${name} is in the private node subnets, which reach the internet through NAT, not the internet gateway`,
            `give ${name} subnet: public, or run the pods on a public node group`,
          ),
        );
      }
    });
  });
  // Pods on the VPC CNI's network (their allocated addresses, spares included), and pods on public
  // Multus networks (one per network each).
  const { natGateways: natEips, pods: podEips } = plannedElasticIps(env);
  if (podEips > 0 && natEips + podEips > DEFAULT_EIP_QUOTA) {
    problems.push(
      warning(
        pods.length > 0 ? ["workloads", "publicIpPods"] : ["multus", "networks"],
        `this environment needs ${natEips + podEips} Elastic IPs in ${env.region} (${podEips} for pods, ${natEips} for NAT), above the default quota of ${DEFAULT_EIP_QUOTA} per region ("EC2-VPC Elastic IPs", L-0263D0A3)`,
        "request a higher quota in Service Quotas before deploying, or release addresses (release: true); the network stack checks the region's quota against the addresses allocated there at plan time",
        "elastic-ip-quota",
      ),
    );
  }
  problems.push(...checkPublicAddresses(env, context.addressLock));
  return problems;
}
