/**
 * Where a node runs, for a node group's node and a Karpenter pool's alike: the zone label is its
 * instance's AZ and one of the AZs its group or pool runs in, and its primary address lies in the
 * group's or pool's subnet (node, or public) of that AZ.
 */
import type { Environment } from "../../environment/schema";
import { ZONE_LABEL } from "../../plan/labels";
import type { PlannedSubnet } from "../../plan/subnets";
import {
  describeSubnet,
  inCidr,
  internalIp,
  listed,
  plannedSubnetOf,
  providerInstance,
  zoneLabel,
} from "../cluster-view";
import type { NodeObject } from "../recorded-state";
import { compared, type VerifyRow } from "../report";

/** The node group or node pool a node belongs to, as far as its placement goes. */
export interface NodeOwner {
  readonly name: string;
  readonly subnet: PlannedSubnet["role"];
  readonly zones: readonly string[];
}

/** What to do when the zone label or the primary address is not where the plan puts the node. */
export interface PlacementFixes {
  readonly zone: string;
  readonly address: string;
}

export function nodePlacementRows(
  env: Environment,
  node: NodeObject,
  owner: NodeOwner,
  fixes: PlacementFixes,
): VerifyRow[] {
  const subject = `node ${node.metadata.name}`;
  const instance = providerInstance(node);
  const label = zoneLabel(node);
  const az = instance?.az ?? label;
  const subnet = plannedSubnetOf(env, owner.subnet, az);
  const address = internalIp(node);
  return [
    compared(
      label !== undefined && owner.zones.includes(label) && (!instance || instance.az === label),
      subject,
      `zone label ${ZONE_LABEL}`,
      label ?? "not set",
      instance
        ? `${instance.az} (the AZ of ${instance.instanceId}; ${owner.name} runs in ${listed(owner.zones)})`
        : `one of ${listed(owner.zones)} (the AZs of ${owner.name})`,
      fixes.zone,
    ),
    compared(
      subnet !== undefined && inCidr(address, subnet.cidr),
      subject,
      "primary address (InternalIP)",
      address ?? "none",
      subnet
        ? `in ${subnet.cidr} (${describeSubnet(subnet)}, where ${owner.name} runs)`
        : `in the ${owner.subnet} subnet of ${az ?? "its AZ"}, which the plan does not have`,
      fixes.address,
    ),
  ];
}
