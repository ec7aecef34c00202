/**
 * Nodes: each node belongs to a planned node group, carries the zone label of its instance's AZ (an
 * AZ of its group), has its primary address in its group's subnet of that AZ (node, or public for
 * public groups), and tells the scheduler the plan's max pods (allocatable pods). Each group has as
 * many nodes as its size allows. Karpenter's nodes are held to their pool (node-pool-nodes.ts).
 */
import { nodeGroupMaxPods } from "../../plan/node-group-max-pods";
import { isMultusGroup, zonesOf } from "../../plan/node-groups";
import { NODE_GROUP_LABEL, NODEGROUP_LABEL } from "../../plan/labels";
import { listed, nodeGroupLabel, nodeGroupOf } from "../cluster-view";
import { compared, needed, wrongRow, type CheckDefinition, type VerifyRow } from "../report";
import { NODE_POOL_LABEL, nodePoolNodeRows, nodePoolOf } from "./node-pool-nodes";
import { nodePlacementRows } from "./node-placement";

export const nodesCheck: CheckDefinition = {
  id: "nodes",
  title: "zone, primary address, max pods, nodes per group",
  needs: ["nodes"],
  run({ env, state }) {
    const nodes = needed(state, "nodes");
    const rows: VerifyRow[] = [];
    const groupNames = env.nodeGroups.map((g) => g.name);
    for (const node of nodes) {
      const subject = `node ${node.metadata.name}`;
      const pool = nodePoolOf(env, node);
      if (pool) {
        rows.push(...nodePoolNodeRows(env, node, pool));
        continue;
      }
      const group = nodeGroupOf(env, node);
      if (!group) {
        rows.push(
          wrongRow(
            subject,
            "node group",
            nodeGroupLabel(node) ?? `no ${NODE_GROUP_LABEL} or ${NODEGROUP_LABEL} label`,
            `one of the plan's node groups: ${listed(groupNames)}${env.karpenter ? `, or a node pool (${NODE_POOL_LABEL}): ${listed(env.karpenter.nodePools.map((p) => p.name))}` : ""}`,
            "a node the plan does not know: remove it, or add its group to the environment file",
          ),
        );
        continue;
      }
      rows.push(
        ...nodePlacementRows(
          env,
          node,
          { name: group.name, subnet: group.subnet, zones: zonesOf(env, group) },
          {
            zone: "the VPC CNI picks the node's ENIConfig by this label: a node whose label is not its AZ gets pod addresses from another AZ's subnet, which EC2 refuses. Replace the node",
            address: `the node runs outside the ${group.subnet} subnets the plan gives ${group.name}: check the node group's subnets (npm run deploy -- nodes puts them back)`,
          },
        ),
      );
      const maxPods = nodeGroupMaxPods(group, env);
      const allocatable = node.status?.allocatable?.pods;
      rows.push(
        compared(
          allocatable === String(maxPods.maxPods),
          subject,
          "allocatable pods",
          allocatable ?? "not reported",
          `${maxPods.maxPods} (max pods of ${group.name}, ${maxPods.explicit ? "set in the environment" : "recommended for " + group.instanceType})`,
          `the kubelet runs with another maxPods than the plan's: a node started from another launch template or user data (EKS's own NodeConfig gives ${group.instanceType} its default-mode value). Replace the node; npm run deploy -- nodes rolls the group onto the plan's launch template`,
        ),
      );
    }
    for (const group of env.nodeGroups) {
      const count = nodes.filter((n) => nodeGroupLabel(n) === group.name).length;
      const [min, max] = isMultusGroup(group) ? [group.desiredSize, group.desiredSize] : [group.minSize, group.maxSize];
      rows.push(
        compared(
          count >= min && count <= max,
          `node group ${group.name}`,
          "nodes",
          String(count),
          min === max ? `${min}` : `${min} to ${max} (minSize to maxSize)`,
          count < min
            ? "nodes are missing: look at the node group's health in the EKS console (or the Multus instances in EC2) and at nodes that are not Ready"
            : "more nodes than the group may have: something outside the plan scaled it",
        ),
      );
    }
    return { rows };
  },
};
