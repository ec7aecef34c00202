/**
 * Cluster checks: a Kubernetes version EKS can run, and control-plane subnets EKS accepts (two AZs
 * at least; their size is part of the capacity checks).
 */
import { controlPlaneSubnets } from "../plan/placement";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

/** EKS versions in standard or extended support when this list was written (2026-11). */
export const EKS_VERSIONS = ["1.32", "1.33", "1.34", "1.35", "1.36"];

export function checkCluster(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { version } = env.cluster;
  if (!/^1\.\d{2}$/.test(version)) {
    problems.push(
      error(
        ["cluster", "version"],
        `"${version}" is not a Kubernetes minor version in the form EKS takes ("1.35")`,
        `write a quoted major.minor version such as "${EKS_VERSIONS[EKS_VERSIONS.length - 2]}"`,
      ),
    );
  } else if (!EKS_VERSIONS.includes(version)) {
    problems.push(
      warning(
        ["cluster", "version"],
        `EKS is not known to support Kubernetes ${version} (supported when this tool was written: ${EKS_VERSIONS.join(", ")})`,
        "check `aws eks describe-cluster-versions`; older versions cost extended support or are gone",
        "unknown-kubernetes-version",
      ),
    );
  }
  const zones = new Set(controlPlaneSubnets(env.network).map((s) => s.az));
  if (zones.size < 2) {
    problems.push(
      error(
        ["network", "zones"],
        `the control plane needs subnets in at least two AZs; the plan has them in ${zones.size} (${[...zones].join(", ") || "none"})`,
        "plan at least two availability zones (with controlPlane subnets in two or more, if you use dedicated ones)",
      ),
    );
  }
  return problems;
}
