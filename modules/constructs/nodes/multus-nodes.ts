import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { NodeSlot } from "../../plan/node-slots";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import type { ZoneSubnetIds } from "../network/zone-subnet-ids";
import type { ClusterJoin } from "./managed-node-group";
import { MultusNodeRole } from "./multus-node-role";
import { MultusNodeSlot, type MultusInterfaceRef, type MultusPublicInterface } from "./multus-node-slot";

export interface MultusNodesProps {
  readonly slots: readonly NodeSlot[];
  /** The environment's cluster name, as plain text. */
  readonly clusterName: string;
  /** The Multus nodes' role and instance profile name (plan/names.ts). */
  readonly roleName: string;
  /** Each slot's node name (plan/names.ts launchTemplateName). */
  readonly nodeNameFor: (slot: NodeSlot) => string;
  readonly cluster: ClusterJoin;
  /** The network stack's subnets by AZ. */
  readonly zones: Readonly<Record<string, ZoneSubnetIds>>;
  readonly securityGroupId: string;
  /** A slot's interfaces on public Multus networks. Default: none. */
  readonly publicInterfacesFor?: (slot: NodeSlot) => MultusPublicInterface[];
  /** AMI id for a node group (by its architecture). */
  readonly imageIdFor: (slot: NodeSlot) => string;
  readonly maxPodsFor: (slot: NodeSlot) => number;
  readonly policies: AwsManagedPolicies;
  /** What must exist before any node boots (the CNI add-ons). */
  readonly dependsOn: readonly ITerraformDependable[];
  readonly tags: (slot: NodeSlot) => Record<string, string>;
}

/**
 * The nodes of every Multus node group: their role and access entry, then one fixed instance per
 * slot with its interfaces. Scaling or replacing them is a change of desiredSize and a
 * `cdktf deploy nodes`: no Auto Scaling group does it.
 */
export class MultusNodes extends Construct {
  readonly slots: MultusNodeSlot[];

  constructor(scope: Construct, id: string, props: MultusNodesProps) {
    super(scope, id);
    const role = new MultusNodeRole(this, "role", {
      clusterName: props.clusterName,
      name: props.roleName,
      policies: props.policies,
    });
    this.slots = props.slots.map((slot) => {
      const zone = props.zones[slot.az];
      return new MultusNodeSlot(this, slot.name, {
        slot,
        clusterName: props.clusterName,
        name: props.nodeNameFor(slot),
        cluster: props.cluster,
        primarySubnetId: zone.subnetIdFor(slot.group.subnet)!,
        publicSubnet: slot.group.subnet === "public",
        multusSubnetIds: zone.multusSubnetIds,
        securityGroupId: props.securityGroupId,
        publicInterfaces: props.publicInterfacesFor?.(slot) ?? [],
        imageId: props.imageIdFor(slot),
        instanceProfileArn: role.instanceProfileArn,
        maxPods: props.maxPodsFor(slot),
        // Joining needs the access entry; the first boot needs the profile and the role's policies.
        dependsOn: [...props.dependsOn, ...role.dependables],
        tags: props.tags(slot),
      });
    });
  }

  /** Every Multus ENI (not the primaries), for the ip-assigner's MAC map. */
  get multusInterfaces(): MultusInterfaceRef[] {
    return this.slots.flatMap((s) => s.multusInterfaces);
  }

  /** The id of a slot's interface at a device index (0 = primary), if the slot has one. */
  interfaceIdFor(slot: string, deviceIndex: number): string | undefined {
    return this.slots.find((s) => s.slotName === slot)?.interfaceIds[deviceIndex];
  }
}
