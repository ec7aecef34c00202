/**
 * Multus checks: node groups with extra interfaces (room on the instance type, a Multus subnet of
 * every index in every AZ, fixed sizes), the networks (ranges inside their subnets, clear of AWS's
 * reserved addresses and of each other, leaving room for the nodes' interfaces, served by some Multus
 * node group) and the pods that use them. Pure: no cdktf, no AWS calls.
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
import { instanceTypeInfo } from "../plan/instance-types";
import { eksImageRegistry } from "../plan/images";
import { multusPodsPlacement } from "../plan/placement";
import { isMultusGroup, zonesOf } from "../plan/node-groups";
import { cniEniNeeds, nodeSlots } from "../plan/node-slots";
import { multusSubnetCidr } from "../plan/multus-ranges";
import { error, formatPath, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

export function checkMultusNodeGroups(env: Environment): Problem[] {
  const problems: Problem[] = [];
  env.nodeGroups.forEach((group, i) => {
    if (!isMultusGroup(group)) return;
    const at = (field: string) => ["nodeGroups", i, field];
    const n = group.multusInterfaces;
    if (!env.multus) {
      problems.push(
        error(
          at("multusInterfaces"),
          `${group.name}: multusInterfaces is ${n}, but the environment has no multus section, so nothing would use the extra interfaces`,
          "add a multus section (version, whereaboutsVersion, networks), or set multusInterfaces: 0",
        ),
      );
    }
    for (const az of zonesOf(env, group)) {
      const have = env.network.zones[az]?.multus?.length ?? 0;
      if (env.network.zones[az] && have < n) {
        problems.push(
          error(
            ["network", "zones", az, "multus"],
            `${group.name} has multusInterfaces: ${n} and runs in ${az}, but network.zones.${az}.multus lists ${have} subnet${have === 1 ? "" : "s"}; interface i goes in multus[i - 1]`,
            `list ${n} Multus subnet${n === 1 ? "" : "s"} for ${az}, or lower multusInterfaces, or leave ${az} out of the group's zones`,
          ),
        );
      }
    }
    const needs = cniEniNeeds(group, env);
    if (needs && n > needs.availableForMultus) {
      const podEnis = `${needs.podEnis} pod ENI${needs.podEnis === 1 ? "" : "s"}`;
      const forPods = needs.explicitMaxPods
        ? `the ${podEnis} maxPods ${needs.maxPods} needs`
        : `${podEnis} at the least, or no pod gets an address`;
      problems.push(
        error(
          at("multusInterfaces"),
          `${group.name}: ${group.instanceType} attaches ${needs.enis} ENIs on its default network card and the VPC CNI needs ${needs.cniEnis} of them (the primary${env.cni.customNetworking ? ", which hosts no pods with custom networking," : ""} and ${forPods}), so at most ${Math.max(0, needs.availableForMultus)} are left for Multus, not ${n}`,
          `lower multusInterfaces to ${Math.max(0, needs.availableForMultus)} or less${needs.explicitMaxPods ? ", lower maxPods" : ""}, or pick an instance type with more ENIs`,
        ),
      );
    }
    if (group.minSize !== group.desiredSize || group.maxSize !== group.desiredSize) {
      problems.push(
        warning(
          at("desiredSize"),
          `${group.name}: a Multus node group is ${group.desiredSize} fixed nodes (desiredSize); minSize ${group.minSize} and maxSize ${group.maxSize} are not used, nothing scales it`,
          `set minSize and maxSize to ${group.desiredSize}; to scale, change desiredSize and run cdktf deploy nodes`,
        ),
      );
    }
    if (group.capacityType === "SPOT") {
      problems.push(
        error(
          at("capacityType"),
          `${group.name}: Multus nodes are fixed instances that nothing replaces, so a reclaimed Spot instance would stay gone`,
          "use capacityType: ON_DEMAND for Multus node groups",
        ),
      );
    }
  });
  return problems;
}

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
      const interfaces = slots.filter((s) => s.az === az && s.group.multusInterfaces >= idx).length;
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

export function checkMultusPods(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const pods = env.workloads.multusPods;
  if (pods.length === 0) return problems;
  const at = (i: number, ...rest: Array<string | number>) => ["workloads", "multusPods", i, ...rest];
  const seen = new Map<string, number>();
  pods.forEach((spec, i) => {
    if (!env.multus) {
      problems.push(
        error(
          at(i),
          `${spec.name}: Multus pods need the multus section, which the environment does not have`,
          "add a multus section with the networks the pods name",
        ),
      );
      return;
    }
    const earlier = seen.get(spec.name);
    if (earlier !== undefined) {
      problems.push(
        error(
          at(i, "name"),
          `${spec.name} is also the name of workloads.multusPods[${earlier}]; the sidecars' IAM roles are named after it`,
          "give every Multus workload its own name",
        ),
      );
    }
    seen.set(spec.name, i);
    spec.networks.forEach((name, n) => {
      if (!env.multus!.networks.some((net) => net.name === name)) {
        problems.push(
          error(
            at(i, "networks", n),
            `${spec.name}: there is no Multus network ${name}`,
            `use one of ${env.multus!.networks.map((net) => net.name).join(", ")}`,
          ),
        );
      }
    });
    if (new Set(spec.networks).size !== spec.networks.length) {
      problems.push(
        error(
          at(i, "networks"),
          `${spec.name} lists a network twice (${spec.networks.join(", ")}); a pod gets one address per network`,
          "list each network once",
        ),
      );
    }
    const placement = multusPodsPlacement(env, spec);
    if (placement.networks.length === spec.networks.length && placement.zones.length === 0) {
      problems.push(
        error(
          at(i),
          `${spec.name}: no AZ has both a range of every network it names (${spec.networks.join(", ")}) and Multus nodes with interface ${Math.max(...placement.networks.map((n) => n.interfaceIndex))}, so its pods could run nowhere`,
          "give the networks ranges in an AZ where such a Multus node group runs",
        ),
      );
    }
  });
  // Every Multus address of a pod is a secondary address of its node's ENI, and ranges are finite.
  for (const az of Object.keys(env.network.zones)) {
    for (const network of env.multus?.networks ?? []) {
      const users = pods.filter(
        (p) => p.networks.includes(network.name) && multusPodsPlacement(env, p).zones.includes(az),
      );
      const wanted = users.reduce((n, p) => n + p.replicas, 0);
      const range = parseCidr(network.ranges[az] ?? "");
      if (wanted > 0 && range.ok && wanted > range.block.size) {
        problems.push(
          warning(
            ["multus", "networks", env.multus!.networks.indexOf(network), "ranges", az],
            `${network.name}: ${wanted} pods (${users.map((p) => `${p.name} ${p.replicas}`).join(", ")}) want an address in ${az}, but the range ${range.block.text} has ${range.block.size}; pods beyond that get none`,
            "make the range larger or lower the replicas",
          ),
        );
      }
    }
    const slotsHere = nodeSlots(env).filter((s) => s.az === az);
    for (const group of new Set(slotsHere.map((s) => s.group))) {
      const info = instanceTypeInfo(group.instanceType);
      if (!info) continue;
      const nodes = slotsHere.filter((s) => s.group === group).length;
      for (let idx = 1; idx <= group.multusInterfaces; idx++) {
        const onInterface = pods.filter(
          (p) =>
            multusPodsPlacement(env, p).nodeGroups.includes(group.name) &&
            multusPodsPlacement(env, p).zones.includes(az),
        );
        const addresses = onInterface.reduce(
          (n, p) =>
            n +
            p.replicas *
              p.networks.filter((name) => env.multus?.networks.find((net) => net.name === name)?.interfaceIndex === idx)
                .length,
          0,
        );
        const capacity = nodes * (info.ipv4PerEni - 1);
        if (addresses > capacity) {
          problems.push(
            warning(
              ["workloads", "multusPods"],
              `in ${az}, Multus pods want ${addresses} addresses on interface ${idx}, but ${nodes} ${group.name} node${nodes === 1 ? "" : "s"} (${group.instanceType}) hold ${info.ipv4PerEni - 1} secondary addresses per ENI: ${capacity}; the ip-assigner of the pods beyond that fails`,
              "lower the replicas, or add Multus nodes in this AZ",
            ),
          );
        }
      }
    }
  }
  return problems;
}
