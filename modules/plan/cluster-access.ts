/**
 * Who may use the cluster's Kubernetes API, and which stacks need to. Access entries are the only
 * way in (authentication mode API): the environment's admins, plus EKS's own entry for the creator
 * when bootstrapCreatorAdmin is on.
 */
import type { Environment } from "../environment/schema";
import type { StackName } from "./names";

/**
 * The stacks whose resources go through the Kubernetes API (helm releases, Kubernetes objects and
 * data sources), each with why. Whoever deploys them needs an access entry of the cluster.
 */
export function kubernetesApiStacks(env: Environment): Array<{ stack: StackName; because: string }> {
  const stacks: Array<{ stack: StackName; because: string }> = [];
  if (env.multus) stacks.push({ stack: "cni", because: "Multus" });
  if (env.karpenter) stacks.push({ stack: "karpenter", because: "karpenter" });
  const { bootcamp, publicIpPods, multusPods } = env.workloads;
  const workloads = [
    ...(bootcamp ? ["workloads.bootcamp"] : []),
    ...(publicIpPods.length > 0 ? ["workloads.publicIpPods"] : []),
    ...(multusPods.length > 0 ? ["workloads.multusPods"] : []),
  ];
  if (workloads.length > 0) stacks.push({ stack: "workloads", because: workloads.join(", ") });
  return stacks;
}

/** An IAM principal as IAM tells them apart: account, kind and name (IAM ignores the path and case). */
export interface PrincipalIdentity {
  account: string;
  kind: "role" | "user";
  /** Lower case: IAM refuses two roles (or users) whose names differ only in case. */
  name: string;
}

/** `arn:aws:iam::111122223333:role/ops/Admins` -> 111122223333, role, admins. The schema checked the form. */
export function principalIdentity(arn: string): PrincipalIdentity {
  const [, account, kind, path] = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(.+)$/.exec(arn) ?? ["", "", "role", arn];
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return { account, kind: kind as "role" | "user", name };
}

/**
 * What an admin's access entry is known by in the plan (and its Terraform address): the principal's
 * identity, so adding or removing another admin never touches this one's entry.
 */
export function adminKey(arn: string): string {
  const { account, kind, name } = principalIdentity(arn);
  return `${account}-${kind}-${name}`;
}
