import { Ec2SubnetCidrReservation } from "@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation";
import { Construct } from "constructs";
import type { PrefixReservation } from "../../plan/prefix-reservations";
import type { ZoneSubnets } from "./zone-subnets";

export interface PrefixReservationsProps {
  /** The plan's prefix reservations (plan/prefix-reservations.ts). */
  readonly reservations: readonly PrefixReservation[];
  readonly zones: Readonly<Record<string, ZoneSubnets>>;
  /** The description every reservation carries; it never changes with the plan's numbers. */
  readonly description: string;
}

/** A reservation as outputs need it. */
export interface CreatedPrefixReservation {
  readonly id: string;
  readonly cidrBlock: string;
  readonly reservation: PrefixReservation;
}

/**
 * A subnet CIDR reservation of type `prefix` for every block the plan reserves for pod /28 prefixes.
 * Each is named after its subnet and its place in the subnet's grid (pod-us-east-1a-1 is the block
 * below the subnet's top sixteenth), which always holds the same CIDR: growing adds reservations,
 * shrinking removes the last ones, and none is ever replaced by a change of the plan's numbers.
 */
export class PrefixReservations extends Construct {
  readonly created: CreatedPrefixReservation[] = [];

  constructor(scope: Construct, id: string, props: PrefixReservationsProps) {
    super(scope, id);
    for (const reservation of props.reservations) {
      const { role, az, interfaceIndex } = reservation.subnet;
      const subnetId = props.zones[az].subnetIdFor(role, interfaceIndex)!;
      const created = new Ec2SubnetCidrReservation(this, `${role}-${az}-${reservation.index}`, {
        subnetId,
        cidrBlock: reservation.cidr,
        reservationType: "prefix",
        description: props.description,
      });
      this.created.push({ id: created.id, cidrBlock: created.cidrBlock, reservation });
    }
  }
}
