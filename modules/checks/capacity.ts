/**
 * Node groups against the instance-type table and the subnets against what the node groups ask of
 * them: kubelet maxPods the CNI can serve, prefix delegation on Nitro only, subnets big enough for
 * the nodes (error) and for their pods (warning).
 */
import {
  addressesNeeded,
  capacityPlan,
  prefixBlocksNeeded,
  takesPodPrefixes,
  type SubnetDemand,
} from "../plan/capacity";
import { AWS_RESERVED_PER_SUBNET, ADDRESSES_PER_PREFIX } from "../plan/cidr";
import { instanceTypeInfo } from "../plan/instance-types";
import { UnknownInstanceTypeError } from "../plan/max-pods";
import { nodeGroupMaxPods } from "../plan/node-group-max-pods";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

export function checkNodeGroupMaxPods(env: Environment): Problem[] {
  const problems: Problem[] = [];
  env.nodeGroups.forEach((group, i) => {
    let result;
    try {
      result = nodeGroupMaxPods(group, env);
    } catch (e) {
      if (!(e instanceof UnknownInstanceTypeError)) throw e;
      problems.push(
        error(
          ["nodeGroups", i, "instanceType"],
          `${group.name}: ${e.message}`,
          "use an EC2 instance type AWS offers (npm run --silent max-pods -- --instance-type TYPE checks one)",
        ),
      );
      return;
    }
    if (instanceTypeInfo(group.instanceType)?.arch === null) {
      problems.push(
        error(
          ["nodeGroups", i, "instanceType"],
          `${group.name}: AWS publishes no EKS-optimized AMI for ${group.instanceType} (EC2 Mac instances run macOS only), so its nodes could not boot into the cluster`,
          "use an x86_64 or Graviton (arm64) instance type",
        ),
      );
    }
    const { maxPods, explicit, computed } = result;
    // Prefix delegation asked for but not in effect (a Xen type, or a vpc-cni pin too old) is reported
    // by its own check; the lower figure it leads to is its consequence, not a second mistake.
    const prefixDelegationLost = computed.prefixDelegationRequested && !computed.prefixDelegation;
    if (explicit && maxPods > computed.uncapped && !prefixDelegationLost) {
      const mode =
        [env.cni.customNetworking && "custom networking", computed.prefixDelegation && "prefix delegation"]
          .filter(Boolean)
          .join(" and ") || "secondary IPs";
      problems.push(
        error(
          ["nodeGroups", i, "maxPods"],
          `${group.name}: maxPods ${maxPods} is above what ${group.instanceType} can address with ${mode} (${computed.podEnis} ENIs x ${computed.ipv4PerEni - 1} ${computed.prefixDelegation ? "prefixes of 16" : "addresses"} + 2 = ${computed.uncapped}); the kubelet would admit pods that get no IP`,
          `lower maxPods to at most ${computed.uncapped} (recommended ${computed.recommended}; remove maxPods to use it), or pick a larger instance type`,
        ),
      );
    }
  });
  if (env.cni.prefixDelegation) {
    const offending = env.nodeGroups.flatMap((g) => {
      const info = instanceTypeInfo(g.instanceType);
      // Types without an EKS AMI (Mac) are refused above.
      return info && info.arch !== null && info.hypervisor !== "nitro"
        ? [`${g.name} (${g.instanceType}, hypervisor ${info.hypervisor})`]
        : [];
    });
    if (offending.length > 0) {
      problems.push(
        error(
          ["cni", "prefixDelegation"],
          `prefix delegation needs Nitro instances, but these node groups are not: ${offending.join(", ")}; their nodes would silently fall back to one address per pod`,
          "use Nitro instance types (m5, m6i, c6i, ...) in those groups, or set cni.prefixDelegation: false",
        ),
      );
    }
  }
  return problems;
}

/** Smallest subnet prefix length whose capacity reaches `addresses` (or `blocks` /28 blocks). */
function prefixHolding(addresses: number, prefixDelegation: boolean): number {
  for (let prefix = 28; prefix >= 16; prefix--) {
    const size = 2 ** (32 - prefix);
    const capacity = prefixDelegation
      ? Math.max(0, size / ADDRESSES_PER_PREFIX - 2) * ADDRESSES_PER_PREFIX
      : size - AWS_RESERVED_PER_SUBNET;
    if (capacity >= addresses) return prefix;
  }
  return 16;
}

function describeSubnet(d: SubnetDemand): string {
  return `${d.subnet.cidr} (${d.subnet.role}, ${d.subnet.az})`;
}

function podsPhrase(d: SubnetDemand): string {
  return d.placements
    .filter((p) => p.podSubnet === d.subnet)
    .map((p) => `${p.group.name}: ${p.nodes} node${p.nodes === 1 ? "" : "s"} x ${p.maxPods} pods`)
    .join(", ");
}

export function checkSubnetCapacity(env: Environment): Problem[] {
  const problems: Problem[] = [];
  for (const d of capacityPlan(env).subnets) {
    const prefixDelegated = takesPodPrefixes(d);
    // Hard minimum: every node its own interface, one pod address (or /28) for each node whose pods
    // live here, and the fixed needs. Below that, nodes or pods cannot start at all.
    const perPodNode = d.placements
      .filter((p) => p.podSubnet === d.subnet && p.nodeSubnet !== d.subnet)
      .reduce((n, p) => n + p.nodes, 0);
    const minimum = d.nodes + perPodNode + d.infrastructure + (prefixDelegated ? 0 : d.podNodes);
    if (d.usable < minimum) {
      problems.push(
        error(
          d.subnet.path,
          `${describeSubnet(d)} has ${d.usable} usable addresses (AWS keeps ${AWS_RESERVED_PER_SUBNET}), fewer than the ${minimum} its nodes, gateways and control-plane interfaces need at the least`,
          `use a /${prefixHolding(minimum, false)} or larger, or lower maxSize of the node groups placed there`,
        ),
      );
      continue;
    }
    if (prefixDelegated && d.free28Blocks < d.podNodes) {
      problems.push(
        error(
          d.subnet.path,
          `${describeSubnet(d)} has ${d.free28Blocks} free /28 blocks for prefix delegation, fewer than its ${d.podNodes} nodes (one /28 each at the least); pods would fail with InsufficientCidrBlocks`,
          `use a /${prefixHolding(d.podNodes * ADDRESSES_PER_PREFIX, true)} or larger pod subnet, or lower maxSize`,
        ),
      );
      continue;
    }
    const needed = addressesNeeded(d);
    if (prefixDelegated) {
      const blocksNeeded = prefixBlocksNeeded(d);
      if (blocksNeeded > d.free28Blocks) {
        problems.push(
          warning(
            d.subnet.path,
            `${describeSubnet(d)} has ${d.free28Blocks} free /28 blocks, but ${podsPhrase(d)} need ${d.podPrefixes} prefixes plus ${d.interfaceAddresses + d.infrastructure} interface addresses: ${blocksNeeded} blocks; pods beyond that stay Pending`,
            `use a /${prefixHolding(blocksNeeded * ADDRESSES_PER_PREFIX, true)} or larger pod subnet, lower maxPods or maxSize, or reserve /28 blocks with a subnet CIDR reservation`,
            "prefix-blocks-short",
          ),
        );
      }
    } else if (needed > d.usable) {
      problems.push(
        warning(
          d.subnet.path,
          `${describeSubnet(d)} has ${d.usable} usable addresses, but ${d.podNodes > 0 ? podsPhrase(d) + " and their interfaces" : "its interfaces"} need ${needed}; pods beyond that stay Pending`,
          `use a /${prefixHolding(needed, false)} or larger subnet, or lower maxPods or maxSize`,
          "subnet-addresses-short",
        ),
      );
    }
  }
  return problems;
}
