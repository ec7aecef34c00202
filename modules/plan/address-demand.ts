/**
 * The one rule for what nodes ask of their subnets. Every capacity figure reads it: the capacity plan
 * (capacity.ts), the prefix reservations (prefix-reservations.ts), the checks' errors and warnings,
 * the IP plan in text and JSON, and the diagram.
 *
 * - A node holds its pods' addresses at maxPods (host-network pods need none), as /28 prefixes under
 *   prefix delegation, plus the warm ones the VPC CNI keeps free on top, never more than its ENIs hold.
 * - A node group is counted at maxSize, spread over its AZs (rounded up).
 * - Surge: while a managed node group rolls, or is replaced whole, extra nodes run beside it. A surge
 *   node adds its own interfaces and warm addresses, and takes over the pods of the node it replaces:
 *   the pods do not grow during a rollout. Multus nodes are replaced destroy-before-create: no surge.
 * - Security groups for pods: a node whose type takes a trunk ENI has one more interface, the trunk,
 *   and its pods with security groups of their own take one address each, of a branch ENI, instead of
 *   one of the pod ENIs' (pod-eni-placement.ts says which subnet both are in). How many of a node's
 *   pods do is up to the SecurityGroupPolicy selectors, so the rule counts the mix that takes the most
 *   room (worstBranchMix). A surge node brings its own trunk; its branch pods are the ones it takes over.
 *
 * Pure: no cdktf.
 */
import type { CniSpec, NodeGroupSpec } from "../environment/schema";
import { ADDRESSES_PER_PREFIX } from "./cidr";
import { HOST_NETWORK_PODS, prefixesNeeded, type MaxPods } from "./max-pods";
import { isMultusGroup } from "./node-groups";

/**
 * WARM_PREFIX_TARGET when the environment sets none: the value the vpc-cni add-on's aws-node
 * manifest ships (config/master/aws-k8s-cni.yaml: WARM_PREFIX_TARGET "1").
 */
export const DEFAULT_WARM_PREFIX_TARGET = 1;

/** What a pod address is counted in: a /28 prefix (prefix delegation) or a single secondary address. */
export type AddressUnit = "prefix" | "address";

export const addressesPerUnit = (unit: AddressUnit): number => (unit === "prefix" ? ADDRESSES_PER_PREFIX : 1);

export interface NodeAddressDemand {
  unit: AddressUnit;
  /** Units for maxPods pods. */
  podUnits: number;
  /** Units the CNI keeps warm beyond them, within what the node's pod ENIs can hold. */
  warmUnits: number;
  /** Units one ENI holds: every address but its primary, or that many /28 prefixes. */
  unitsPerEni: number;
  /**
   * Units on each ENI that carries pod addresses, in attach order; with the primary first when it
   * serves pods (its own address is the node's). One ENI at the least.
   */
  eniUnits: number[];
  /** The node has a trunk ENI (security groups for pods): one more interface, serving no pod addresses. */
  trunkEni: boolean;
  /**
   * Of the node's pods, those counted on branch ENIs: one single address each, never in a prefix or
   * on the pod ENIs (so not in podUnits). The number, up to the type's branch ENIs, that takes the
   * most room (worstBranchMix); 0 without a trunk.
   */
  branchPods: number;
}

/** The MaxPods figures the rule reads. */
export type NodeCapacity = Pick<
  MaxPods,
  "podEnis" | "ipv4PerEni" | "prefixDelegation" | "trunkEni" | "branchInterfaces"
>;

/**
 * Warm units per node. Prefix delegation: WARM_PREFIX_TARGET (default 1), or WARM_IP_TARGET's
 * addresses in prefixes when that is more (the CNI lets WARM_IP_TARGET override the prefix target;
 * the larger is the safe count). Secondary IPs: WARM_IP_TARGET, else WARM_ENI_TARGET's default of
 * one whole ENI's addresses. MINIMUM_IP_TARGET is a floor a node at maxPods is already above.
 */
export function warmUnits(
  cni: Pick<CniSpec, "warmPrefixTarget" | "warmIpTarget">,
  unit: AddressUnit,
  unitsPerEni: number,
): number {
  switch (unit) {
    case "prefix":
      return Math.max(
        cni.warmPrefixTarget ?? DEFAULT_WARM_PREFIX_TARGET,
        Math.ceil((cni.warmIpTarget ?? 0) / ADDRESSES_PER_PREFIX),
      );
    case "address":
      return cni.warmIpTarget ?? unitsPerEni;
  }
}

/** What one node at maxPods holds, by the rule above. */
export function nodeAddressDemand(
  maxPods: number,
  computed: NodeCapacity,
  cni: Pick<CniSpec, "warmPrefixTarget" | "warmIpTarget">,
): NodeAddressDemand {
  const pods = Math.max(0, maxPods - HOST_NETWORK_PODS);
  const branchPods = worstBranchMix(pods, computed.trunkEni ? computed.branchInterfaces : 0, computed, cni);
  return { ...podEniDemand(pods - branchPods, computed, cni), trunkEni: computed.trunkEni, branchPods };
}

/**
 * Of `pods` pods on a node that can give up to `branches` of them branch ENIs, how many to count on
 * branch ENIs: the number whose addresses take the most room, the first on a tie. Each branch pod
 * takes one single address; the others take the pod ENIs' addresses or /28 prefixes, with the warm
 * ones the CNI keeps, and each ENI its own address. Fewer pods on the pod ENIs can free little or
 * nothing there (a /28 holds 16 pods; the warm addresses fill an ENI's room up to what it holds), so
 * branch pods often come on top; the room is counted in addresses, a prefix as 16.
 */
export function worstBranchMix(
  pods: number,
  branches: number,
  computed: Omit<NodeCapacity, "trunkEni" | "branchInterfaces">,
  cni: Pick<CniSpec, "warmPrefixTarget" | "warmIpTarget">,
): number {
  let worst = 0;
  let most = -1;
  for (let b = 0; b <= Math.min(branches, pods); b++) {
    const d = podEniDemand(pods - b, computed, cni);
    const room = (d.podUnits + d.warmUnits) * addressesPerUnit(d.unit) + d.eniUnits.length + b;
    if (room > most) [worst, most] = [b, room];
  }
  return worst;
}

/** What the pod ENIs of a node hold for `pods` pods with an address of theirs. */
function podEniDemand(
  pods: number,
  computed: Omit<NodeCapacity, "trunkEni" | "branchInterfaces">,
  cni: Pick<CniSpec, "warmPrefixTarget" | "warmIpTarget">,
): Omit<NodeAddressDemand, "trunkEni" | "branchPods"> {
  const unit: AddressUnit = computed.prefixDelegation ? "prefix" : "address";
  // An ENI's primary address is its own; each other slot holds a pod address or a /28 prefix.
  const unitsPerEni = Math.max(1, computed.ipv4PerEni - 1);
  const podUnits = unit === "prefix" ? prefixesNeeded(pods) : pods;
  const capacity = Math.max(1, computed.podEnis) * unitsPerEni;
  const held = Math.max(podUnits, Math.min(capacity, podUnits + warmUnits(cni, unit, unitsPerEni)));
  const enis = Math.max(1, Math.ceil(held / unitsPerEni));
  return {
    unit,
    podUnits,
    warmUnits: held - podUnits,
    unitsPerEni,
    eniUnits: Array.from({ length: enis }, (_, i) => Math.max(0, Math.min(unitsPerEni, held - i * unitsPerEni))),
  };
}

/** Why extra nodes run beside a group: a rolling update, a replacement of the whole group, or neither. */
export type SurgeKind = "rollout" | "replacement" | "none";

export interface NodeSurge {
  /**
   * Extra nodes per AZ while a managed node group rolls (every AMI release): EKS raises the Auto
   * Scaling group's desired and maximum size by the larger of twice its AZs and maxUnavailable, and
   * launches them in the AZs of the nodes it replaces (EKS user guide, "Managed node update behavior").
   */
  rollout: number;
  /**
   * Extra nodes per AZ while the whole group is replaced create-before-destroy (a forcing change such
   * as its instance type): the new group at its size beside the old one.
   */
  replacement: number;
  /** The larger of the two: what the plan counts. 0 for Multus nodes. */
  nodes: number;
  kind: SurgeKind;
}

/** Surge of one group in one AZ, where it has `nodesPerZone` nodes at maxSize over `zoneCount` AZs. */
export function nodeSurge(
  group: Pick<NodeGroupSpec, "maxUnavailable" | "multusInterfaces">,
  zoneCount: number,
  nodesPerZone: number,
): NodeSurge {
  // Multus slots are instances Terraform replaces destroy-before-create (their ENIs must come free).
  if (isMultusGroup(group)) return { rollout: 0, replacement: 0, nodes: 0, kind: "none" };
  const zones = Math.max(1, zoneCount);
  const rollout = Math.ceil(Math.max(2 * zones, group.maxUnavailable) / zones);
  const replacement = nodesPerZone;
  const nodes = Math.max(rollout, replacement);
  return {
    rollout,
    replacement,
    nodes,
    kind: nodes === 0 ? "none" : rollout >= replacement ? "rollout" : "replacement",
  };
}

/**
 * EKS creates 2 to 4 control-plane ENIs in the cluster's subnets, and a version upgrade creates up to
 * 5 more before it deletes the old ones (EKS user guide, "Update existing cluster": "up to five
 * available IP addresses"; network-reqs: "2–4 elastic network interfaces"). In one subnet, at worst:
 */
export const CONTROL_PLANE_ENIS = 4;
export const CONTROL_PLANE_UPGRADE_ENIS = 5;

/**
 * Free addresses a subnet tagged for load balancers keeps for them: an Application Load Balancer
 * needs at least 8 free addresses in each of its subnets (ELB user guide, "Subnets for your load
 * balancer"); a Network Load Balancer takes one.
 */
export const LOAD_BALANCER_ADDRESSES = 8;
