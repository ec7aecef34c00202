/**
 * Public Multus networks: an interface index of their own, ipvlan, no routes (sbr sends everything
 * from their addresses through the interface), inbound rules EC2 takes and that open nothing to the
 * world unacknowledged, a range with a fixed address for every node slot that carries the interface,
 * and one workload with one pod per slot. Pure: no cdktf, no AWS calls.
 */
import { formatPath, error, warning, type Problem } from "../environment/problems";
import type { Environment, MultusNetworkSpec } from "../environment/schema";
import { parseCidr } from "../plan/cidr";
import { multusSubnetCidr } from "../plan/multus-ranges";
import { ingressPermission, isPublicNetwork } from "../plan/multus-public";
import { nodeSlots } from "../plan/node-slots";

/** What EC2 takes in a security group rule's description (AuthorizeSecurityGroupIngress). */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

export function checkMultusPublicNetworks(env: Environment): Problem[] {
  const networks = env.multus?.networks ?? [];
  const problems: Problem[] = [];
  networks.forEach((network, i) => {
    if (!isPublicNetwork(network)) return;
    const at = (...rest: Array<string | number>) => ["multus", "networks", i, ...rest];
    networks.forEach((other, j) => {
      if (j === i || other.interfaceIndex !== network.interfaceIndex) return;
      problems.push(
        error(
          at("interfaceIndex"),
          `${network.name} is public and rides on Multus interface ${network.interfaceIndex}, which multus.networks[${j}] (${other.name}) uses too; a public network's interfaces hold its fixed addresses alone, behind its own security group`,
          `give ${network.name} an interface index of its own (add a Multus subnet and raise multusInterfaces), or move ${other.name} to another interface`,
        ),
      );
    });
    if (network.type !== "ipvlan") {
      problems.push(
        error(
          at("type"),
          `${network.name} is public, but ${network.type} gives each pod a MAC address of its own, which the VPC drops, so its Elastic IPs would never reach the pods`,
          "use type: ipvlan, whose pods share the ENI's MAC",
        ),
      );
    }
    if (network.routes.length > 0) {
      problems.push(
        error(
          at("routes"),
          `${network.name} is public: everything from its addresses leaves through its interface (the sbr plugin's routing table, default route included), so routes (${network.routes.join(", ")}) do not apply`,
          "remove routes from the public network",
        ),
      );
    }
    problems.push(...ingressProblems(network, i));
    problems.push(...slotProblems(env, network, i));
  });
  problems.push(...workloadProblems(env));
  return problems;
}

function ingressProblems(network: MultusNetworkSpec, i: number): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  (network.public?.allowFrom ?? []).forEach((rule, r) => {
    const at = (field?: string) => ["multus", "networks", i, "public", "allowFrom", r, ...(field ? [field] : [])];
    const parsed = parseCidr(rule.cidr);
    if (!parsed.ok) {
      problems.push(
        error(at("cidr"), parsed.reason, parsed.suggestion ? `write ${parsed.suggestion}` : "write a CIDR block"),
      );
    } else if (parsed.block.prefix === 0) {
      problems.push(
        warning(
          at("cidr"),
          `${network.name}: ${rule.cidr} lets the whole internet reach its pods' public addresses (${rule.protocol}${rule.fromPort === undefined ? "" : ` ${rule.fromPort}-${rule.toPort ?? rule.fromPort}`})`,
          "list the ranges of your partners, or acknowledge the warning if the service is meant to be public",
          "multus-public-ingress-from-anywhere",
        ),
      );
    }
    const ported = rule.protocol === "tcp" || rule.protocol === "udp";
    if (!ported && (rule.fromPort !== undefined || rule.toPort !== undefined)) {
      problems.push(
        error(
          at("fromPort"),
          `${network.name}: protocol ${rule.protocol} has no ports, but the rule names ${rule.fromPort ?? ""}${rule.toPort === undefined ? "" : `-${rule.toPort}`}`,
          "remove fromPort and toPort, or use protocol: tcp or udp",
        ),
      );
    } else if (rule.toPort !== undefined && rule.fromPort === undefined) {
      problems.push(error(at("toPort"), `${network.name}: toPort ${rule.toPort} without fromPort`, "add fromPort"));
    } else if (rule.fromPort !== undefined && rule.toPort !== undefined && rule.toPort < rule.fromPort) {
      problems.push(
        error(
          at("toPort"),
          `${network.name}: toPort ${rule.toPort} is below fromPort ${rule.fromPort}`,
          `swap them: fromPort ${rule.toPort}, toPort ${rule.fromPort}`,
        ),
      );
    }
    if (rule.description !== undefined && !RULE_DESCRIPTION.test(rule.description)) {
      problems.push(
        error(
          at("description"),
          `${network.name}: EC2 refuses the rule description "${rule.description}"`,
          "use only letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = ; { } ! $ *",
        ),
      );
    }
    if (parsed.ok) {
      const key = ingressPermission(rule).key;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.push(
          error(
            at(),
            `${network.name}: the rule allows what allowFrom[${earlier}] allows already (${key})`,
            "list each rule once",
          ),
        );
      }
      seen.set(key, r);
    }
  });
  return problems;
}

/** Every slot that carries the interface in an AZ of the network's ranges needs an address of the range there. */
function slotProblems(env: Environment, network: MultusNetworkSpec, i: number): Problem[] {
  const problems: Problem[] = [];
  const slots = nodeSlots(env).filter((s) => s.group.multusInterfaces >= network.interfaceIndex);
  for (const [az, text] of Object.entries(network.ranges)) {
    const range = parseCidr(text);
    if (!range.ok || !multusSubnetCidr(env, az, network.interfaceIndex)) continue; // reported by checkMultusNetworks
    const here = slots.filter((s) => s.az === az);
    if (here.length > range.block.size) {
      problems.push(
        error(
          ["multus", "networks", i, "ranges", az],
          `${network.name} is public: each of the ${here.length} Multus nodes in ${az} that carry interface ${network.interfaceIndex} (${here.map((s) => s.name).join(", ")}) takes a fixed address of its range, but ${range.block.text} has ${range.block.size}`,
          `make the range at least /${32 - Math.ceil(Math.log2(here.length))}, or run fewer such nodes in ${az}`,
        ),
      );
    }
  }
  const groups = [...new Set(slots.map((s) => s.group.name))];
  if (groups.length > 1) {
    problems.push(
      warning(
        ["multus", "networks", i, "interfaceIndex"],
        `${network.name} is public and node groups ${groups.join(", ")} all carry its interface ${network.interfaceIndex}: their nodes take its fixed addresses in that order, so a change of the earlier groups' desiredSize moves the later groups' addresses, which replaces those nodes' interfaces and nodes`,
        "carry public interfaces on one node group (give the others fewer multusInterfaces), or add nodes to the last group only",
        "multus-public-addresses-follow-group-order",
      ),
    );
  }
  return problems;
}

/** One workload per public network, one pod per slot. */
function workloadProblems(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const users = new Map<string, number>();
  env.workloads.multusPods.forEach((spec, w) => {
    const publicNetworks = spec.networks.filter((name) =>
      env.multus?.networks.some((n) => n.name === name && isPublicNetwork(n)),
    );
    if (publicNetworks.length === 0) return;
    if (spec.replicas !== 1) {
      problems.push(
        error(
          ["workloads", "multusPods", w, "replicas"],
          `${spec.name} is on public network${publicNetworks.length === 1 ? "" : "s"} ${publicNetworks.join(", ")}, so it runs one pod on each node slot that carries ${publicNetworks.length === 1 ? "it" : "them"}, with the slot's fixed addresses; replicas ${spec.replicas} cannot apply`,
          "set replicas: 1 (to run more pods, add Multus nodes)",
        ),
      );
    }
    for (const name of publicNetworks) {
      const earlier = users.get(name);
      if (earlier !== undefined) {
        problems.push(
          error(
            ["workloads", "multusPods", w, "networks"],
            `${spec.name} names public network ${name}, which ${formatPath(["workloads", "multusPods", earlier])} (${env.workloads.multusPods[earlier].name}) names too; each node slot has one address on a public network, for one pod`,
            `give ${spec.name} a public network of its own`,
          ),
        );
      }
      users.set(name, w);
    }
  });
  return problems;
}
