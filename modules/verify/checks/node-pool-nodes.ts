/**
 * Nodes Karpenter launched for a pool of the plan (label karpenter.sh/nodepool): an instance type the
 * pool allows, the zone label of its instance's AZ (one of the pool's), the primary address in the
 * pool's subnet of that AZ, and the max pods the plan gives that type (the EC2NodeClass's kubelet
 * maxPods, or Karpenter's own count).
 */
import type { Environment, NodePoolSpec } from "../../environment/schema";
import { zonesOf } from "../../plan/node-groups";
import { nodePoolMaxPods } from "../../plan/node-pools";
import type { NodeObject } from "../recorded-state";
import { compared, type VerifyRow } from "../report";
import { nodePlacementRows } from "./node-placement";

/** The label Karpenter puts on its nodes, naming their NodePool (karpenter.sh v1 scheduling.md). */
export const NODE_POOL_LABEL = "karpenter.sh/nodepool";
const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";

/** The planned pool a node says it belongs to. */
export function nodePoolOf(env: Environment, node: NodeObject): NodePoolSpec | undefined {
  const name = node.metadata.labels?.[NODE_POOL_LABEL];
  return name === undefined ? undefined : env.karpenter?.nodePools.find((p) => p.name === name);
}

export function nodePoolNodeRows(env: Environment, node: NodeObject, pool: NodePoolSpec): VerifyRow[] {
  const subject = `node ${node.metadata.name}`;
  const { types } = nodePoolMaxPods(pool, env);
  const instanceType = node.metadata.labels?.[INSTANCE_TYPE_LABEL];
  const planned = types.find((t) => t.instanceType === instanceType);
  const allocatable = node.status?.allocatable?.pods;
  return [
    compared(
      planned !== undefined,
      subject,
      "instance type",
      instanceType ?? "not labelled",
      `one of node pool ${pool.name}'s ${types.length} types (npm run max-pods -- --node-pool ${pool.name})`,
      "Karpenter launched a type the plan did not count: the NodePool was changed outside the plan; npm run deploy -- karpenter puts it back",
    ),
    ...nodePlacementRows(
      env,
      node,
      { name: pool.name, subnet: pool.subnet, zones: zonesOf(env, pool) },
      {
        zone: "the VPC CNI picks the node's ENIConfig by this label; a node outside the pool's AZs or with another AZ's label gets no pod addresses. Delete the node; Karpenter replaces it",
        address: `the node runs outside the ${pool.subnet} subnets the plan gives ${pool.name}: the EC2NodeClass's subnet selector was changed outside the plan; npm run deploy -- karpenter puts it back`,
      },
    ),
    compared(
      planned !== undefined && allocatable === String(planned.maxPods),
      subject,
      "allocatable pods",
      allocatable ?? "not reported",
      planned
        ? `${planned.maxPods} (max pods of ${instanceType} in node pool ${pool.name})`
        : `the max pods of one of ${pool.name}'s types`,
      "the kubelet runs with another maxPods than the plan's: the EC2NodeClass's kubelet settings or RESERVED_ENIS differ from the plan's; npm run deploy -- karpenter puts them back, and Karpenter replaces the drifted nodes",
    ),
  ];
}
