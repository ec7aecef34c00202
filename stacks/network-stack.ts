import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { MultusPublicAccess } from "../modules/constructs/network/multus-public-access";
import { MultusReservations } from "../modules/constructs/network/multus-reservations";
import { NatGateways } from "../modules/constructs/network/nat-gateways";
import { RouteTables } from "../modules/constructs/network/route-tables";
import { EksVpc } from "../modules/constructs/network/vpc";
import { ZoneSubnets } from "../modules/constructs/network/zone-subnets";
import type { LoadedEnvironment } from "../modules/load/load";
import { multusRanges } from "../modules/plan/multus-ranges";
import { ingressPermission, isPublicMultusSubnet, isPublicNetwork } from "../modules/plan/multus-public";
import { multusPublicSecurityGroupName } from "../modules/plan/names";
import { natGatewayZones } from "../modules/plan/placement";
import type { PlannedSubnet } from "../modules/plan/subnets";
import { PlanStack } from "./plan-stack";

/** The VPC, its subnets by role and AZ, gateways and routes. */
export class NetworkStack extends PlanStack {
  readonly vpcId: string;
  /** Keyed by AZ, in the order of the environment file. */
  readonly zones: Record<string, ZoneSubnets> = {};
  /** The security groups of public Multus networks (absent without any). */
  readonly multusPublicAccess?: MultusPublicAccess;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment) {
    super(scope, id, environment);
    const { network, cluster } = environment.env;
    const name = cluster.name;
    const vpc = new EksVpc(this, "vpc", { name, cidr: network.vpcCidr, secondaryCidrs: network.secondaryCidrs });
    this.vpcId = vpc.vpcId;
    const { env } = environment;
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
    if (environment.env.multus) {
      const reservations = new MultusReservations(this, "multus-reservations", {
        ranges: multusRanges(environment.env),
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
      const publicNetworks = environment.env.multus.networks.filter(isPublicNetwork);
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
