import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Construct } from "constructs";
import type { NatGateways } from "./nat-gateways";
import type { EksVpc } from "./vpc";
import type { ZoneSubnets } from "./zone-subnets";

export interface RouteTablesProps {
  vpc: EksVpc;
  zones: ZoneSubnets[];
  nat: NatGateways;
  name: string;
}

/**
 * Public subnets route to the internet gateway through one shared table; the private subnets of each
 * AZ (node, pod, control plane, Multus) share a table per AZ whose default route is that AZ's NAT
 * gateway (or the single one).
 */
export class RouteTables extends Construct {
  readonly public: RouteTable;
  readonly privateByZone: Record<string, RouteTable> = {};

  constructor(scope: Construct, id: string, props: RouteTablesProps) {
    super(scope, id);
    const { vpc, zones, nat, name } = props;
    this.public = new RouteTable(this, "public", { vpcId: vpc.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, "public-default", {
      routeTableId: this.public.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: vpc.internetGateway.id,
    });
    for (const zone of zones) {
      new RouteTableAssociation(this, `public-${zone.az}`, { routeTableId: this.public.id, subnetId: zone.publicSubnet.id });
      const table = new RouteTable(this, `private-${zone.az}`, { vpcId: vpc.vpc.id, tags: { Name: `${name}-private-${zone.az}` } });
      this.privateByZone[zone.az] = table;
      new Route(this, `private-default-${zone.az}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat.gatewayFor(zone.az).id,
      });
      zone.privateSubnets.forEach((subnet) => {
        const role = subnet.node.id;
        new RouteTableAssociation(this, `private-${zone.az}-${role}`, { routeTableId: table.id, subnetId: subnet.id });
      });
    }
  }
}
