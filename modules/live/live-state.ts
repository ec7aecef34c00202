/**
 * The live state of an environment as the texts of the recorded files: the Kubernetes API and EC2
 * are read at the same time; when either cannot be read, one UnreachableError names both failures.
 */
import type { Environment } from "../environment/schema";
import { plannedSubnets } from "../plan/subnets";
import { readEc2 } from "./ec2-reader";
import { kubeConnection } from "./kubeconfig";
import { readKubernetes } from "./kubernetes-reader";
import { UnreachableError, type ReadLimits } from "./limits";

export interface LiveState {
  /** File name -> the text the recording command prints. */
  files: Record<string, string>;
  context: string;
  server: string;
  vpcId?: string;
}

export async function readLiveState(
  env: Environment,
  options: { vars: NodeJS.ProcessEnv; context?: string; limits: ReadLimits },
): Promise<LiveState> {
  const connection = kubeConnection(options.vars, {
    context: options.context,
    clusterName: env.cluster.name,
    region: env.region,
  });
  const [kubernetes, ec2] = await Promise.allSettled([
    readKubernetes(connection, options.limits),
    readEc2(
      {
        region: env.region,
        clusterName: env.cluster.name,
        plannedSubnetCidrs: plannedSubnets(env.network).map((s) => s.cidr),
        ...(env.network.source.kind === "existing" ? { vpcId: env.network.source.vpcId } : {}),
      },
      options.limits,
    ),
  ]);
  const failures = [kubernetes, ec2].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    const unexpected = failures.find((f) => !(f instanceof UnreachableError));
    if (unexpected) throw unexpected;
    throw UnreachableError.joined(failures as UnreachableError[]);
  }
  if (kubernetes.status !== "fulfilled" || ec2.status !== "fulfilled") throw new Error("unreachable");
  return {
    files: { ...kubernetes.value, ...ec2.value.files },
    context: connection.context,
    server: connection.server.origin,
    vpcId: ec2.value.vpcId,
  };
}
