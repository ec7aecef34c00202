import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AwsFactChecks } from "../modules/constructs/network/aws-fact-checks";
import { MultusPublicAccess } from "../modules/constructs/network/multus-public-access";
import { MultusReservations } from "../modules/constructs/network/multus-reservations";
import { NatGateways } from "../modules/constructs/network/nat-gateways";
import { PrefixReservations } from "../modules/constructs/network/prefix-reservations";
import { RouteTables } from "../modules/constructs/network/route-tables";
import { EksVpc } from "../modules/constructs/network/vpc";
import { ZoneSubnets } from "../modules/constructs/network/zone-subnets";
import type { LoadedEnvironment } from "../modules/load/load";
import { controlPlaneZoneChecks, instanceTypeZones, plannedElasticIps } from "../modules/plan/aws-facts";
import { CLUSTER_NAME_TAG } from "../modules/plan/labels";
import { multusRanges } from "../modules/plan/multus-ranges";
import { ingressPermission, isPublicMultusSubnet, isPublicNetwork } from "../modules/plan/multus-public";
import { multusPublicSecurityGroupName } from "../modules/plan/names";
import { natGatewayZones } from "../modules/plan/placement";
import { podNetworkMode } from "../modules/plan/pod-network";
import { prefixReservationDescription, prefixReservations } from "../modules/plan/prefix-reservations";
import type { PlannedSubnet } from "../modules/plan/subnets";
import { PlanStack } from "./plan-stack";

/**
 * The VPC, its subnets by role and AZ, gateways and routes, the prefix reservations for pod /28
 * blocks, and the checks of what the plan assumes of the account (first stack: they run before
 * anything is created).
 */
export class NetworkStack extends PlanStack {
  readonly vpcId: string;
  /** Keyed by AZ, in the order of the environment file. */
  readonly zones: Record<string, ZoneSubnets> = {};
  /** The security groups of public Multus networks (absent without any). */
  readonly multusPublicAccess?: MultusPublicAccess;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment) {
    super(scope, id, environment);
    const { env } = environment;
    const { network, cluster } = env;
    const name = cluster.name;
    new AwsFactChecks(this, "aws-facts", {
      region: env.region,
      instanceTypes: instanceTypeZones(env),
      elasticIps: plannedElasticIps(env),
      ownTags: { [CLUSTER_NAME_TAG]: cluster.name },
      controlPlaneZones: controlPlaneZoneChecks(env),
    });
    const vpc = new EksVpc(this, "vpc", { name, cidr: network.vpcCidr, secondaryCidrs: network.secondaryCidrs });
    this.vpcId = vpc.vpcId;
    const zones = Object.entries(network.zones).map(
      ([az, plan]) =>
        new ZoneSubnets(this, `subnets-${az}`, {
          vpc,
          az,
          plan,
          clusterName: cluster.name,
          name,
          publicMultusIndexes: (plan.multus ?? []).flatMap((_, i) =>
            isPublicMultusSubnet(env, az, i + 1) ? [i + 1] : [],
          ),
          podNetwork: podNetworkMode(env.cni),
        }),
    );
    zones.forEach((zone) => (this.zones[zone.az] = zone));
    const nat = new NatGateways(this, "nat", { vpc, zones, hostZones: natGatewayZones(network), name });
    new RouteTables(this, "routes", { vpc, zones, nat, name });

    new TerraformOutput(this, "vpc_id", { value: vpc.vpcId, description: "VPC id" });
    new TerraformOutput(this, "vpc_cidrs", {
      value: [network.vpcCidr, ...network.secondaryCidrs],
      description: "VPC CIDR blocks, primary first",
    });
    new TerraformOutput(this, "subnet_ids", {
      value: this.subnetIdsByRole(),
      description: "Subnet ids by role, then AZ",
    });
    const prefixBlocks = new PrefixReservations(this, "prefix-reservations", {
      reservations: prefixReservations(env),
      zones: this.zones,
      description: prefixReservationDescription(cluster.name),
    });
    if (prefixBlocks.created.length > 0) {
      new TerraformOutput(this, "prefix_reservations", {
        value: prefixBlocks.created.map((r) => ({
          id: r.id,
          cidr: r.cidrBlock,
          subnet_role: r.reservation.subnet.role,
          availability_zone: r.reservation.subnet.az,
        })),
        description: "Subnet CIDR reservations of type prefix: the blocks pods' /28 prefixes come from",
      });
    }
    if (env.multus) {
      const reservations = new MultusReservations(this, "multus-reservations", {
        ranges: multusRanges(env),
        zones: this.zones,
      });
      const byNetwork = Object.entries(reservations.byNetwork).map(([network, byAz]) => [
        network,
        Object.fromEntries(Object.entries(byAz).map(([az, r]) => [az, { id: r.id, cidr: r.cidrBlock }])),
      ]);
      new TerraformOutput(this, "multus_reservations", {
        value: Object.fromEntries(byNetwork),
        description: "Pod address range of each Multus network, by network, then AZ",
      });
      const publicNetworks = env.multus.networks.filter(isPublicNetwork);
      if (publicNetworks.length > 0) {
        this.multusPublicAccess = new MultusPublicAccess(this, "multus-public-access", {
          vpcId: vpc.vpcId,
          networks: publicNetworks.map((n) => ({
            network: n.name,
            securityGroupName: multusPublicSecurityGroupName(name, n.name),
            // Only what names the group: EC2 cannot change a description, so any other field here would
            // replace a group that ENIs hold.
            description: `Public interfaces of Multus network ${n.name} of ${name}`,
            ingress: (n.public?.allowFrom ?? []).map(ingressPermission),
          })),
        });
        const groups = publicNetworks.map((n) => [n.name, this.multusPublicAccess!.securityGroupIdFor(n.name)]);
        new TerraformOutput(this, "multus_public_security_groups", {
          value: Object.fromEntries(groups),
          description: "Security group of each public Multus network, the only one on its interfaces",
        });
      }
    }
  }

  /** The zones in the order of the environment file. */
  get zoneList(): ZoneSubnets[] {
    return Object.values(this.zones);
  }

  /** The subnet ids of planned subnets (role and AZ, Multus by interface index). */
  subnetIdsFor(planned: readonly PlannedSubnet[]): string[] {
    return planned.map((p) => this.subnetIdFor(p));
  }

  /** The id of one planned subnet; the plan and this stack are built from the same environment, so it exists. */
  subnetIdFor(p: Pick<PlannedSubnet, "role" | "az" | "interfaceIndex">): string {
    const id = this.zones[p.az]?.subnetIdFor(p.role, p.interfaceIndex);
    if (!id) throw new Error(`internal error: no ${p.role} subnet in ${p.az}`);
    return id;
  }

  private subnetIdsByRole(): Record<string, Record<string, string | string[]>> {
    const byRole: Record<string, Record<string, string | string[]>> = {};
    const put = (role: string, az: string, id: string | string[]) => ((byRole[role] ??= {})[az] = id);
    for (const zone of this.zoneList) {
      const id = (role: PlannedSubnet["role"]) => zone.subnetIdFor(role);
      put("node", zone.az, id("node")!);
      put("public", zone.az, id("public")!);
      if (id("pod")) put("pod", zone.az, id("pod")!);
      if (id("controlPlane")) put("control_plane", zone.az, id("controlPlane")!);
      if (zone.multusSubnetIds.length > 0) put("multus", zone.az, zone.multusSubnetIds);
    }
    return byRole;
  }
}
