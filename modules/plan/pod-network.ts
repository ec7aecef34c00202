/**
 * Where pods take their VPC addresses from: the mode of the VPC CNI's pod network. Every place that
 * depends on it switches over this union, so a new mode (subnet discovery, say) does not compile
 * until each of them handles it.
 */
import type { CniSpec } from "../environment/schema";

/**
 * nodeSubnets: every ENI of a node, the primary included, serves pods from the node's own subnet.
 * customNetworking: the primary ENI serves no pods; the others take addresses from the pod subnet of
 * the node's AZ, named by the ENIConfig of that AZ.
 */
export type PodNetworkMode = "nodeSubnets" | "customNetworking";

export function podNetworkMode(cni: Pick<CniSpec, "customNetworking">): PodNetworkMode {
  return cni.customNetworking ? "customNetworking" : "nodeSubnets";
}

/** Whether the node's primary ENI serves pods (the calculator's "custom networking" flag is its negation). */
export function primaryEniServesPods(mode: PodNetworkMode): boolean {
  switch (mode) {
    case "nodeSubnets":
      return true;
    case "customNetworking":
      return false;
  }
}

/** The pod network mode in words. */
export function podNetworkLabel(mode: PodNetworkMode): string | undefined {
  switch (mode) {
    case "nodeSubnets":
      return undefined;
    case "customNetworking":
      return "custom networking";
  }
}
