/**
 * VPC CNI settings against the network plan: custom networking needs a pod subnet (an ENIConfig)
 * in every AZ where nodes run, or pods on those nodes get no address at all.
 */
import { zonesOf } from "../plan/node-groups";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

export function checkPodSubnets(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const zonesWithNodes = new Set(env.nodeGroups.flatMap((g) => zonesOf(env, g)));
  for (const [az, zone] of Object.entries(env.network.zones)) {
    if (env.cni.customNetworking && zonesWithNodes.has(az) && !zone.pod) {
      problems.push(
        error(
          ["network", "zones", az, "pod"],
          `cni.customNetworking is on and nodes run in ${az}, but ${az} has no pod subnet (its ENIConfig would have no subnet)`,
          `add a pod CIDR to network.zones.${az}, or set cni.customNetworking: false`,
        ),
      );
    }
    if (!env.cni.customNetworking && zone.pod) {
      problems.push(
        warning(
          ["network", "zones", az, "pod"],
          `${zone.pod} is planned as a pod subnet, but cni.customNetworking is off, so pods take node-subnet addresses and this subnet stays empty`,
          "set cni.customNetworking: true, or remove the pod subnet",
          "unused-pod-subnet",
        ),
      );
    }
  }
  return problems;
}

export function checkCniSettings(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { cni } = env;
  if (cni.warmPrefixTarget !== undefined && !cni.prefixDelegation) {
    problems.push(
      warning(
        ["cni", "warmPrefixTarget"],
        "warmPrefixTarget only applies with prefix delegation, which is off",
        "set cni.prefixDelegation: true, or remove warmPrefixTarget",
        "warm-prefix-target-unused",
      ),
    );
  }
  return problems;
}
