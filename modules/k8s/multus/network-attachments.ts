/**
 * One NetworkAttachmentDefinition per Multus network per AZ, named <network>-<az>. A NAD's CNI
 * config is the same on every node, but a network's addresses differ per AZ (each AZ has its own
 * subnet), and whereabouts' multiple ranges (ipRanges) give a pod an address from each range, not
 * from the one of its node's AZ. So each AZ gets its own NAD and the pods of an AZ name that one.
 *
 * whereabouts' range is the whole Multus subnet, so the pod interface gets the subnet's netmask
 * and reaches the subnet directly; range_start and range_end limit it to the block the network
 * stack reserved, so no pod ever takes an address EC2 gave an interface.
 *
 * Routes: a network's `routes` go through the subnet's VPC router on the pod's interface, so replies to
 * peers outside the pod's own subnet (the other AZs' Multus subnets above all) leave where the request
 * came in, not through eth0, where the VPC drops them (their source is no address of eth0's ENI). The
 * AZ's own subnet is left out of its NAD: it is the interface's connected route already, and the
 * same route again would fail the CNI ADD ("file exists").
 *
 * A public network gets one NAD per node slot instead (publicAttachmentDefinition): the slot's fixed
 * address in static IPAM, chained with the sbr plugin so that everything from that address, replies
 * to the internet above all, leaves through the interface and its Elastic IP, not through eth0.
 */
import type { KubernetesObject } from "../kubernetes-object";
import { MULTUS_NETWORK_LABEL, NODE_SLOT_LABEL, ZONE_LABEL } from "../../plan/labels";
import type { MultusSlotAddress } from "../../plan/multus-public";
import { NAD_GROUP } from "./crds";
import { masterInterface, type MultusRange } from "../../plan/multus-ranges";
import { attachmentName, publicAttachmentName } from "../../plan/names";
import { WHEREABOUTS_KUBECONFIG } from "./whereabouts";

export interface NetworkAttachmentDefinition extends KubernetesObject {
  apiVersion: "k8s.cni.cncf.io/v1";
  kind: "NetworkAttachmentDefinition";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { config: string };
}

export interface MultusCniConfig {
  cniVersion: string;
  name: string;
  type: "ipvlan" | "macvlan";
  master: string;
  mode: string;
  ipam: {
    type: "whereabouts";
    range: string;
    range_start: string;
    range_end: string;
    gateway: string;
    routes?: Array<{ dst: string; gw: string }>;
    kubernetes: { kubeconfig: string };
  };
}

/**
 * The IPPool whereabouts keeps a NAD's allocations in: named after its range with "/" (and ":") as
 * "-" when the config sets no network_name (whereabouts v0.9.4 pkg/storage/kubernetes/ipam.go
 * IPPoolName, normalizeRange), in whereabouts' namespace. Allocation keys are offsets from the
 * range's address.
 */
export const whereaboutsPoolName = (range: string): string => range.replace(/[/:]/g, "-");

/** The routes of a network's NAD in one AZ: the network's, but the AZ's own subnet. */
export const attachmentRoutes = (range: MultusRange): string[] =>
  range.network.routes.filter((dst) => dst !== range.subnetCidr);

/** The CNI config of a network in one AZ. */
export function multusCniConfig(range: MultusRange): MultusCniConfig {
  const { network } = range;
  return {
    cniVersion: "0.3.1",
    name: attachmentName(network.name, range.az),
    type: network.type,
    master: masterInterface(network),
    // ipvlan l2: the pods share the ENI's MAC, so the VPC delivers their traffic like the node's own.
    // macvlan bridge: each pod its own MAC, which only works between pods of the same node.
    mode: network.type === "ipvlan" ? "l2" : "bridge",
    ipam: {
      type: "whereabouts",
      range: range.subnetCidr,
      range_start: range.rangeStart,
      range_end: range.rangeEnd,
      gateway: range.gateway,
      ...(attachmentRoutes(range).length > 0
        ? { routes: attachmentRoutes(range).map((dst) => ({ dst, gw: range.gateway })) }
        : {}),
      kubernetes: { kubeconfig: WHEREABOUTS_KUBECONFIG },
    },
  };
}

export function networkAttachmentDefinition(range: MultusRange): NetworkAttachmentDefinition {
  return {
    apiVersion: `${NAD_GROUP}/v1` as "k8s.cni.cncf.io/v1",
    kind: "NetworkAttachmentDefinition",
    metadata: {
      name: attachmentName(range.network.name, range.az),
      namespace: range.network.namespace,
      labels: { [MULTUS_NETWORK_LABEL]: range.network.name, [ZONE_LABEL]: range.az },
    },
    spec: { config: JSON.stringify(multusCniConfig(range)) },
  };
}

/**
 * The CNI config list of a public network on one node slot: ipvlan on the slot's ENI with the slot's
 * fixed address (static IPAM; the address is the ENI's own, so EC2 already delivers it) and the
 * subnet's VPC router as gateway, then sbr (containernetworking/plugins plugins/meta/sbr; /work/notes
 * multus.md section 5), which puts a rule "from <address> lookup <table>" and a default route via that
 * gateway in the table, and moves the interface's subnet route there. Replies and the pod's own
 * traffic from the address leave through the interface, where the Elastic IP is; everything else
 * keeps using eth0. No whereabouts: nothing allocates, so nothing leaks or moves.
 */
export interface PublicCniConfigList {
  cniVersion: string;
  name: string;
  plugins: [
    {
      type: "ipvlan";
      master: string;
      mode: "l2";
      ipam: { type: "static"; addresses: Array<{ address: string; gateway: string }> };
    },
    { type: "sbr" },
  ];
}

export function publicCniConfig(a: MultusSlotAddress): PublicCniConfigList {
  const prefix = a.range.subnetCidr.split("/")[1];
  return {
    cniVersion: "0.3.1",
    name: publicAttachmentName(a.network.name, a.slot.name),
    plugins: [
      {
        type: "ipvlan",
        master: masterInterface(a.network),
        mode: "l2",
        ipam: { type: "static", addresses: [{ address: `${a.address}/${prefix}`, gateway: a.range.gateway }] },
      },
      { type: "sbr" },
    ],
  };
}

export function publicAttachmentDefinition(a: MultusSlotAddress): NetworkAttachmentDefinition {
  return {
    apiVersion: `${NAD_GROUP}/v1` as "k8s.cni.cncf.io/v1",
    kind: "NetworkAttachmentDefinition",
    metadata: {
      name: publicAttachmentName(a.network.name, a.slot.name),
      namespace: a.network.namespace,
      labels: { [MULTUS_NETWORK_LABEL]: a.network.name, [ZONE_LABEL]: a.az, [NODE_SLOT_LABEL]: a.slot.name },
    },
    spec: { config: JSON.stringify(publicCniConfig(a)) },
  };
}
