/**
 * What the plan assumes of the AWS account and region, which only AWS can answer: that each node
 * group's instance type is offered in each of its AZs, that the region's Elastic IP quota has room
 * for the plan's addresses, and that no control-plane subnet is in a zone EKS refuses. The network
 * stack checks them at plan time, before anything is created (data sources with postconditions:
 * constructs/network/aws-fact-checks.ts); this file says what is expected. Pure.
 */
import type { Environment } from "../environment/schema";
import { multusPublicPods } from "./multus-public";
import { isMultusGroup, zonesOf } from "./node-groups";
import { nodeSlots } from "./node-slots";
import { controlPlaneSubnets, natGatewayZones } from "./placement";
import { allocatedAddresses } from "./public-addresses";

/**
 * Zone IDs whose AZs EKS takes no cluster subnet in, by region (EKS user guide, "Subnet requirements
 * for clusters": "The subnets can't reside in the following Availability Zones"; eksctl's
 * zoneIDsToAvoid has the same three). AZ names map to zone IDs differently in every account, so the
 * name cannot be judged offline.
 */
export const UNSUPPORTED_CONTROL_PLANE_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["use1-az3"],
  "us-west-1": ["usw1-az2"],
  "ca-central-1": ["cac1-az3"],
};

/** EC2's quota of Elastic IPs per region: service ec2, "EC2-VPC Elastic IPs" (default 5). */
export const ELASTIC_IP_QUOTA = { serviceCode: "ec2", quotaCode: "L-0263D0A3" } as const;

export interface InstanceTypeZones {
  instanceType: string;
  /** The groups of that type and the AZs each runs nodes in. */
  groups: Array<{ name: string; zones: string[] }>;
}

/** Each instance type the plan launches, with the AZs its groups need it in (Multus: where its slots are). */
export function instanceTypeZones(env: Pick<Environment, "network" | "nodeGroups">): InstanceTypeZones[] {
  const slots = nodeSlots(env);
  const out: InstanceTypeZones[] = [];
  env.nodeGroups.forEach((group, groupIndex) => {
    const zones = isMultusGroup(group)
      ? [...new Set(slots.filter((s) => s.groupIndex === groupIndex).map((s) => s.az))]
      : zonesOf(env, group);
    if (zones.length === 0) return;
    let entry = out.find((e) => e.instanceType === group.instanceType);
    if (!entry) out.push((entry = { instanceType: group.instanceType, groups: [] }));
    entry.groups.push({ name: group.name, zones });
  });
  return out;
}

export interface PlannedElasticIps {
  natGateways: number;
  /** Each address the public-IP workloads keep allocated (spares too), and one per pod and public Multus network. */
  pods: number;
  total: number;
}

/**
 * The Elastic IPs the plan allocates: one per NAT gateway, every address of the public-IP workloads
 * not released (spares included), and one per pod on each public Multus network (not released).
 */
export function plannedElasticIps(env: Environment): PlannedElasticIps {
  const natGateways = natGatewayZones(env.network).length;
  const pods =
    allocatedAddresses(env).length +
    multusPublicPods(env).reduce((n, p) => n + p.addresses.filter((a) => !a.released).length, 0);
  return { natGateways, pods, total: natGateways + pods };
}

/** The AZs of control-plane subnets whose zone ID must be checked, with the IDs EKS refuses there. */
export function controlPlaneZoneChecks(
  env: Pick<Environment, "network" | "region">,
): Array<{ az: string; unsupportedZoneIds: readonly string[] }> {
  const unsupported = UNSUPPORTED_CONTROL_PLANE_ZONE_IDS[env.region] ?? [];
  if (unsupported.length === 0) return [];
  const zones = [...new Set(controlPlaneSubnets(env.network).map((s) => s.az))];
  return zones.map((az) => ({ az, unsupportedZoneIds: unsupported }));
}
