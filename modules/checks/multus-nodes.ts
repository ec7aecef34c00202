/**
 * Multus node groups: room for the extra interfaces on the instance type, a Multus subnet of every
 * index in every AZ, fixed sizes, On-Demand capacity. Pure: no cdktf, no AWS calls.
 */
import { isMultusGroup, zonesOf } from "../plan/node-groups";
import { cniEniNeeds } from "../plan/node-slots";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

export function checkMultusNodeGroups(env: Environment): Problem[] {
  const problems: Problem[] = [];
  env.nodeGroups.forEach((group, i) => {
    if (!isMultusGroup(group)) return;
    const at = (field: string) => ["nodeGroups", i, field];
    const n = group.multusInterfaces;
    if (!env.multus) {
      problems.push(
        error(
          at("multusInterfaces"),
          `${group.name}: multusInterfaces is ${n}, but the environment has no multus section, so nothing would use the extra interfaces`,
          "add a multus section (version and networks), or set multusInterfaces: 0",
        ),
      );
    }
    for (const az of zonesOf(env, group)) {
      const have = env.network.zones[az]?.multus?.length ?? 0;
      if (env.network.zones[az] && have < n) {
        problems.push(
          error(
            ["network", "zones", az, "multus"],
            `${group.name} has multusInterfaces: ${n} and runs in ${az}, but network.zones.${az}.multus lists ${have} subnet${have === 1 ? "" : "s"}; interface i goes in multus[i - 1]`,
            `list ${n} Multus subnet${n === 1 ? "" : "s"} for ${az}, or lower multusInterfaces, or leave ${az} out of the group's zones`,
          ),
        );
      }
    }
    const needs = cniEniNeeds(group, env);
    if (needs && n > needs.availableForMultus) {
      const podEnis = `${needs.podEnis} pod ENI${needs.podEnis === 1 ? "" : "s"}`;
      const forPods = needs.explicitMaxPods
        ? `the ${podEnis} maxPods ${needs.maxPods} needs`
        : `${podEnis} at the least, or no pod gets an address`;
      problems.push(
        error(
          at("multusInterfaces"),
          `${group.name}: ${group.instanceType} attaches ${needs.enis} ENIs on its default network card and the VPC CNI needs ${needs.cniEnis} of them (the primary${env.cni.customNetworking ? ", which hosts no pods with custom networking," : ""}${needs.trunkEni ? ", the trunk of security groups for pods" : ""} and ${forPods}), so at most ${Math.max(0, needs.availableForMultus)} are left for Multus, not ${n}`,
          `lower multusInterfaces to ${Math.max(0, needs.availableForMultus)} or less${needs.explicitMaxPods ? ", lower maxPods" : ""}, or pick an instance type with more ENIs`,
        ),
      );
    }
    if (group.minSize !== group.desiredSize || group.maxSize !== group.desiredSize) {
      problems.push(
        warning(
          at("desiredSize"),
          `${group.name}: a Multus node group is ${group.desiredSize} fixed nodes (desiredSize); minSize ${group.minSize} and maxSize ${group.maxSize} are not used, nothing scales it`,
          `set minSize and maxSize to ${group.desiredSize}; to scale, change desiredSize and run npm run deploy -- nodes`,
          "multus-group-sizes-ignored",
        ),
      );
    }
    if (group.capacityType === "SPOT") {
      problems.push(
        error(
          at("capacityType"),
          `${group.name}: Multus nodes are fixed instances that nothing replaces, so a reclaimed Spot instance would stay gone`,
          "use capacityType: ON_DEMAND for Multus node groups",
        ),
      );
    }
  });
  return problems;
}
