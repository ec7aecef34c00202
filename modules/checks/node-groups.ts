/**
 * Node group shape checks that need more than one field: sizes in order, unique names, AZs that
 * exist in the network plan.
 */
import { error, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

export function checkNodeGroupShape(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const zones = Object.keys(env.network.zones);
  const seen = new Map<string, number>();
  env.nodeGroups.forEach((group, i) => {
    const at = (field: string) => ["nodeGroups", i, field];
    const earlier = seen.get(group.name);
    if (earlier !== undefined) {
      problems.push(
        error(
          at("name"),
          `node group name ${group.name} is also used by nodeGroups[${earlier}]`,
          "give every node group its own name",
        ),
      );
    }
    seen.set(group.name, i);
    if (group.minSize > group.maxSize) {
      problems.push(
        error(
          at("minSize"),
          `${group.name}: minSize ${group.minSize} is above maxSize ${group.maxSize}`,
          "make minSize <= desiredSize <= maxSize",
        ),
      );
    }
    if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      problems.push(
        error(
          at("desiredSize"),
          `${group.name}: desiredSize ${group.desiredSize} is outside minSize ${group.minSize} .. maxSize ${group.maxSize}`,
          "make minSize <= desiredSize <= maxSize",
        ),
      );
    }
    group.zones?.forEach((az, z) => {
      if (!zones.includes(az)) {
        problems.push(
          error(
            ["nodeGroups", i, "zones", z],
            `${group.name} names AZ ${az}, which network.zones does not plan`,
            `use one of ${zones.join(", ")}, or add ${az} to network.zones`,
          ),
        );
      }
    });
  });
  return problems;
}
