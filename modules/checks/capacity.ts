/**
 * Node groups against the instance-type table: kubelet maxPods the CNI can serve, prefix delegation
 * on Nitro only. The subnets against what the groups ask of them are subnet-capacity.ts's.
 */
import { instanceTypeInfo } from "../plan/instance-types";
import { UnknownInstanceTypeError } from "../plan/max-pods";
import { nodeGroupMaxPods } from "../plan/node-group-max-pods";
import { isMultusGroup } from "../plan/node-groups";
import { podNetworkLabel, podNetworkMode } from "../plan/pod-network";
import { error, type Problem } from "../environment/problems";
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
    const mode =
      [
        podNetworkLabel(podNetworkMode(env.cni)),
        computed.prefixDelegation && "prefix delegation",
        computed.trunkEni && "security groups for pods (one ENI is the trunk)",
      ]
        .filter(Boolean)
        .join(" and ") || "secondary IPs";
    // Multus groups: checkMultusNodeGroups says how many ENIs the CNI needs of theirs.
    if (computed.podEnis === 0 && !isMultusGroup(group)) {
      problems.push(
        error(
          ["nodeGroups", i, "instanceType"],
          `${group.name}: ${group.instanceType} has no ENI left for pod addresses with ${mode}; only host-network pods would run`,
          "pick an instance type with more ENIs",
        ),
      );
      return;
    }
    // Prefix delegation asked for but not in effect (a Xen type, or a vpc-cni pin too old) is reported
    // by its own check; the lower figure it leads to is its consequence, not a second mistake.
    const prefixDelegationLost = computed.prefixDelegationRequested && !computed.prefixDelegation;
    if (explicit && maxPods > computed.uncapped && !prefixDelegationLost) {
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
