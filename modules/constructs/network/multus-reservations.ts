import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation";
import { Construct } from "constructs";
import type { MultusRange } from "../../plan/multus-ranges";
import type { ZoneSubnets } from "./zone-subnets";

export interface MultusReservationsProps {
  ranges: MultusRange[];
  zones: Record<string, ZoneSubnets>;
}

/**
 * An explicit subnet CIDR reservation for every Multus network's range in every AZ: EC2 then never
 * gives those addresses to an interface (a node's ENI, a load balancer), so they are whereabouts'
 * alone to hand to pods, and only an explicit assignment (the pods' ip-assigner) puts one on an ENI.
 */
export class MultusReservations extends Construct {
  /** By network name, then AZ. */
  readonly byNetwork: Record<string, Record<string, Ec2SubnetCidrReservation>> = {};

  constructor(scope: Construct, id: string, props: MultusReservationsProps) {
    super(scope, id);
    for (const range of props.ranges) {
      const subnet = props.zones[range.az].subnetFor("multus", range.interfaceIndex);
      if (!subnet) throw new Error(`no Multus subnet ${range.interfaceIndex} in ${range.az}`);
      (this.byNetwork[range.network.name] ??= {})[range.az] = new Ec2SubnetCidrReservation(this, `${range.network.name}-${range.az}`, {
        subnetId: subnet.id,
        cidrBlock: range.reservationCidr,
        reservationType: "explicit",
        description: `Multus network ${range.network.namespace}/${range.network.name}: pod addresses (whereabouts)`,
      });
    }
  }
}
