/**
 * Public Multus networks: fixed addresses with an Elastic IP each, instead of whereabouts.
 *
 * Every node slot that carries a public network's interface in an AZ of its ranges gets one fixed
 * address of the range there: the primary address of the slot's ENI of that index, given to the ENI
 * when Terraform creates it. The address belongs to the slot, not to a pod, so it stays on the ENI
 * whatever runs on the node, and nothing in the cluster needs EC2 rights for it. The one workload on
 * the network runs one pod per such slot (a StatefulSet of one replica, pinned to the slot), which
 * takes the slot's address through static IPAM, and holds one Elastic IP per public network,
 * associated with that ENI and address.
 *
 * Why the ENI's primary address: the AWS provider manages an ENI's addresses as one set whose
 * primary it picks when the ENI is created, and it replaces the ENI when that primary leaves the set.
 * An ENI whose set is exactly its one fixed address has a primary that never leaves. Pure: no cdktf.
 */
import type { Environment, MultusIngressRuleSpec, MultusNetworkSpec, MultusPodsSpec } from "../environment/schema";
import { cidr, formatAddress } from "./cidr";
import { multusRanges, type MultusRange } from "./multus-ranges";
import { multusPublicIpName, multusStatefulSetName, statefulSetPodName } from "./names";
import { nodeSlots, type NodeSlot } from "./node-slots";
import { multusPodsPlacement } from "./placement";

export const isPublicNetwork = (network: Pick<MultusNetworkSpec, "public">): boolean => network.public !== undefined;

/** A public network's fixed address on one node slot. */
export interface MultusSlotAddress {
  network: MultusNetworkSpec;
  networkIndex: number;
  slot: NodeSlot;
  az: string;
  interfaceIndex: number;
  /** The address: the primary of the slot's ENI of interfaceIndex. */
  address: string;
  /** The range of the network in the AZ it comes from, and its subnet. */
  range: MultusRange;
}

/** The public network that rides on an interface index, if one does (the checks keep it the only network there). */
export function publicNetworkOn(
  env: Pick<Environment, "multus">,
  interfaceIndex: number,
): MultusNetworkSpec | undefined {
  return env.multus?.networks.find((n) => isPublicNetwork(n) && n.interfaceIndex === interfaceIndex);
}

/**
 * Every public network's address on every slot that carries its interface in an AZ of its ranges.
 * Per network and AZ, the slots take the range's addresses in order: node groups in the order of the
 * file, each group's slots by index, so a slot added at the end of the last group leaves the others
 * where they are. Slots beyond the range's size get none (the checks report them).
 */
export function multusSlotAddresses(env: Pick<Environment, "network" | "nodeGroups" | "multus">): MultusSlotAddress[] {
  const slots = nodeSlots(env);
  return multusRanges(env)
    .filter((range) => isPublicNetwork(range.network))
    .flatMap((range) => {
      const block = cidr(range.reservationCidr);
      return slots
        .filter((slot) => slot.az === range.az && slot.group.multusInterfaces >= range.interfaceIndex)
        .slice(0, block.size)
        .map((slot, k) => ({
          network: range.network,
          networkIndex: range.networkIndex,
          slot,
          az: range.az,
          interfaceIndex: range.interfaceIndex,
          address: formatAddress(block.first + k),
          range,
        }));
    });
}

/** The fixed address of a slot on an interface index, if a public network gives it one. */
export function slotAddressOn(
  addresses: readonly MultusSlotAddress[],
  slot: string,
  interfaceIndex: number,
): MultusSlotAddress | undefined {
  return addresses.find((a) => a.slot.name === slot && a.interfaceIndex === interfaceIndex);
}

/** Whether a workload names a public network (and so runs one pod per slot). */
export function isPublicWorkload(env: Pick<Environment, "multus">, spec: Pick<MultusPodsSpec, "networks">): boolean {
  return spec.networks.some((name) => env.multus?.networks.some((n) => n.name === name && isPublicNetwork(n)));
}

/** One pod of a workload on a public network: pinned to its slot, with the slot's addresses. */
export interface MultusPublicPod {
  spec: MultusPodsSpec;
  workloadIndex: number;
  slot: NodeSlot;
  statefulSet: string;
  podName: string;
  /** namespace/name. */
  podKey: string;
  /**
   * Per public network of the workload, in the order it lists them: the address, its Elastic IP's
   * name, and whether the network releases that Elastic IP (public.release): the pod keeps the
   * address on its interface, but no Elastic IP is planned for it.
   */
  addresses: Array<{ slotAddress: MultusSlotAddress; publicIpName: string; released: boolean }>;
}

/** A public Multus network's Elastic IP in the address lock: `<namespace>/<name>`. */
export const multusPublicIpKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Whether a release entry (a name, or namespace/name) names the Elastic IP of this key. */
export function releaseNames(entry: string, key: string): boolean {
  return entry.includes("/") ? entry === key : key.slice(key.indexOf("/") + 1) === entry;
}

/** Whether the network's public.release names the Elastic IP of this key. */
export const isReleased = (network: Pick<MultusNetworkSpec, "public">, key: string): boolean =>
  (network.public?.release ?? []).some((entry) => releaseNames(entry, key));

/** The pods of every workload on a public network: one per slot where all its networks can attach. */
export function multusPublicPods(env: Environment): MultusPublicPod[] {
  const addresses = multusSlotAddresses(env);
  return env.workloads.multusPods.flatMap((spec, workloadIndex) => {
    if (!isPublicWorkload(env, spec)) return [];
    const placement = multusPodsPlacement(env, spec);
    const publicNetworks = placement.networks.filter(isPublicNetwork);
    return nodeSlots(env)
      .filter((slot) => placement.nodeGroups.includes(slot.group.name) && placement.zones.includes(slot.az))
      .flatMap((slot): MultusPublicPod[] => {
        const mine = publicNetworks.map((n) => addresses.find((a) => a.network === n && a.slot.name === slot.name));
        if (mine.some((a) => a === undefined)) return []; // a range too small: reported by the checks
        const statefulSet = multusStatefulSetName(spec.name, slot.name);
        const podName = statefulSetPodName(statefulSet, 0);
        return [
          {
            spec,
            workloadIndex,
            slot,
            statefulSet,
            podName,
            podKey: `${spec.namespace}/${podName}`,
            addresses: mine.map((slotAddress) => {
              const publicIpName = multusPublicIpName(podName, slotAddress!.network.name);
              return {
                slotAddress: slotAddress!,
                publicIpName,
                released: isReleased(slotAddress!.network, multusPublicIpKey(spec.namespace, publicIpName)),
              };
            }),
          },
        ];
      });
  });
}

/** Whether the Multus subnet of an interface index in an AZ is a public network's, and routes to the internet gateway. */
export function isPublicMultusSubnet(env: Pick<Environment, "multus">, az: string, interfaceIndex: number): boolean {
  const network = publicNetworkOn(env, interfaceIndex);
  return network !== undefined && Object.hasOwn(network.ranges, az);
}

/** A public network's inbound rule as EC2 takes it (aws_vpc_security_group_ingress_rule). */
export interface IngressPermission {
  cidr: string;
  /** tcp, udp, icmp, or -1 for every protocol (then without ports). */
  ipProtocol: "tcp" | "udp" | "icmp" | "-1";
  /** tcp and udp: the port range (every port when the rule names none); icmp: -1, every type and code. */
  fromPort?: number;
  toPort?: number;
  description?: string;
  /** Stable within the network whatever the rules' order: it keys the rule's Terraform address. */
  key: string;
}

export function ingressPermission(rule: MultusIngressRuleSpec): IngressPermission {
  const ports = (): { fromPort: number; toPort: number } =>
    rule.fromPort === undefined
      ? { fromPort: 0, toPort: 65535 }
      : { fromPort: rule.fromPort, toPort: rule.toPort ?? rule.fromPort };
  const base = { cidr: rule.cidr, ...(rule.description === undefined ? {} : { description: rule.description }) };
  switch (rule.protocol) {
    case "all":
      return { ...base, ipProtocol: "-1", key: `${rule.cidr}-all` };
    case "icmp":
      return { ...base, ipProtocol: "icmp", fromPort: -1, toPort: -1, key: `${rule.cidr}-icmp` };
    case "tcp":
    case "udp": {
      const { fromPort, toPort } = ports();
      return {
        ...base,
        ipProtocol: rule.protocol,
        fromPort,
        toPort,
        key: `${rule.cidr}-${rule.protocol}-${fromPort}-${toPort}`,
      };
    }
  }
}
