import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { KarpenterControllerPolicies } from "../modules/constructs/karpenter/controller-policies";
import { KarpenterControllerRole } from "../modules/constructs/karpenter/controller-role";
import { InterruptionQueue } from "../modules/constructs/karpenter/interruption-queue";
import { KarpenterInstallation } from "../modules/constructs/karpenter/karpenter-installation";
import { KarpenterNodeRole } from "../modules/constructs/karpenter/karpenter-node-role";
import { ec2NodeClass, karpenterValues, nodePool } from "../modules/k8s/karpenter";
import type { LoadedEnvironment } from "../modules/load/load";
import { environmentTags } from "../modules/plan/labels";
import {
  KARPENTER_RELEASES,
  karpenterControllerPolicyName,
  karpenterControllerRoleName,
  karpenterEventRuleName,
  karpenterInterruptionQueueName,
  karpenterNodeRoleName,
} from "../modules/plan/names";
import { zonesOf } from "../modules/plan/node-groups";
import {
  KARPENTER_CHART_REPOSITORY,
  KARPENTER_CONTROLLER_POLICIES,
  KARPENTER_NAMESPACE,
  KARPENTER_SERVICE_ACCOUNT,
  karpenterControllerNodeGroups,
  nodePoolInstanceTypes,
  nodePoolMaxPods,
  reservedEnis,
} from "../modules/plan/node-pools";
import type { ClusterStack } from "./cluster-stack";
import type { NodesStack } from "./nodes-stack";
import { PlanStack } from "./plan-stack";

export interface KarpenterStackProps {
  readonly cluster: ClusterStack;
  readonly nodes: NodesStack;
}

/**
 * Karpenter, after the managed node groups its controller runs on and before the workloads: the
 * controller's role (EKS Pod Identity, or IRSA, as the cluster gives pods credentials), its nodes' role, instance profile and
 * access entry, the interruption queue with its EventBridge rules, and its helm releases with one
 * EC2NodeClass and one NodePool per pool of the plan.
 */
export class KarpenterStack extends PlanStack {
  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: KarpenterStackProps) {
    super(scope, id, environment);
    const { env, name } = environment;
    const karpenter = env.karpenter;
    if (!karpenter) throw new Error("internal error: a karpenter stack without a karpenter section");
    const { cluster } = props;
    const clusterName = env.cluster.name;
    new ClusterProviders(this, "cluster", { ...cluster.connection, auth: env.cluster.kubernetesAuth });
    // The controller runs on the managed node groups: reading nothing else of the nodes stack, this
    // orders it after them.
    this.addDependency(props.nodes);
    const policies = new AwsManagedPolicies(this, "policies");
    const nodeRole = new KarpenterNodeRole(this, "node-role", {
      name: karpenterNodeRoleName(clusterName),
      clusterName: cluster.clusterName,
      policies,
    });
    const queue = new InterruptionQueue(this, "interruption", {
      queueName: karpenterInterruptionQueueName(clusterName),
      ruleNameFor: (event) => karpenterEventRuleName(clusterName, event),
    });
    const controllerPolicies = new KarpenterControllerPolicies(this, "controller-policies", {
      clusterName,
      region: env.region,
      partition: new DataAwsPartition(this, "partition").partition,
      accountId: new DataAwsCallerIdentity(this, "account").accountId,
      nodeRoleArn: nodeRole.roleArn,
      interruptionQueueArn: queue.queueArn,
      names: Object.fromEntries(
        KARPENTER_CONTROLLER_POLICIES.map((part) => [part, karpenterControllerPolicyName(clusterName, part)]),
      ) as Record<(typeof KARPENTER_CONTROLLER_POLICIES)[number], string>,
    });
    const role = new KarpenterControllerRole(this, "controller-role", {
      name: karpenterControllerRoleName(clusterName),
      clusterName,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      // The Pod Identity agent is the cni stack's, deployed before the nodes and this stack.
      credentials: cluster.podCredentials,
      policyArns: controllerPolicies.policyArns,
      policies,
    });
    const tags = environmentTags(name, clusterName, env.tags);
    const objects = karpenter.nodePools.flatMap((pool) => [
      ec2NodeClass({
        pool,
        clusterName,
        instanceProfile: nodeRole.instanceProfileName,
        amiRelease: env.cluster.nodeAmiRelease,
        securityGroupId: cluster.clusterSecurityGroupId,
        kubeletMaxPods: nodePoolMaxPods(pool, env).kubeletMaxPods,
        tags,
      }),
      nodePool({ pool, zones: zonesOf(env, pool), instanceTypes: nodePoolInstanceTypes(pool, env) }),
    ]);
    new KarpenterInstallation(this, "karpenter", {
      version: karpenter.version,
      repository: KARPENTER_CHART_REPOSITORY,
      namespace: KARPENTER_NAMESPACE,
      releaseNames: KARPENTER_RELEASES,
      values: karpenterValues({
        clusterName,
        interruptionQueue: queue.queueName,
        reservedEnis: reservedEnis(env),
        controllerNodeGroups: karpenterControllerNodeGroups(env).map((g) => g.name),
        serviceAccountAnnotations: role.serviceAccountAnnotations,
      }),
      objects,
      controllerDependsOn: role.dependables,
      nodePoolsDependOn: [nodeRole.dependable],
    });

    new TerraformOutput(this, "karpenter_node_role_arn", {
      value: nodeRole.roleArn,
      description: "IAM role of the nodes Karpenter launches",
    });
    new TerraformOutput(this, "karpenter_controller_role_arn", {
      value: role.roleArn,
      description: "IAM role of the Karpenter controller (EKS Pod Identity or IRSA)",
    });
    new TerraformOutput(this, "karpenter_interruption_queue", {
      value: queue.queueName,
      description: "SQS queue of Karpenter's interruption events",
    });
    new TerraformOutput(this, "node_pools_max_pods", {
      value: Object.fromEntries(
        karpenter.nodePools.map((pool) => {
          const maxPods = nodePoolMaxPods(pool, env);
          return [pool.name, Object.fromEntries(maxPods.types.map((t) => [t.instanceType, t.maxPods]))];
        }),
      ),
      description: "Max pods per instance type of each node pool",
    });
  }
}
