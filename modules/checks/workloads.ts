/**
 * Pods with their own Elastic IP reach the internet from it only when the CNI leaves their source
 * address alone (external SNAT), their address sits on a node interface EC2 can look up (a secondary
 * IP, not a delegated prefix), and their subnet routes to the internet gateway.
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { multusPublicPods } from "../plan/multus-public";
import { natGatewayZones, publicIpNodeGroups } from "../plan/placement";

/** EC2's default quota of Elastic IPs per region ("EC2-VPC Elastic IPs", L-0263D0A3). */
export const DEFAULT_EIP_QUOTA = 5;

export function checkPublicIpPods(env: Environment): Problem[] {
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
    if (env.cni.prefixDelegation) {
      problems.push(
        error(
          at(i),
          `${spec.name}: with prefix delegation a pod's address lies inside a /28 prefix, and EC2 offers no lookup from such an address to its network interface, so the Elastic IP cannot be associated declaratively`,
          "set cni.prefixDelegation: false for an environment with public-IP pods (secondary IPs can be looked up), or use a controller that associates addresses from inside the cluster",
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
  const natEips = natGatewayZones(env.network).length;
  // Pods on the VPC CNI's network, and pods on public Multus networks (one per network each).
  const podEips =
    pods.reduce((n, p) => n + p.replicas, 0) + multusPublicPods(env).reduce((n, p) => n + p.addresses.length, 0);
  if (podEips > 0 && natEips + podEips > DEFAULT_EIP_QUOTA) {
    problems.push(
      warning(
        pods.length > 0 ? ["workloads", "publicIpPods"] : ["multus", "networks"],
        `this environment needs ${natEips + podEips} Elastic IPs in ${env.region} (${podEips} for pods, ${natEips} for NAT), above the default quota of ${DEFAULT_EIP_QUOTA} per region ("EC2-VPC Elastic IPs", L-0263D0A3)`,
        "request a higher quota in Service Quotas before deploying, or lower the replicas",
      ),
    );
  }
  return problems;
}
