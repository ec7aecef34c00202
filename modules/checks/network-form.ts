/**
 * Which of the three forms `network` takes, judged on the file before its network is resolved:
 * its own VPC (vpcCidr, zones), another environment's (`from` alone), or an existing VPC by id
 * (vpcId, vpcCidr, zones and subnetIds). A field that belongs to another form is reported with
 * what to do, and an existing VPC's subnets must each have an id. Pure.
 */
import { error, type Problem } from "../environment/problems";
import type { ExistingSubnetRole, NetworkFile } from "../environment/schema";

const EXISTING_ROLES: readonly ExistingSubnetRole[] = ["node", "pod", "public", "controlPlane"];

export function checkNetworkForm(network: NetworkFile): Problem[] {
  if (network.from !== undefined) return sharedForm(network, network.from);
  const problems: Problem[] = [];
  if (network.vpcCidr === undefined)
    problems.push(
      error(
        ["network", "vpcCidr"],
        "is required: the primary CIDR block of the VPC",
        "add network.vpcCidr, or run in another environment's network with network.from: ./<its file>.yaml",
      ),
    );
  if (network.zones === undefined)
    problems.push(
      error(
        ["network", "zones"],
        "is required: the subnets of each availability zone",
        "add network.zones with the node (and public, pod, ...) subnets of each AZ",
      ),
    );
  problems.push(...(network.vpcId === undefined ? ownForm(network) : existingForm(network, network.vpcId)));
  return problems;
}

/** `from` alone: everything else of the network is the other environment's. */
function sharedForm(network: NetworkFile, from: string): Problem[] {
  return Object.entries(network)
    .filter(([key, value]) => key !== "from" && value !== undefined)
    .map(([key]) =>
      error(
        ["network", key],
        `comes with the network this environment shares (network.from: ${from}) and cannot be set here`,
        `remove network.${key}; ${from} plans the network, and this environment takes it as it is`,
      ),
    );
}

function ownForm(network: NetworkFile): Problem[] {
  const problems: Problem[] = [];
  if (network.subnetIds !== undefined)
    problems.push(
      error(
        ["network", "subnetIds"],
        "names the subnets of an existing VPC, but network.vpcId is not set",
        "add network.vpcId to use an existing VPC, or remove network.subnetIds to create the VPC",
      ),
    );
  for (const [az, zone] of Object.entries(network.zones ?? {})) {
    if (zone.public === undefined)
      problems.push(
        error(
          ["network", "zones", az],
          `${az} has no public subnet; the VPC this environment creates needs one in every AZ (NAT gateways, internet-facing load balancers)`,
          `add network.zones.${az}.public with a range of the VPC`,
        ),
      );
  }
  return problems;
}

function existingForm(network: NetworkFile, vpcId: string): Problem[] {
  const problems: Problem[] = [];
  const notHere = (key: "natGateways" | "ipamPoolId", why: string) => {
    if (network[key] !== undefined)
      problems.push(
        error(["network", key], `does not apply to the existing VPC ${vpcId}: ${why}`, `remove network.${key}`),
      );
  };
  notHere("natGateways", "its routes and NAT gateways are its owner's");
  notHere("ipamPoolId", "its CIDR was allocated when it was created");
  const zones = network.zones ?? {};
  const ids = network.subnetIds ?? {};
  const seen = new Map<string, string>();
  for (const [az, zone] of Object.entries(zones)) {
    if (zone.multus !== undefined)
      problems.push(
        error(
          ["network", "zones", az, "multus"],
          `Multus subnets need explicit CIDR reservations made with the VPC, which the existing VPC ${vpcId} is not`,
          "remove the Multus subnets, or run Multus in an environment that creates its VPC",
        ),
      );
    for (const role of EXISTING_ROLES) {
      const block = zone[role];
      const id = ids[az]?.[role];
      if (block !== undefined && id === undefined)
        problems.push(
          error(
            ["network", "subnetIds", az, role],
            `network.zones.${az}.${role} (${block}) has no subnet id; every subnet of an existing VPC is named by id`,
            `add network.subnetIds.${az}.${role}: subnet-... (the id of the subnet with ${block} in ${vpcId})`,
          ),
        );
      if (id === undefined) continue;
      if (block === undefined)
        problems.push(
          error(
            ["network", "subnetIds", az, role],
            `${id} has no CIDR in network.zones.${az}.${role}; the checks and the IP plan need the range of every subnet used`,
            `add network.zones.${az}.${role} with the CIDR of ${id}, or remove the id`,
          ),
        );
      const other = seen.get(id);
      if (other !== undefined)
        problems.push(
          error(
            ["network", "subnetIds", az, role],
            `${id} is named twice (also as ${other}); a subnet has one role in the plan`,
            "name each subnet once, under the role its addresses are planned for",
          ),
        );
      seen.set(id, `${az}.${role}`);
    }
  }
  for (const az of Object.keys(ids).filter((az) => !(az in zones)))
    problems.push(
      error(
        ["network", "subnetIds", az],
        `${az} is not in network.zones, so its subnets have no CIDRs`,
        `add network.zones.${az} with the CIDRs of these subnets, or remove network.subnetIds.${az}`,
      ),
    );
  return problems;
}
