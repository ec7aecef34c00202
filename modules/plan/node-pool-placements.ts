/**
 * Where a Karpenter pool's nodes and pods go in the capacity plan (capacity.ts), by address-demand.ts's
 * one rule. Pure: no cdktf.
 */
import type { Environment } from "../environment/schema";
import { nodeAddressDemand } from "./address-demand";
import { HOST_NETWORK_PODS } from "./max-pods";
import { zonesOf } from "./node-groups";
import { nodePoolCount } from "./node-pools";
import type { NodePlacement } from "./pod-eni-placement";
import { branchEniSubnet, podNetworkMode, secondaryEniSubnets } from "./pod-network";
import type { PlannedSubnet } from "./subnets";

/**
 * Karpenter's node pools, by the same rule: each AZ of a pool counts every node its limits allow (one
 * batch over, nodePoolCount), since Karpenter launches where pending pods ask and a zonal workload
 * can put all of them in one AZ; the surge is the pool's disruption budget of replacements.
 */
export function nodePoolPlacements(
  env: Environment,
  find: (role: PlannedSubnet["role"], az: string) => PlannedSubnet | undefined,
): NodePlacement[] {
  const mode = podNetworkMode(env.cni);
  return (env.karpenter?.nodePools ?? []).flatMap((pool, index) => {
    const count = nodePoolCount(pool, env);
    if (!count) return []; // a pool without instance types: reported by the checks
    const demand = nodeAddressDemand(count.maxPods, count.computed, env.cni);
    return zonesOf(env, pool).flatMap((az): NodePlacement[] => {
      const nodeSubnet = find(pool.subnet, az);
      if (!nodeSubnet) return [];
      const podSubnets = secondaryEniSubnets(mode, nodeSubnet, find("pod", az));
      const branchSubnet = branchEniSubnet(mode, nodeSubnet, find("pod", az));
      if (podSubnets.length === 0 || !branchSubnet) return [];
      return [
        {
          capacity: {
            kind: "nodePool",
            name: pool.name,
            index,
            instanceType: count.instanceType,
            maxUnavailable: 1,
          },
          az,
          nodes: count.nodes,
          maxPods: count.maxPods,
          podAddressesPerNode: Math.max(0, count.maxPods - HOST_NETWORK_PODS),
          nodeSubnet,
          podSubnets,
          branchSubnet,
          podEnisPerNode: demand.eniUnits.length,
          prefixDelegation: count.computed.prefixDelegation,
          demand,
          surge: {
            rollout: count.surge,
            replacement: 0,
            nodes: count.surge,
            kind: count.surge > 0 ? "disruption" : "none",
          },
        },
      ];
    });
  });
}
