/**
 * Subnet CIDR reservations: every reservation the plan makes (plannedCidrReservations: the Multus
 * pod ranges today, prefix reservations when the plan makes them) exists in its subnet, with its
 * type and range.
 */
import { plannedCidrReservations } from "../../plan/cidr-reservations";
import { describeSubnet, liveSubnetFor } from "../cluster-view";
import { needed, okRow, wrongRow, type CheckDefinition, type VerifyRow } from "../report";

export const reservationsCheck: CheckDefinition = {
  id: "reservations",
  title: "the plan's subnet CIDR reservations are there",
  needs: ["subnets", "reservations"],
  run({ env, state }) {
    const subnets = needed(state, "subnets");
    const reservations = needed(state, "reservations");
    const planned = plannedCidrReservations(env);
    if (planned.length === 0) return { rows: [], note: "the plan makes no subnet CIDR reservations" };
    const rows: VerifyRow[] = planned.map((p) => {
      const subject = `subnet ${p.subnet.cidr} (${describeSubnet(p.subnet)})`;
      const property = `${p.type} reservation for ${p.purpose}`;
      const expected = `${p.type} ${p.cidr}`;
      const live = liveSubnetFor(p.subnet, subnets);
      if (!live) return wrongRow(subject, property, "no such subnet", expected, "npm run deploy -- network creates it");
      const inSubnet = reservations.filter((r) => r.SubnetId === live.SubnetId);
      const match = inSubnet.find((r) => r.Cidr === p.cidr && r.ReservationType === p.type);
      if (match)
        return okRow(
          subject,
          property,
          `${match.SubnetCidrReservationId ?? "reserved"}: ${match.ReservationType} ${match.Cidr}`,
          expected,
        );
      const others = inSubnet.map((r) => `${r.ReservationType} ${r.Cidr}`).join(", ");
      return wrongRow(
        subject,
        property,
        others ? `none for this range (${others})` : "none",
        expected,
        `without it EC2 may give these addresses to any interface in ${live.SubnetId}; npm run deploy -- network makes the reservation (it fails while an interface holds an address inside the range: free that address first)`,
      );
    });
    return { rows };
  },
};
