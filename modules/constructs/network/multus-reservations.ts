import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation";
import { Construct } from "constructs";
import type { MultusRange } from "../../plan/multus-ranges";
import type { ZoneSubnetIds } from "./zone-subnet-ids";

export interface MultusReservationsProps {
  readonly ranges: readonly MultusRange[];
  readonly zones: Readonly<Record<string, ZoneSubnetIds>>;
}

/** A reservation as later stacks and outputs need it. */
export interface MultusReservation {
  readonly id: string;
  readonly cidrBlock: string;
}

/**
 * An explicit subnet CIDR reservation for every Multus network's range in every AZ: EC2 then never
 * gives those addresses to an interface (a node's ENI, a load balancer), so they are whereabouts'
 * alone to hand to pods, and only an explicit assignment (the pods' ip-assigner) puts one on an ENI.
 */
export class MultusReservations extends Construct {
  /** By network name, then AZ. */
  readonly byNetwork: Record<string, Record<string, MultusReservation>> = {};

  constructor(scope: Construct, id: string, props: MultusReservationsProps) {
    super(scope, id);
    for (const range of props.ranges) {
      const subnetId = props.zones[range.az].subnetIdFor("multus", range.interfaceIndex)!;
      const reservation = new Ec2SubnetCidrReservation(this, `${range.network.name}-${range.az}`, {
        subnetId,
        cidrBlock: range.reservationCidr,
        reservationType: "explicit",
        description: `Multus network ${range.network.namespace}/${range.network.name}: pod addresses (whereabouts)`,
      });
      (this.byNetwork[range.network.name] ??= {})[range.az] = { id: reservation.id, cidrBlock: reservation.cidrBlock };
    }
  }
}
