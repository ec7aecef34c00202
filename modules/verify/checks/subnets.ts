/**
 * Subnets: every planned subnet exists with its AZ and tags, and still has room for what the plan
 * places in it at maxSize. Room is counted from the interfaces' addresses and delegated prefixes:
 * free addresses against the addresses the plan still needs (its demand less what it holds now), and,
 * where pods take /28 prefixes, free aligned /28 blocks against the prefixes still to come. A subnet
 * with enough free addresses but too few free blocks is fragmented: EC2 then refuses prefixes
 * (InsufficientCidrBlocks) though the address count looks fine.
 */
import { addressesNeeded, capacityPlan, prefixesHeld, takesPodPrefixes } from "../../plan/capacity";
import { plannedCidrReservations } from "../../plan/cidr-reservations";
import { clusterTag, SUBNET_ROLE_TAG } from "../../plan/labels";
import { isPublicNetwork } from "../../plan/multus-public";
import { multusPublicSecurityGroupName } from "../../plan/names";
import { clusterSubnets } from "../../plan/placement";
import { podSecurityGroupsPlan } from "../../plan/pod-security-groups";
import { plannedSubnets } from "../../plan/subnets";
import { subnetSpace, type SubnetSpace } from "../address-space";
import {
  clusterSecurityGroup,
  describeSubnet,
  interfaceAddresses,
  liveSubnetFor,
  listed,
  tagMap,
} from "../cluster-view";
import type { NetworkInterfaceRecord } from "../recorded-state";
import { compared, needed, wrongRow, type CheckDefinition, type VerifyRow } from "../report";

/** NAT gateway interfaces: `nat_gateway` in the CLI's output and filters, `natGateway` in the service model's enum. */
const NAT_INTERFACE_TYPES = ["nat_gateway", "natGateway"];

export const subnetsCheck: CheckDefinition = {
  id: "subnets",
  title: "tags, free addresses and /28 blocks against the plan's demand",
  needs: ["subnets", "networkInterfaces", "reservations"],
  run({ env, state }) {
    const subnets = needed(state, "subnets");
    const interfaces = needed(state, "networkInterfaces");
    const reservations = needed(state, "reservations");
    const group = clusterSecurityGroup(env.cluster.name, interfaces);
    // The plan's interfaces carry the cluster security group (nodes, pod ENIs, Multus and
    // control-plane interfaces) or are its NAT gateways'; load balancers, endpoints and others are not counted.
    // Public Multus networks' interfaces carry their network's group instead, and the branch ENIs
    // of pods with security groups of their own may carry their policy's group alone.
    const publicGroups = [
      ...(env.multus?.networks ?? [])
        .filter(isPublicNetwork)
        .map((n) => multusPublicSecurityGroupName(env.cluster.name, n.name)),
      ...podSecurityGroupsPlan(env).map((g) => g.name),
    ];
    const own = (eni: NetworkInterfaceRecord) =>
      NAT_INTERFACE_TYPES.includes(eni.InterfaceType ?? "") ||
      eni.Groups?.some((g) => g.GroupId === group?.id || publicGroups.includes(g.GroupName ?? "")) === true;
    const planned = plannedCidrReservations(env);
    const demands = capacityPlan(env).subnets;
    // The cluster tags only the subnets it uses (all of an own VPC's); an existing VPC's subnets
    // carry no role tag of ours.
    const tagged = clusterSubnets(env);
    const roleTagged = env.network.source.kind !== "existing";
    const rows: VerifyRow[] = [];
    for (const subnet of plannedSubnets(env.network)) {
      const subject = `subnet ${subnet.cidr} (${describeSubnet(subnet)})`;
      const live = liveSubnetFor(subnet, subnets);
      if (!live) {
        rows.push(
          wrongRow(
            subject,
            "exists",
            "missing",
            `in ${subnet.az}`,
            "npm run deploy -- network creates the plan's subnets",
          ),
        );
        continue;
      }
      const tags = tagMap(live.Tags);
      const clusterKey = clusterTag(env.cluster.name);
      const wantsClusterTag = tagged.some((s) => s.cidr === subnet.cidr);
      rows.push(
        compared(
          live.AvailabilityZone === subnet.az &&
            (!roleTagged || tags[SUBNET_ROLE_TAG] === subnet.role) &&
            (!wantsClusterTag || clusterKey in tags),
          subject,
          "AZ and tags",
          `${live.SubnetId} in ${live.AvailabilityZone}${roleTagged ? `, ${SUBNET_ROLE_TAG}=${tags[SUBNET_ROLE_TAG] ?? "(none)"}` : ""}${clusterKey in tags ? `, ${clusterKey}` : ""}`,
          `in ${subnet.az}${roleTagged ? `, ${SUBNET_ROLE_TAG}=${subnet.role}` : ""}${wantsClusterTag ? `, ${clusterKey}` : ""}`,
          "the subnet with this range is not the one the plan made: npm run deploy -- network puts the tags back; a subnet in another AZ must be replaced",
        ),
      );
      const demand = demands.find((d) => d.subnet.cidr === subnet.cidr);
      if (!demand) continue;
      const space = subnetSpace(
        subnet.cidr,
        interfaces
          .filter((eni) => eni.SubnetId === live.SubnetId)
          .map((eni) => ({
            id: eni.NetworkInterfaceId,
            addresses: interfaceAddresses(eni),
            prefixes: (eni.Ipv4Prefixes ?? []).map((p) => p.Ipv4Prefix),
            own: own(eni),
          })),
        reservations
          .filter((r) => r.SubnetId === live.SubnetId)
          .map((r) => ({
            cidr: r.Cidr,
            type: r.ReservationType,
            planned: planned.some(
              (p) => p.subnet.cidr === subnet.cidr && p.cidr === r.Cidr && p.type === r.ReservationType,
            ),
          })),
      );
      const need = addressesNeeded(demand);
      const remaining = Math.max(0, need - space.ownAddresses);
      rows.push(
        compared(
          space.freeAddresses >= remaining,
          subject,
          "free addresses",
          `${space.freeAddresses} of ${space.usable}${foreign(space)}`,
          `at least ${remaining}: the plan needs ${need} here at maxSize and holds ${space.ownAddresses} now`,
          `the subnet has less room left than the plan still needs: ${space.foreignAddresses > 0 ? "free the addresses held by interfaces the plan does not count, or " : ""}lower maxSize of the groups placed here, or plan a larger subnet`,
        ),
      );
      if (!takesPodPrefixes(demand)) continue;
      // The plan's one rule: the pods' prefixes at maxSize and the warm ones the CNI keeps.
      const held = prefixesHeld(demand);
      const prefixes = Math.max(0, held - space.delegatedPrefixes);
      rows.push(
        compared(
          space.free28Blocks >= prefixes,
          subject,
          "free aligned /28 blocks",
          `${space.free28Blocks}${foreign(space)}`,
          `at least ${prefixes}: pods hold ${held} prefixes here at maxSize (warm ones included), ${space.delegatedPrefixes} delegated now`,
          `fragmented: ${space.freeAddresses} addresses are free but only ${space.free28Blocks} aligned /28 blocks, so EC2 will refuse prefixes (InsufficientCidrBlocks). Move the single addresses out of the way${space.foreignInterfaces.length > 0 ? ` (${listed(space.foreignInterfaces)})` : ""}, and keep blocks for prefixes with a subnet CIDR reservation of type prefix`,
        ),
      );
    }
    return { rows };
  },
};

function foreign(space: SubnetSpace): string {
  if (space.foreignAddresses === 0) return "";
  const who = space.foreignInterfaces.length > 0 ? ` (${listed(space.foreignInterfaces)})` : " (other reservations)";
  return `; ${space.foreignAddresses} held outside the plan${who}`;
}
