import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Construct } from "constructs";
import type { ZoneSubnets } from "./zone-subnets";
import type { EksVpc } from "./vpc";

export interface NatGatewaysProps {
  vpc: EksVpc;
  /** Every AZ's subnets, in plan order. */
  zones: ZoneSubnets[];
  /** The AZs that get a gateway (the plan's natGatewayZones); the others route to the first of them. */
  hostZones: string[];
  name: string;
}

/** NAT gateways with their Elastic IPs in the public subnets: one for the VPC, or one per AZ. */
export class NatGateways extends Construct {
  private readonly byZone = new Map<string, NatGateway>();

  constructor(scope: Construct, id: string, props: NatGatewaysProps) {
    super(scope, id);
    const hosts = props.zones.filter((z) => props.hostZones.includes(z.az));
    for (const zone of hosts) {
      const eip = new Eip(this, `eip-${zone.az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${zone.az}` } });
      const gateway = new NatGateway(this, `nat-${zone.az}`, {
        allocationId: eip.allocationId,
        subnetId: zone.publicSubnet.id,
        connectivityType: "public",
        tags: { Name: `${props.name}-${zone.az}` },
        // A public NAT gateway only works once the VPC has its internet gateway.
        dependsOn: [props.vpc.internetGateway],
      });
      this.byZone.set(zone.az, gateway);
    }
  }

  /** The gateway private subnets of an AZ route to: their own AZ's, else the single one. */
  gatewayFor(az: string): NatGateway {
    return this.byZone.get(az) ?? [...this.byZone.values()][0];
  }
}
