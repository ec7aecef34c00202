import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Construct } from "constructs";
import type { NatGateways } from "./nat-gateways";
import type { EksVpc } from "./vpc";
import type { ZoneSubnets } from "./zone-subnets";

export interface RouteTablesProps {
  readonly vpc: EksVpc;
  readonly zones: readonly ZoneSubnets[];
  readonly nat: NatGateways;
  /** Prefix of Name tags. */
  readonly name: string;
}

/**
 * Public subnets route to the internet gateway through one shared table, and so do the Multus subnets
 * of public networks; the private subnets of each AZ (node, pod, control plane, other Multus) share a
 * table per AZ whose default route is that AZ's NAT gateway (or the single one).
 */
export class RouteTables extends Construct {
  constructor(scope: Construct, id: string, props: RouteTablesProps) {
    super(scope, id);
    const { vpc, zones, nat, name } = props;
    const publicTable = new RouteTable(this, "public", { vpcId: vpc.vpcId, tags: { Name: `${name}-public` } });
    new Route(this, "public-default", {
      routeTableId: publicTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: vpc.internetGatewayId,
    });
    for (const zone of zones) {
      new RouteTableAssociation(this, `public-${zone.az}`, {
        routeTableId: publicTable.id,
        subnetId: zone.subnetIdFor("public")!,
      });
      const table = new RouteTable(this, `private-${zone.az}`, {
        vpcId: vpc.vpcId,
        tags: { Name: `${name}-private-${zone.az}` },
      });
      new Route(this, `private-default-${zone.az}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat.gatewayIdFor(zone.az),
      });
      for (const subnet of zone.privateSubnets) {
        new RouteTableAssociation(this, `private-${zone.az}-${subnet.key}`, {
          routeTableId: table.id,
          subnetId: subnet.id,
        });
      }
      // A public network's Multus subnets keep the association (and address) every Multus subnet has:
      // a network made public then changes its route table in place (ReplaceRouteTableAssociation),
      // rather than one association being destroyed while another is created for the same subnet,
      // which EC2 refuses while the first exists.
      for (const subnet of zone.publicMultusSubnets) {
        new RouteTableAssociation(this, `private-${zone.az}-${subnet.key}`, {
          routeTableId: publicTable.id,
          subnetId: subnet.id,
        });
      }
    }
  }
}
