/**
 * Multus pods: networks that exist, placement where their networks and nodes are, and enough
 * addresses in each range and on each ENI. Pure: no cdktf, no AWS calls.
 */
import { parseCidr } from "../plan/cidr";
import { instanceTypeInfo } from "../plan/instance-types";
import { isPublicNetwork } from "../plan/multus-public";
import { multusPodsPlacement } from "../plan/placement";
import { nodeSlots } from "../plan/node-slots";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

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
  // Every whereabouts address of a pod is a secondary address of its node's ENI, and ranges are
  // finite. A public network's address is its slot's own (checkMultusPublicNetworks).
  for (const az of Object.keys(env.network.zones)) {
    for (const network of (env.multus?.networks ?? []).filter((n) => !isPublicNetwork(n))) {
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
            "multus-range-exhausted",
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
              p.networks.filter((name) => {
                const net = env.multus?.networks.find((n) => n.name === name);
                return net?.interfaceIndex === idx && !isPublicNetwork(net);
              }).length,
          0,
        );
        const capacity = nodes * (info.ipv4PerEni - 1);
        if (addresses > capacity) {
          problems.push(
            warning(
              ["workloads", "multusPods"],
              `in ${az}, Multus pods want ${addresses} addresses on interface ${idx}, but ${nodes} ${group.name} node${nodes === 1 ? "" : "s"} (${group.instanceType}) hold ${info.ipv4PerEni - 1} secondary addresses per ENI: ${capacity}; the ip-assigner of the pods beyond that fails`,
              "lower the replicas, or add Multus nodes in this AZ",
              "multus-eni-addresses-short",
            ),
          );
        }
      }
    }
  }
  return problems;
}
