/**
 * The subnets an environment asks for, flattened: one entry per subnet with its role, AZ and the
 * field it came from. The network stack creates exactly these; the checks and the report read them.
 */
import type { Environment } from "../environment/schema";
import type { FieldPath } from "../environment/problems";

export type SubnetRole = "node" | "pod" | "public" | "controlPlane" | "multus";

export interface PlannedSubnet {
  role: SubnetRole;
  az: string;
  cidr: string;
  /** For Multus subnets: which extra interface (1-based) the subnet serves. */
  interfaceIndex?: number;
  path: FieldPath;
}

/** Private subnets reach the internet through NAT; public ones through the internet gateway. */
export function isPublicRole(role: SubnetRole): boolean {
  switch (role) {
    case "public":
      return true;
    case "node":
    case "pod":
    case "controlPlane":
    case "multus":
      return false;
  }
}

export function plannedSubnets(network: Environment["network"]): PlannedSubnet[] {
  const out: PlannedSubnet[] = [];
  for (const [az, zone] of Object.entries(network.zones)) {
    const at = (...rest: Array<string | number>): FieldPath => ["network", "zones", az, ...rest];
    out.push({ role: "node", az, cidr: zone.node, path: at("node") });
    if (zone.pod) out.push({ role: "pod", az, cidr: zone.pod, path: at("pod") });
    if (zone.public) out.push({ role: "public", az, cidr: zone.public, path: at("public") });
    if (zone.controlPlane) out.push({ role: "controlPlane", az, cidr: zone.controlPlane, path: at("controlPlane") });
    (zone.multus ?? []).forEach((cidr, i) =>
      out.push({ role: "multus", az, cidr, interfaceIndex: i + 1, path: at("multus", i) }),
    );
  }
  return out;
}

/** The VPC's CIDR blocks with where each one is declared. */
export function vpcCidrs(network: Environment["network"]): Array<{ cidr: string; path: FieldPath }> {
  return [
    { cidr: network.vpcCidr, path: ["network", "vpcCidr"] },
    ...network.secondaryCidrs.map((cidr, i) => ({ cidr, path: ["network", "secondaryCidrs", i] as FieldPath })),
  ];
}
