import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Construct } from "constructs";
import type { EksVpc } from "./vpc";
import type { ZoneSubnets } from "./zone-subnets";

export interface NatGatewaysProps {
  readonly vpc: EksVpc;
  /** Every AZ's subnets, in plan order. */
  readonly zones: readonly ZoneSubnets[];
  /** The AZs that get a gateway (the plan's natGatewayZones); the others route to the first of them. */
  readonly hostZones: readonly string[];
  /** Prefix of Name tags. */
  readonly name: string;
}

/** NAT gateways with their Elastic IPs in the public subnets: one for the VPC, or one per AZ. */
export class NatGateways extends Construct {
  private readonly byZone = new Map<string, string>();

  constructor(scope: Construct, id: string, props: NatGatewaysProps) {
    super(scope, id);
    for (const zone of props.zones.filter((z) => props.hostZones.includes(z.az))) {
      const eip = new Eip(this, `eip-${zone.az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${zone.az}` } });
      const gateway = new NatGateway(this, `nat-${zone.az}`, {
        allocationId: eip.allocationId,
        subnetId: zone.subnetIdFor("public")!,
        connectivityType: "public",
        tags: { Name: `${props.name}-${zone.az}` },
        // A public NAT gateway only works once the VPC has its internet gateway.
        dependsOn: [props.vpc.internetGateway],
      });
      this.byZone.set(zone.az, gateway.id);
    }
  }

  /** The gateway private subnets of an AZ route to: their own AZ's, else the first one. */
  gatewayIdFor(az: string): string {
    return this.byZone.get(az) ?? [...this.byZone.values()][0];
  }
}
