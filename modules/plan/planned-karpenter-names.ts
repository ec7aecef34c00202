/**
 * The names Karpenter's resources get (plan/names.ts), listed as planned-names.ts lists every other
 * name, so checks/names.ts judges them the day they are added.
 */
import type { FieldPath } from "../environment/problems";
import type { Environment } from "../environment/schema";
import {
  KARPENTER_RELEASES,
  karpenterControllerPolicyName,
  karpenterControllerRoleName,
  karpenterEventRuleName,
  karpenterInterruptionQueueName,
  karpenterNodeRoleName,
} from "./names";
import { KARPENTER_CONTROLLER_POLICIES, KARPENTER_INTERRUPTION_EVENTS } from "./node-pools";

/** A planned name (planned-names.ts PlannedName) of one of the kinds Karpenter's resources have. */
export interface KarpenterName {
  kind: "iamRole" | "iamPolicy" | "instanceProfile" | "sqsQueue" | "eventRule" | "helmRelease" | "kubernetesObjectName";
  value: string;
  what: string;
  madeOf: string[];
  path: FieldPath;
}

export function plannedKarpenterNames(env: Environment): KarpenterName[] {
  if (!env.karpenter) return [];
  const cluster = env.cluster.name;
  const byCluster = (kind: KarpenterName["kind"], value: string, what: string): KarpenterName => ({
    kind,
    value,
    what,
    path: ["cluster", "name"],
    madeOf: ["cluster.name", "karpenter"],
  });
  return [
    byCluster("iamRole", karpenterControllerRoleName(cluster), "IAM role of the Karpenter controller"),
    ...KARPENTER_CONTROLLER_POLICIES.map((part) =>
      byCluster(
        "iamPolicy",
        karpenterControllerPolicyName(cluster, part),
        `IAM policy ${part} of the Karpenter controller`,
      ),
    ),
    byCluster("iamRole", karpenterNodeRoleName(cluster), "IAM role of Karpenter's nodes"),
    byCluster("instanceProfile", karpenterNodeRoleName(cluster), "instance profile of Karpenter's nodes"),
    byCluster("sqsQueue", karpenterInterruptionQueueName(cluster), "SQS interruption queue of Karpenter"),
    ...KARPENTER_INTERRUPTION_EVENTS.map(({ name }) =>
      byCluster("eventRule", karpenterEventRuleName(cluster, name), `EventBridge rule of Karpenter's ${name} events`),
    ),
    ...Object.values(KARPENTER_RELEASES).map((release): KarpenterName => ({
      kind: "helmRelease",
      value: release,
      what: `helm release ${release}`,
      path: ["karpenter"],
      madeOf: [],
    })),
    ...env.karpenter.nodePools.map((pool, i): KarpenterName => ({
      kind: "kubernetesObjectName",
      value: pool.name,
      what: `NodePool and EC2NodeClass ${pool.name}`,
      path: ["karpenter", "nodePools", i, "name"],
      madeOf: [`karpenter.nodePools[${i}].name`],
    })),
  ];
}
