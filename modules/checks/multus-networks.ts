/**
 * Multus networks: ranges inside their subnets, clear of AWS's reserved addresses and of each other,
 * leaving room for the nodes' interfaces, served by some Multus node group; an image registry for
 * the region. Pure: no cdktf, no AWS calls.
 */
import {
  AWS_RESERVED_PER_SUBNET,
  contains,
  formatAddress,
  overlaps,
  parseCidr,
  awsReservedAddresses,
  type CidrBlock,
} from "../plan/cidr";
import { eksImageRegistry } from "../plan/images";
import { isMultusGroup } from "../plan/node-groups";
import { nodeSlots } from "../plan/node-slots";
import { multusSubnetCidr } from "../plan/multus-ranges";
import { publicNetworkOn } from "../plan/multus-public";
import { error, formatPath, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

interface ParsedRange {
  networkIndex: number;
  network: string;
  az: string;
  interfaceIndex: number;
  block: CidrBlock;
  subnet: CidrBlock;
  path: Array<string | number>;
}

export function checkMultusNetworks(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { multus } = env;
  if (!multus) return problems;
  if (!eksImageRegistry(env.region)) {
    problems.push(
      error(
        ["region"],
        `AWS publishes no EKS image registry for ${env.region} that this tool knows, so the Multus image address cannot be formed`,
        "check the EKS user guide's add-on image registries; if the region has one, add it to modules/plan/images.ts",
      ),
    );
  }
  const multusGroups = env.nodeGroups.filter(isMultusGroup);
  const slots = nodeSlots(env);
  const ranges: ParsedRange[] = [];
  const names = new Map<string, number>();
  multus.networks.forEach((network, n) => {
    const at = (...rest: Array<string | number>) => ["multus", "networks", n, ...rest];
    const earlier = names.get(network.name);
    if (earlier !== undefined) {
      problems.push(
        error(
          at("name"),
          `network name ${network.name} is also used by multus.networks[${earlier}]`,
          "give every Multus network its own name (pods name them)",
        ),
      );
    }
    names.set(network.name, n);
    const idx = network.interfaceIndex;
    const servedBy = multusGroups.filter((g) => g.multusInterfaces >= idx);
    if (servedBy.length === 0) {
      problems.push(
        error(
          at("interfaceIndex"),
          `${network.name} rides on Multus interface ${idx}, but no node group has that many (multusInterfaces: ${multusGroups.map((g) => `${g.name} ${g.multusInterfaces}`).join(", ") || "none"})`,
          `give a node group multusInterfaces: ${idx} or more, or use an interfaceIndex one has`,
        ),
      );
    }
    if (network.type === "macvlan") {
      problems.push(
        warning(
          at("type"),
          `${network.name}: macvlan gives each pod its own MAC address, and the VPC drops frames from MACs that are not the ENI's, so the pods reach only pods of the same node over this network`,
          "use type: ipvlan, whose pods share the ENI's MAC",
          "macvlan-network",
        ),
      );
    }
    for (const [az, text] of Object.entries(network.ranges)) {
      const path = at("ranges", az);
      if (!env.network.zones[az]) {
        problems.push(
          error(
            path,
            `${network.name} has a range for ${az}, which network.zones does not plan`,
            `use one of ${Object.keys(env.network.zones).join(", ")}`,
          ),
        );
        continue;
      }
      const subnetText = multusSubnetCidr(env, az, idx);
      if (!subnetText) {
        problems.push(
          error(
            path,
            `${network.name} rides on Multus interface ${idx}, but ${az} has no Multus subnet of that index (network.zones.${az}.multus[${idx - 1}])`,
            `add a Multus subnet for interface ${idx} to network.zones.${az}.multus, or remove the ${az} range`,
          ),
        );
        continue;
      }
      const parsed = parseCidr(text);
      if (!parsed.ok) {
        problems.push(
          error(
            path,
            parsed.reason,
            parsed.suggestion
              ? `write ${parsed.suggestion}`
              : "write the block's network address and prefix length, e.g. 10.0.4.64/26",
          ),
        );
        continue;
      }
      const subnet = parseCidr(subnetText);
      if (!subnet.ok) continue; // reported by the IP plan checks
      const block = parsed.block;
      const subnetPath = formatPath(["network", "zones", az, "multus", idx - 1]);
      if (!contains(subnet.block, block)) {
        problems.push(
          error(
            path,
            `${network.name}: range ${block.text} is not inside its subnet ${subnetPath} (${subnet.block.text}), where its interface sits`,
            `choose a block inside ${subnet.block.text}, e.g. its upper half`,
          ),
        );
        continue;
      }
      const reserved = awsReservedAddresses(subnet.block).filter((a) => a >= block.first && a <= block.last);
      if (reserved.length > 0) {
        problems.push(
          error(
            path,
            `${network.name}: range ${block.text} takes ${reserved.map(formatAddress).join(", ")}, which AWS keeps in ${subnet.block.text} (network address, VPC router, DNS, reserved, broadcast)`,
            `keep the range clear of the first four and the last address of the subnet, e.g. ${suggestRange(subnet.block, block.prefix)}`,
          ),
        );
        continue;
      }
      ranges.push({
        networkIndex: n,
        network: network.name,
        az,
        interfaceIndex: idx,
        block,
        subnet: subnet.block,
        path,
      });
    }
    // Nodes that carry this network's interface in an AZ without a range cannot run its pods there.
    const zonesWithInterface = [...new Set(slots.filter((s) => s.group.multusInterfaces >= idx).map((s) => s.az))];
    for (const az of zonesWithInterface.filter((z) => !Object.hasOwn(network.ranges, z))) {
      problems.push(
        warning(
          at("ranges"),
          `${network.name}: Multus nodes in ${az} carry interface ${idx}, but the network has no range in ${az}, so its pods cannot run there`,
          `add a range for ${az} inside network.zones.${az}.multus[${idx - 1}]`,
          "multus-range-missing",
        ),
      );
    }
  });

  ranges.forEach((a, i) =>
    ranges.slice(i + 1).forEach((b) => {
      if (a.az === b.az && a.interfaceIndex === b.interfaceIndex && overlaps(a.block, b.block)) {
        problems.push(
          error(
            b.path,
            `${b.network}: range ${b.block.text} overlaps ${formatPath(a.path)} (${a.block.text}) in the same subnet; whereabouts would hand the same address to pods of both networks`,
            "give each network its own block of the subnet",
          ),
        );
      }
    }),
  );

  // Room for the nodes' own interfaces: EC2 gives their primary addresses from what is not reserved.
  for (const [az, zone] of Object.entries(env.network.zones)) {
    (zone.multus ?? []).forEach((subnetText, i) => {
      const subnet = parseCidr(subnetText);
      if (!subnet.ok) return;
      const idx = i + 1;
      const here = ranges.filter((r) => r.az === az && r.interfaceIndex === idx);
      const reservedForPods = here.reduce((total, r) => total + r.block.size, 0);
      // A public network's slots hold a fixed address of its range (the ENI's own): no other address.
      const fixed = Object.hasOwn(publicNetworkOn(env, idx)?.ranges ?? {}, az);
      const interfaces = fixed ? 0 : slots.filter((s) => s.az === az && s.group.multusInterfaces >= idx).length;
      const left = subnet.block.size - AWS_RESERVED_PER_SUBNET - reservedForPods;
      if (interfaces > left) {
        problems.push(
          error(
            ["network", "zones", az, "multus", i],
            `${subnet.block.text} has ${subnet.block.size - AWS_RESERVED_PER_SUBNET} usable addresses, ${reservedForPods} of them reserved for pods (${here.map((r) => `${r.network} ${r.block.text}`).join(", ")}), leaving ${left} for the ${interfaces} Multus interfaces of the nodes in ${az}`,
            "make the pod ranges smaller or the subnet larger, or run fewer Multus nodes in this AZ",
          ),
        );
      }
    });
  }
  return problems;
}

/** A block inside the subnet clear of AWS's reserved addresses, for the fix text: the second quarter (or smaller). */
function suggestRange(subnet: CidrBlock, prefix: number): string {
  const p = Math.min(30, Math.max(prefix, subnet.prefix + 2));
  return `${formatAddress(subnet.first + 2 ** (32 - p))}/${p}`;
}
