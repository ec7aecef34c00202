/**
 * Every subnet CIDR reservation the plan makes, in one list: what `verify` expects to find in EC2.
 *
 * The Multus pod ranges (explicit reservations: EC2 never hands those addresses to an interface; the
 * ip-assigner assigns them) and the prefix reservations for pods' /28 blocks (prefix-reservations.ts:
 * EC2 delegates prefixes from them and puts no single address there). Pure: no cdktf.
 */
import type { Environment } from "../environment/schema";
import { multusRanges } from "./multus-ranges";
import { prefixReservations } from "./prefix-reservations";
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

export function plannedCidrReservations(env: Environment): PlannedCidrReservation[] {
  const multus = multusRanges(env).map((r): PlannedCidrReservation => ({
    type: "explicit",
    cidr: r.reservationCidr,
    subnet: { role: "multus", az: r.az, cidr: r.subnetCidr, interfaceIndex: r.interfaceIndex },
    purpose: `Multus network ${r.network.name}`,
  }));
  const prefix = prefixReservations(env).map((r): PlannedCidrReservation => ({
    type: "prefix",
    cidr: r.cidr,
    subnet: { ...r.subnet },
    purpose: `pod /28 prefixes (slot ${r.index} of the ${r.subnet.role} subnet)`,
  }));
  return [...multus, ...prefix];
}
