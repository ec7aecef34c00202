import type { SubnetRole } from "../../plan/subnets";

/**
 * The subnet ids of one availability zone, whoever created the subnets: this environment's network
 * stack (ZoneSubnets), another environment's (SharedNetwork) or the owner of an existing VPC
 * (ExistingNetwork). The later stacks read subnets only through this.
 */
export interface ZoneSubnetIds {
  readonly az: string;
  /** The id of the subnet of a role (Multus: of interface index 1 unless given), if the zone has one. */
  subnetIdFor(role: SubnetRole, interfaceIndex?: number): string | undefined;
  /** The Multus subnets' ids; index i serves extra interface i + 1 (none outside a VPC of one's own). */
  readonly multusSubnetIds: string[];
}

/** The key of a role in the network stack's `subnet_ids` output (by role, then AZ): what a sharing environment reads. */
export function subnetIdsOutputKey(role: SubnetRole): string {
  switch (role) {
    case "controlPlane":
      return "control_plane";
    case "node":
    case "pod":
    case "public":
    case "multus":
      return role;
  }
}

/** Subnet ids known by role (a shared or existing network's, where Multus subnets are never used). */
export class KnownZoneSubnets implements ZoneSubnetIds {
  readonly multusSubnetIds: string[] = [];

  constructor(
    readonly az: string,
    private readonly ids: Partial<Record<SubnetRole, string>>,
  ) {}

  subnetIdFor(role: SubnetRole): string | undefined {
    return this.ids[role];
  }
}
