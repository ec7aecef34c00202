/**
 * The ranges an environment brings into the organisation's address space, as the plan across
 * environments sees them: its VPC's blocks (and whether each must be unique), its service range and
 * where its pods take their addresses. Pure.
 */
import type { FieldPath } from "../environment/problems";
import type { CniSpec, Environment, Network } from "../environment/schema";
import { RFC6598 } from "./address-blocks";
import { capacityPlan } from "./capacity";
import { podNetworkMode } from "./pod-network";
import { cidr, contains } from "./cidr";
import { plannedSubnets, vpcCidrs } from "./subnets";

export interface VpcBlock {
  cidr: string;
  /** Where the network's file declares it. */
  path: FieldPath;
  primary: boolean;
  /** Every subnet in it is a pod subnet (and it has at least one). */
  podOnly: boolean;
  /**
   * May repeat in other VPCs: an RFC 6598 block holding only pod subnets, whose pods leave the VPC
   * through SNAT (the node's address), so no address of it is ever seen, or routed, outside its VPC.
   */
  reusable: boolean;
}

/**
 * The blocks of a network, judged with every cluster that runs in it: one cluster whose pods in
 * the block keep their own address beyond the VPC (external SNAT, with custom networking or subnet
 * discovery putting them there) makes the block routed, so unique.
 */
export function vpcBlocks(network: Network, clusters: ReadonlyArray<{ cni: CniSpec }>): VpcBlock[] {
  const subnets = plannedSubnets(network);
  // Pods are in pod subnets with custom networking or subnet discovery.
  const podsLeaveWithOwnAddress = clusters.some((c) => c.cni.externalSnat && podNetworkMode(c.cni) !== "nodeSubnets");
  return vpcCidrs(network).map(({ cidr: text, path }) => {
    const block = cidr(text);
    const inside = subnets.filter((s) => contains(block, cidr(s.cidr)));
    const podOnly = inside.length > 0 && inside.every((s) => s.role === "pod");
    return {
      cidr: text,
      path,
      primary: path.length === 2,
      podOnly,
      reusable: podOnly && contains(RFC6598, block) && !podsLeaveWithOwnAddress,
    };
  });
}

/**
 * The subnets this environment's pods take their addresses from, in plan order, each once: the pod
 * subnets (custom networking), the nodes' subnets, or both (subnet discovery).
 */
export function podRanges(env: Environment): string[] {
  return [...new Set(capacityPlan(env).placements.flatMap((p) => p.podSubnets.map((s) => s.cidr)))];
}
