/**
 * Nodes of Multus node groups (`multusInterfaces` > 0): fixed "slots" instead of an Auto Scaling
 * group, because an EKS managed node group cannot give extra launch-template interfaces their own
 * subnets, and a launch template tags every interface of an instance alike, while only the extra
 * ENIs may carry the VPC CNI's no_manage tag. Each slot is one instance whose interfaces Terraform
 * creates beforehand. Pure: shared by the checks, the capacity plan and the nodes stack.
 */
import type { Environment, NodeGroupSpec } from "../environment/schema";
import { instanceTypeInfo } from "./instance-types";
import { podEnisFor, podSlotsPerEni } from "./max-pods";
import { nodeGroupMaxPods, type MaxPodsContext } from "./node-group-max-pods";
import { multusSlotName } from "./names";
import { isMultusGroup, zonesOf } from "./node-groups";
import { podNetworkMode, primaryEniServesPods } from "./pod-network";

export interface NodeSlot {
  group: NodeGroupSpec;
  groupIndex: number;
  /** 0-based within the group. */
  index: number;
  /** <group>-<index>: names the instance and its interfaces. */
  name: string;
  az: string;
}

/** desiredSize slots per Multus group, round-robin over its AZs (slot i in AZ i mod AZs). */
export function nodeSlots(env: Pick<Environment, "network" | "nodeGroups">): NodeSlot[] {
  return env.nodeGroups.flatMap((group, groupIndex) => {
    if (!isMultusGroup(group)) return [];
    const zones = zonesOf(env, group);
    return Array.from({ length: group.desiredSize }, (_, index) => ({
      group,
      groupIndex,
      index,
      name: multusSlotName(group.name, index),
      az: zones[index % zones.length],
    }));
  });
}

export interface CniEniNeeds {
  /** ENIs attachable on the default network card. */
  enis: number;
  /** ENIs the VPC CNI needs for maxPods pods, the primary (and the trunk of security groups for pods) included. */
  cniEnis: number;
  /** Of those, the ENIs that carry pod addresses (one at the least). */
  podEnis: number;
  /** What is left for Multus: enis - cniEnis. */
  availableForMultus: number;
  maxPods: number;
  /** Whether maxPods is the environment's (else recommended for the ENIs Multus leaves). */
  explicitMaxPods: boolean;
  /** Whether one of cniEnis is the trunk of security groups for pods. */
  trunkEni: boolean;
}

/**
 * How many ENIs the VPC CNI needs on a node to give maxPods pods an address: the primary (which
 * with custom networking carries no pods, but is the CNI's all the same), the pod ENIs, and with
 * security groups for pods the trunk.
 * Undefined for an instance type the table does not know.
 */
export function cniEniNeeds(group: NodeGroupSpec, context: MaxPodsContext): CniEniNeeds | undefined {
  const info = instanceTypeInfo(group.instanceType);
  if (!info) return undefined;
  const { maxPods, computed, explicit } = nodeGroupMaxPods(group, context);
  const podEnis = podEnisFor(maxPods, podSlotsPerEni(info.ipv4PerEni, computed.prefixDelegation));
  // The primary ENI is the CNI's too, whether or not it serves pods; so is the trunk.
  const cniEnis =
    (primaryEniServesPods(podNetworkMode(context.cni)) ? podEnis : 1 + podEnis) + (computed.trunkEni ? 1 : 0);
  return {
    enis: info.enis,
    cniEnis,
    podEnis,
    availableForMultus: info.enis - cniEnis,
    maxPods,
    explicitMaxPods: explicit,
    trunkEni: computed.trunkEni,
  };
}
