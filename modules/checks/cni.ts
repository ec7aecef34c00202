/**
 * VPC CNI settings against the network plan: custom networking needs a pod subnet (an ENIConfig)
 * in every AZ where nodes run, or pods on those nodes get no address at all; subnet discovery needs
 * custom networking off, and pod subnets to discover (a vpc-cni pin that has it: addon-versions.ts).
 */
import { zonesOf } from "../plan/node-groups";
import { podNetworkMode } from "../plan/pod-network";
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
    // A shared network's pod subnets are its owner's, for its own pods.
    if (podNetworkMode(env.cni) === "nodeSubnets" && zone.pod && env.network.source.kind !== "shared") {
      problems.push(
        warning(
          ["network", "zones", az, "pod"],
          `${zone.pod} is planned as a pod subnet, but cni.customNetworking and cni.subnetDiscovery are off, so pods take node-subnet addresses and this subnet stays empty`,
          "set cni.customNetworking: true (ENIConfig per AZ) or cni.subnetDiscovery: true (the subnet is tagged for the CNI), or remove the pod subnet",
          "unused-pod-subnet",
        ),
      );
    }
  }
  return problems;
}

function checkSubnetDiscovery(env: Environment): Problem[] {
  if (!env.cni.subnetDiscovery) return [];
  const problems: Problem[] = [];
  if (env.cni.customNetworking) {
    problems.push(
      error(
        ["cni", "subnetDiscovery"],
        "cni.subnetDiscovery and cni.customNetworking are both on; the VPC CNI lets custom networking take precedence, so the tagged pod subnets would be ignored and the primary ENI would serve no pods",
        "choose one pod network mode: set cni.customNetworking: false for subnet discovery, or cni.subnetDiscovery: false for custom networking",
      ),
    );
  }
  // A vpc-cni pin too old for subnet discovery: addon-versions.ts, with every other feature.
  if (!Object.values(env.network.zones).some((zone) => zone.pod)) {
    problems.push(
      warning(
        ["cni", "subnetDiscovery"],
        "cni.subnetDiscovery is on, but no AZ has a pod subnet to tag for discovery, so pods take node-subnet addresses only",
        "add pod subnets to the AZs in network.zones, or set cni.subnetDiscovery: false",
        "subnet-discovery-without-pod-subnets",
      ),
    );
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
  problems.push(...checkSubnetDiscovery(env));
  return problems;
}
