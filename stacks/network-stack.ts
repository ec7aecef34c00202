import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Subnet } from "@cdktf/provider-aws/lib/subnet";
import type { LoadedEnvironment } from "../modules/load/load";
import type { PlannedSubnet } from "../modules/plan/subnets";
import { multusRanges } from "../modules/plan/multus-ranges";
import { natGatewayZones } from "../modules/plan/placement";
import { MultusReservations } from "../modules/constructs/network/multus-reservations";
import { NatGateways } from "../modules/constructs/network/nat-gateways";
import { RouteTables } from "../modules/constructs/network/route-tables";
import { EksVpc } from "../modules/constructs/network/vpc";
import { ZoneSubnets } from "../modules/constructs/network/zone-subnets";
import { PlanStack } from "./plan-stack";

/** The VPC, its subnets by role and AZ, gateways and routes. */
export class NetworkStack extends PlanStack {
  readonly vpc: EksVpc;
  /** Keyed by AZ, in the order of the environment file. */
  readonly zones: Record<string, ZoneSubnets> = {};
  /** The Multus networks' pod ranges, reserved in their subnets. */
  readonly multusReservations?: MultusReservations;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment) {
    super(scope, id, environment);
    const { network, cluster } = environment.env;
    const name = cluster.name;
    this.vpc = new EksVpc(this, "vpc", { name, cidr: network.vpcCidr, secondaryCidrs: network.secondaryCidrs });
    const zones = Object.entries(network.zones).map(
      ([az, plan]) => new ZoneSubnets(this, `subnets-${az}`, { vpc: this.vpc, az, plan, clusterName: cluster.name, name }),
    );
    zones.forEach((zone) => (this.zones[zone.az] = zone));
    const nat = new NatGateways(this, "nat", { vpc: this.vpc, zones, hostZones: natGatewayZones(network), name });
    new RouteTables(this, "routes", { vpc: this.vpc, zones, nat, name });
    if (environment.env.multus) {
      this.multusReservations = new MultusReservations(this, "multus-reservations", { ranges: multusRanges(environment.env), zones: this.zones });
    }

    new TerraformOutput(this, "vpc_id", { value: this.vpc.vpc.id, description: "VPC id" });
    new TerraformOutput(this, "vpc_cidrs", { value: [network.vpcCidr, ...network.secondaryCidrs], description: "VPC CIDR blocks, primary first" });
    new TerraformOutput(this, "subnet_ids", { value: this.subnetIdsByRole(), description: "Subnet ids by role, then AZ" });
    if (this.multusReservations) {
      const reservations = Object.entries(this.multusReservations.byNetwork).map(([network, byAz]) => [
        network,
        Object.fromEntries(Object.entries(byAz).map(([az, r]) => [az, { id: r.id, cidr: r.cidrBlock }])),
      ]);
      new TerraformOutput(this, "multus_reservations", { value: Object.fromEntries(reservations), description: "Pod address range of each Multus network, by network, then AZ" });
    }
  }

  /** The zones in the order of the environment file. */
  get zoneList(): ZoneSubnets[] {
    return Object.values(this.zones);
  }

  /** The subnet resources for planned subnets (role and AZ, Multus by interface index). */
  subnetsFor(planned: PlannedSubnet[]): Subnet[] {
    return planned.map((p) => {
      const subnet = this.zones[p.az]?.subnetFor(p.role, p.interfaceIndex);
      if (!subnet) throw new Error(`no ${p.role} subnet in ${p.az}`);
      return subnet;
    });
  }

  private subnetIdsByRole(): Record<string, Record<string, string | string[]>> {
    const byRole: Record<string, Record<string, string | string[]>> = {};
    const put = (role: string, az: string, id: string | string[]) => ((byRole[role] ??= {})[az] = id);
    for (const zone of this.zoneList) {
      put("node", zone.az, zone.nodeSubnet.id);
      put("public", zone.az, zone.publicSubnet.id);
      if (zone.podSubnet) put("pod", zone.az, zone.podSubnet.id);
      if (zone.controlPlaneSubnet) put("control_plane", zone.az, zone.controlPlaneSubnet.id);
      if (zone.multusSubnets.length > 0) put("multus", zone.az, zone.multusSubnets.map((s) => s.id));
    }
    return byRole;
  }
}
