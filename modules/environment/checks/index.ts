/**
 * Every check an environment goes through after its shape is valid. Each returns all the problems
 * it finds, so one run reports everything at once.
 */
import type { Problem } from "../problems";
import type { Environment } from "../schema";
import { checkCniSettings, checkPodSubnets } from "./cni";
import { checkPublicAccessCidrs, checkRegionAndZones, checkServiceCidr, checkSubnets, checkVpcCidrs } from "./network";
import { checkNodeGroupShape } from "./node-groups";

const CHECKS: ReadonlyArray<(env: Environment) => Problem[]> = [
  checkRegionAndZones,
  checkVpcCidrs,
  checkSubnets,
  checkServiceCidr,
  checkPublicAccessCidrs,
  checkNodeGroupShape,
  checkPodSubnets,
  checkCniSettings,
];

export function checkEnvironment(env: Environment): Problem[] {
  return CHECKS.flatMap((check) => check(env));
}
