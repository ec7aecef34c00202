/**
 * Who can reach the Kubernetes API once the cluster exists, and how Terraform authenticates there:
 * admins are exactly cluster.adminPrincipals (one access entry per principal, as EKS allows), someone
 * must be able to deploy the stacks that use the API, and exec authentication needs the AWS CLI
 * where the runs execute.
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { adminKey, kubernetesApiStacks, principalIdentity } from "../plan/cluster-access";

export function checkClusterAccess(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { adminPrincipals, bootstrapCreatorAdmin, formerDeployerEntry } = env.cluster;
  const at = (...rest: Array<string | number>) => ["cluster", ...rest];

  const first = new Map<string, number>();
  adminPrincipals.forEach((arn, i) => {
    const key = adminKey(arn);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, i);
      return;
    }
    const { kind, name, account } = principalIdentity(arn);
    const same =
      adminPrincipals[earlier] === arn
        ? ""
        : ` (${adminPrincipals[earlier]}: IAM names are unique per account whatever their path or case)`;
    problems.push(
      error(
        at("adminPrincipals", i),
        `${arn} is already cluster.adminPrincipals[${earlier}]${same}: EKS allows one access entry per principal, so creating the second fails (ResourceInUseException)`,
        `list the ${kind} ${name} of account ${account} once`,
      ),
    );
  });

  const apiStacks = kubernetesApiStacks(env);
  if (adminPrincipals.length === 0 && !bootstrapCreatorAdmin && apiStacks.length > 0) {
    const stacks = apiStacks.map((s) => `${s.stack} (${s.because})`).join(" and ");
    problems.push(
      error(
        at("adminPrincipals"),
        `no one would have access to the cluster: adminPrincipals is empty and bootstrapCreatorAdmin is off, but the ${stacks} stack${apiStacks.length > 1 ? "s talk" : " talks"} to the Kubernetes API, so no one could deploy ${apiStacks.length > 1 ? "them" : "it"}`,
        "list the IAM roles (or users) that deploy and administer the cluster in cluster.adminPrincipals; for a new cluster, bootstrapCreatorAdmin: true lets EKS make its creator an admin instead",
      ),
    );
  }

  if (bootstrapCreatorAdmin) {
    problems.push(
      warning(
        at("bootstrapCreatorAdmin"),
        "EKS reads bootstrapCreatorAdmin only when it creates the cluster: turning it on or off for a cluster that exists replaces the cluster (bootstrap_cluster_creator_admin_permissions forces a new resource), with every node and workload on it",
        "keep it as it was when the cluster was created; to change who is admin later, edit cluster.adminPrincipals",
        "creator-admin-fixed-at-creation",
      ),
    );
  }

  if (
    formerDeployerEntry !== undefined &&
    !adminPrincipals.some((arn) => adminKey(arn) === adminKey(formerDeployerEntry))
  ) {
    problems.push(
      error(
        at("formerDeployerEntry"),
        `${formerDeployerEntry} is not in cluster.adminPrincipals (${adminPrincipals.join(", ") || "empty"}): its access entry can only move to an admin's`,
        "add it at the end of cluster.adminPrincipals to keep its access, or remove formerDeployerEntry to let the next cluster deploy delete its entry",
      ),
    );
  }

  const { backend } = env;
  if (
    backend.type === "cloud" &&
    backend.executionMode === "remote" &&
    env.cluster.kubernetesAuth === "exec" &&
    apiStacks.length > 0
  ) {
    problems.push(
      warning(
        ["backend", "executionMode"],
        `the kubernetes and helm providers authenticate by running \`aws eks get-token\` (cluster.kubernetesAuth: exec), but the HCP Terraform workspaces run remotely, on runners without the AWS CLI: the ${apiStacks.map((s) => s.stack).join(" and ")} stack${apiStacks.length > 1 ? "s" : ""} would fail to reach the cluster`,
        "set the workspaces' execution mode to local (runs where cdktf runs) or agent (agents with the AWS CLI) and say so in backend.executionMode; or set cluster.kubernetesAuth: token (a 15-minute token, written to state)",
        "exec-auth-on-remote-runs",
      ),
    );
  }
  return problems;
}
