import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import type { NodeSlot } from "../../plan/node-slots";
import type { ZoneSubnets } from "../network/zone-subnets";
import type { ClusterJoin } from "./managed-node-group";
import { MultusNodeRole } from "./multus-node-role";
import { MultusNodeSlot } from "./multus-node-slot";

export interface MultusNodesProps {
  slots: NodeSlot[];
  /** The environment's cluster name, as plain text. */
  clusterName: string;
  cluster: ClusterJoin;
  /** The network stack's subnets by AZ. */
  zones: Record<string, ZoneSubnets>;
  securityGroupId: string;
  /** AMI id for a node group (by its architecture). */
  imageIdFor: (slot: NodeSlot) => string;
  maxPodsFor: (slot: NodeSlot) => number;
  policies: AwsManagedPolicies;
  /** What must exist before any node boots (the CNI add-ons). */
  dependsOn: ITerraformDependable[];
  tags: (slot: NodeSlot) => Record<string, string>;
}

/**
 * The nodes of every Multus node group: their role and access entry, then one fixed instance per
 * slot with its interfaces. Scaling or replacing them is a change of desiredSize and a
 * `cdktf deploy nodes`: no Auto Scaling group does it.
 */
export class MultusNodes extends Construct {
  readonly role: MultusNodeRole;
  readonly slots: MultusNodeSlot[];

  constructor(scope: Construct, id: string, props: MultusNodesProps) {
    super(scope, id);
    this.role = new MultusNodeRole(this, "role", { clusterName: props.clusterName, policies: props.policies });
    this.slots = props.slots.map((slot) => {
      const zone = props.zones[slot.az];
      return new MultusNodeSlot(this, slot.name, {
        slot,
        clusterName: props.clusterName,
        cluster: props.cluster,
        primarySubnetId: zone.subnetFor(slot.group.subnet)!.id,
        publicSubnet: slot.group.subnet === "public",
        multusSubnetIds: zone.multusSubnets.map((s) => s.id),
        securityGroupId: props.securityGroupId,
        imageId: props.imageIdFor(slot),
        instanceProfileArn: this.role.instanceProfile.arn,
        maxPods: props.maxPodsFor(slot),
        // Joining needs the access entry; the first boot needs the profile and the role's policies.
        dependsOn: [...props.dependsOn, ...this.role.dependables],
        tags: props.tags(slot),
      });
    });
  }

  /** Every Multus ENI (not the primaries), for the ip-assigner's MAC map. */
  get multusInterfaces() {
    return this.slots.flatMap((s) => s.multusInterfaces);
  }
}
