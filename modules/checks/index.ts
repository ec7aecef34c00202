/**
 * Every check an environment goes through after its shape is valid. Each returns all the problems
 * it finds, so one run reports everything at once.
 */
import type { AddressLock } from "../environment/address-lock";
import { formatPath, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { applyAcknowledgements } from "./acknowledgements";
import { checkAddonVersions } from "./addon-versions";
import { checkNodeGroupMaxPods } from "./capacity";
import { checkSubnetCapacity } from "./subnet-capacity";
import { checkCluster } from "./cluster";
import { checkClusterAccess } from "./cluster-access";
import { checkCniSettings, checkPodSubnets } from "./cni";
import { checkPublicAccessCidrs, checkRegionAndZones, checkServiceCidr, checkSubnets, checkVpcCidrs } from "./network";
import { checkMultusNetworks } from "./multus-networks";
import { checkMultusNodeGroups } from "./multus-nodes";
import { checkMultusOperations } from "./multus-operations";
import { checkMultusPods } from "./multus-pods";
import { checkMultusPublicNetworks } from "./multus-public";
import { checkMultusPublicAddresses } from "./multus-public-addresses";
import { checkNames } from "./names";
import { checkNodeAmis } from "./node-amis";
import { checkKarpenter } from "./karpenter";
import { checkNetworkSource } from "./network-source";
import { checkNodeGroupShape } from "./node-groups";
import { checkNodeLabelsAndTaints } from "./node-labels";
import { checkSampleWorkload } from "./sample-workload";
import { checkPodNetworkFeatures } from "./pod-network-features";
import { checkPodSecurityGroups } from "./pod-security-groups";
import { checkTags } from "./tags";
import { checkPublicIpPods } from "./workloads";

/**
 * What a check may know besides the environment: its name (the `name` field, else the file name), and
 * its address lock.
 */
export interface CheckContext {
  environmentName: string;
  /** The lock file beside the environment (environment/address-lock.ts), when there is one. */
  addressLock?: AddressLock;
}

type Check = (env: Environment, context: CheckContext) => Problem[];

const CHECKS: readonly Check[] = [
  checkNetworkSource,
  checkRegionAndZones,
  checkVpcCidrs,
  checkSubnets,
  checkServiceCidr,
  checkPublicAccessCidrs,
  checkCluster,
  checkClusterAccess,
  checkAddonVersions,
  checkTags,
  checkNodeGroupShape,
  checkNodeAmis,
  checkNodeLabelsAndTaints,
  checkPodSubnets,
  checkCniSettings,
  checkPodNetworkFeatures,
  checkPodSecurityGroups,
  checkNodeGroupMaxPods,
  checkKarpenter,
  // Before the capacity check: an overfull Multus subnet is reported here, with its pod ranges.
  checkMultusNodeGroups,
  checkMultusNetworks,
  checkSubnetCapacity,
  checkPublicIpPods,
  checkSampleWorkload,
  checkMultusPods,
  checkMultusPublicNetworks,
  checkMultusPublicAddresses,
  checkMultusOperations,
  checkNames,
];

/**
 * Capacity arithmetic needs well-formed CIDRs and AZs the plan knows; when those checks fail, it
 * waits for the next run instead of reporting consequences of the same mistake.
 */
const NEEDS_A_SOUND_PLAN = new Set<Check>([checkSubnetCapacity]);

/** What a shared network's own file is checked for already (it is loaded and checked with this one). */
const NETWORK_DEFINITION = new Set<Check>([checkVpcCidrs, checkSubnets]);

export function checkEnvironment(env: Environment, context: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const shared = env.network.source.kind === "shared";
  for (const check of CHECKS) {
    if (NEEDS_A_SOUND_PLAN.has(check) && problems.some((p) => p.severity === "error")) continue;
    if (shared && NETWORK_DEFINITION.has(check)) continue;
    problems.push(...check(env, context));
  }
  return applyAcknowledgements(env, shared ? problems.map((p) => inSharedNetwork(env, p)) : problems);
}

/**
 * A shared network's fields are in its owner's file, not in this one: a problem this environment's
 * plan makes there (a subnet its pods would fill) is reported at network.from, naming the field.
 */
function inSharedNetwork(env: Environment, problem: Problem): Problem {
  const { source } = env.network;
  if (source.kind !== "shared" || problem.path[0] !== "network" || problem.path[1] === "from") return problem;
  return {
    ...problem,
    path: ["network", "from"],
    message: `in ${source.owner.name}'s network (${source.owner.file}), ${formatPath(problem.path)}: ${problem.message}`,
  };
}
