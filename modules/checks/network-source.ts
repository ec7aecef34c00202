/**
 * An environment in a network it does not create: another environment's (`network.from`) or an
 * existing VPC. The VPC is in one region; two clusters of one name in it would claim the same
 * subnet tag; Multus needs subnets and CIDR reservations only the VPC's creator makes; and nodes in
 * the public subnets need a public subnet in each of their AZs. Pure.
 */
import { error, warning, type FieldPath, type Problem } from "../environment/problems";
import type { Environment, NetworkOwner } from "../environment/schema";
import { SUBNET_DISCOVERY_TAG } from "../plan/labels";
import { zonesOf } from "../plan/node-groups";
import { podNetworkMode } from "../plan/pod-network";

export function checkNetworkSource(env: Environment): Problem[] {
  const { source } = env.network;
  switch (source.kind) {
    case "own":
      return [];
    case "shared": {
      const { owner } = source;
      const problems: Problem[] = [];
      if (env.region !== owner.region)
        problems.push(
          error(
            ["region"],
            `${env.region}, but the network it shares (network.from: ${source.from}) is ${owner.name}'s in ${owner.region}; a VPC lies in one region`,
            `set region: ${owner.region}, or give this environment a network of its own in ${env.region}`,
          ),
        );
      if (env.cluster.name === owner.clusterName)
        problems.push(
          error(
            ["cluster", "name"],
            `${env.cluster.name} is also the name of ${owner.name}'s cluster, in the same VPC and region; EKS refuses a second cluster of that name, and both would claim the subnet tag kubernetes.io/cluster/${env.cluster.name}`,
            `give this cluster its own name, e.g. ${env.cluster.name}-2`,
          ),
        );
      problems.push(...discoveryInSharedNetwork(env, owner));
      return [...problems, ...notWithoutOwnVpc(env, `${owner.name}'s network (${source.from})`)];
    }
    case "existing":
      return notWithoutOwnVpc(env, `the existing VPC ${source.vpcId}`);
  }
}

function notWithoutOwnVpc(env: Environment, network: string): Problem[] {
  const problems: Problem[] = [];
  const multus = (path: FieldPath, what: string) =>
    problems.push(
      error(
        path,
        `${what}, but this environment runs in ${network}: Multus needs subnets of its own and explicit CIDR reservations in them, made with the VPC`,
        "run Multus in an environment that creates its VPC, or remove it here",
      ),
    );
  if (env.multus) multus(["multus"], "Multus networks are configured");
  env.nodeGroups.forEach((group, i) => {
    if (group.multusInterfaces > 0)
      multus(
        ["nodeGroups", i, "multusInterfaces"],
        `${group.name} asks for ${group.multusInterfaces} Multus interfaces`,
      );
    if (group.subnet !== "public") return;
    for (const az of zonesOf(env, group).filter((az) => env.network.zones[az] && !env.network.zones[az].public))
      problems.push(
        error(
          ["nodeGroups", i, "subnet"],
          `${group.name} runs in the public subnets, but ${network} has no public subnet in ${az}`,
          `name the public subnet of ${az} in network.zones and network.subnetIds, or set ${group.name}'s zones to AZs that have one, or subnet: node`,
        ),
      );
  });
  return problems;
}

/**
 * The subnet discovery tag (kubernetes.io/role/cni) is the VPC's, not a cluster's: the owner puts it
 * on its pod subnets when it runs subnet discovery, and every cluster in the VPC whose VPC CNI
 * discovers (1.18.0 and later do by default, unless custom networking) puts pod ENIs in them.
 */
function discoveryInSharedNetwork(env: Environment, owner: NetworkOwner): Problem[] {
  const tagged = podNetworkMode(owner.cni) === "subnetDiscovery";
  switch (podNetworkMode(env.cni)) {
    case "subnetDiscovery":
      return tagged
        ? []
        : [
            error(
              ["cni", "subnetDiscovery"],
              `subnet discovery takes the subnets tagged ${SUBNET_DISCOVERY_TAG}, but ${owner.name} does not run it, so its pod subnets carry no such tag and this cluster's pods would get node-subnet addresses only`,
              `turn subnet discovery on in ${owner.file} (cni.subnetDiscovery: true), or use custom networking or the node subnets here`,
            ),
          ];
    case "nodeSubnets":
      return tagged
        ? [
            warning(
              ["cni", "subnetDiscovery"],
              `${owner.name} tags its pod subnets ${SUBNET_DISCOVERY_TAG} (subnet discovery), and this cluster's VPC CNI discovers them too (on by default from 1.18.0): its pods may take addresses there, which its plan does not count`,
              "set cni.subnetDiscovery: true here as well, so the plan counts those subnets, or use custom networking",
              "shared-discovery-subnets",
            ),
          ]
        : [];
    case "customNetworking":
      return [];
  }
}
