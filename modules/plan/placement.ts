/**
 * Where things go: the subnets that hold control-plane ENIs, the AZs with NAT gateways, the node
 * groups public-IP pods run on, and where a Multus workload can run. One rule each, read by the
 * checks, the reports and the stacks alike.
 */
import type { Environment, MultusNetworkSpec, MultusPodsSpec, PublicIpPodsSpec } from "../environment/schema";
import { nodeSlots } from "./node-slots";
import { podNetworkMode } from "./pod-network";
import { plannedSubnets, type PlannedSubnet } from "./subnets";

/** The subnets control-plane ENIs go in: the dedicated ones if the plan names any, else the node subnets. */
export function controlPlaneSubnets(network: Environment["network"]): PlannedSubnet[] {
  const subnets = plannedSubnets(network);
  const dedicated = subnets.filter((s) => s.role === "controlPlane");
  return dedicated.length > 0 ? dedicated : subnets.filter((s) => s.role === "node");
}

/**
 * The subnets a cluster uses and tags for itself (kubernetes.io/cluster/<name>): every subnet of a
 * VPC its environment creates. In a shared or existing VPC, only what this cluster places there: the
 * node and public subnets of every AZ (its nodes, and its internal and internet-facing load
 * balancers), its control-plane subnets, and the pod subnets when its pods take addresses there
 * (custom networking, subnet discovery); the others are another cluster's.
 */
export function clusterSubnets(env: Pick<Environment, "network" | "cni">): PlannedSubnet[] {
  const subnets = plannedSubnets(env.network);
  if (env.network.source.kind === "own") return subnets;
  const controlPlane = controlPlaneSubnets(env.network);
  return subnets.filter(
    (s) =>
      s.role === "node" ||
      s.role === "public" ||
      (s.role === "pod" && podNetworkMode(env.cni) !== "nodeSubnets") ||
      controlPlane.some((c) => c.role === s.role && c.az === s.az),
  );
}

/**
 * AZs whose public subnet holds a NAT gateway: the first AZ only (`single`), or every AZ (`perAz`);
 * none in an existing VPC, whose egress is its owner's.
 */
export function natGatewayZones(network: Pick<Environment["network"], "zones" | "natGateways">): string[] {
  const zones = Object.keys(network.zones);
  switch (network.natGateways) {
    case "single":
      return zones.slice(0, 1);
    case "perAz":
      return zones;
    case "none":
      return [];
  }
}

/** The node groups public-IP pods may run on: the ones named, else every group in public subnets. */
export function publicIpNodeGroups(env: Pick<Environment, "nodeGroups">, spec: PublicIpPodsSpec): string[] {
  return spec.nodeGroups ?? env.nodeGroups.filter((g) => g.subnet === "public").map((g) => g.name);
}

export interface MultusPodsPlacement {
  networks: MultusNetworkSpec[];
  /** Multus node groups with every interface the networks ride on. */
  nodeGroups: string[];
  /** AZs where every network has a range and such a group has nodes: one Deployment each. */
  zones: string[];
}

/** Where a multusPods entry can run; networks it names that do not exist are left out (the checks report them). */
export function multusPodsPlacement(env: Environment, spec: MultusPodsSpec): MultusPodsPlacement {
  const networks = spec.networks.flatMap((name) => env.multus?.networks.filter((n) => n.name === name) ?? []);
  const needed = Math.max(0, ...networks.map((n) => n.interfaceIndex));
  const nodeGroups = env.nodeGroups
    .filter((g) => g.multusInterfaces >= needed && g.multusInterfaces > 0)
    .map((g) => g.name);
  const zonesWithNodes = new Set(
    nodeSlots(env)
      .filter((s) => nodeGroups.includes(s.group.name))
      .map((s) => s.az),
  );
  const zones = Object.keys(env.network.zones).filter(
    (az) => zonesWithNodes.has(az) && networks.every((n) => Object.hasOwn(n.ranges, az)),
  );
  return { networks, nodeGroups, zones };
}
