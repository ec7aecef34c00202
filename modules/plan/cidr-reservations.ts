/**
 * Every subnet CIDR reservation the plan makes, in one list: what `verify` expects to find in EC2.
 *
 * Today that is the Multus pod ranges (explicit reservations: EC2 never hands those addresses to an
 * interface; the ip-assigner assigns them). Prefix reservations for pod /28 blocks (issue 16) join
 * this list where marked below, so verify checks them the day the plan makes them. Pure: no cdktf.
 */
import type { Environment } from "../environment/schema";
import { multusRanges } from "./multus-ranges";
import type { SubnetRole } from "./subnets";

/** EC2's reservation types: `prefix` blocks are handed out as /28 prefixes by EC2, `explicit` ones only by you. */
export type CidrReservationType = "prefix" | "explicit";

export interface PlannedCidrReservation {
  type: CidrReservationType;
  /** The reserved block. */
  cidr: string;
  /** The subnet it lies in, as the plan names it. */
  subnet: { role: SubnetRole; az: string; cidr: string; interfaceIndex?: number };
  /** What it is for, e.g. "Multus network signalling". */
  purpose: string;
}

export function plannedCidrReservations(env: Pick<Environment, "network" | "multus">): PlannedCidrReservation[] {
  const multus = multusRanges(env).map((r): PlannedCidrReservation => ({
    type: "explicit",
    cidr: r.reservationCidr,
    subnet: { role: "multus", az: r.az, cidr: r.subnetCidr, interfaceIndex: r.interfaceIndex },
    purpose: `Multus network ${r.network.name}`,
  }));
  // Issue 16: append the plan's prefix reservations here (type "prefix", one per reserved block).
  return [...multus];
}
