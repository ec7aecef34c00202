/**
 * Multus pods: each pod's network-status (written by Multus) names every network the pod asked for,
 * each a network of the plan in the pod's AZ, with addresses inside that network's range there; and
 * each address is assigned in EC2 on the node's Multus interface of that network (the ip-assigner's
 * job: the VPC delivers only to addresses an interface holds). Each Multus workload has its pods in
 * every AZ it runs in. On a public network, a pod holds its node slot's fixed address, which is the
 * primary address of the slot's ENI of that network (plan/multus-public.ts), and the workload has its
 * pod on every such slot.
 */
import type { Environment, MultusPodsSpec } from "../../environment/schema";
import { NETWORKS_ANNOTATION } from "../../k8s/multus/ip-assigner";
import { multusRanges, type MultusRange } from "../../plan/multus-ranges";
import {
  isPublicWorkload,
  multusPublicPods,
  multusSlotAddresses,
  type MultusSlotAddress,
} from "../../plan/multus-public";
import { attachmentName, multusDeploymentName, publicAttachmentName } from "../../plan/names";
import { NODE_SLOT_LABEL } from "../../plan/labels";
import { multusPodsPlacement } from "../../plan/placement";
import { holdsPodAddress, inCidr, interfaceAddresses, podKey, providerInstance, zoneLabel } from "../cluster-view";
import type { NetworkInterfaceRecord, NodeObject, PodObject } from "../recorded-state";
import { compared, needed, okRow, wrongRow, type CheckDefinition, type VerifyRow } from "../report";
import { NETWORK_STATUS_ANNOTATION, networkStatus, requestedNetworks, type NetworkStatusEntry } from "./network-status";

export const multusCheck: CheckDefinition = {
  id: "multus",
  title: "Multus pods' networks, ranges, and addresses on the node's interfaces",
  needs: ["pods", "nodes", "networkInterfaces"],
  run({ env, state }) {
    const pods = needed(state, "pods").filter(holdsPodAddress);
    const nodes = needed(state, "nodes");
    const interfaces = needed(state, "networkInterfaces");
    const ranges = multusRanges(env);
    const fixed = multusSlotAddresses(env);
    const rows: VerifyRow[] = [];
    for (const pod of pods) {
      const annotations = pod.metadata.annotations ?? {};
      if (!(NETWORKS_ANNOTATION in annotations) && !(NETWORK_STATUS_ANNOTATION in annotations)) continue;
      const subject = `pod ${podKey(pod)}`;
      const status = networkStatus(annotations[NETWORK_STATUS_ANNOTATION]);
      if (!status.ok) {
        rows.push(
          wrongRow(subject, NETWORK_STATUS_ANNOTATION, status.reason, "a JSON list of networks", WAIT_FOR_MULTUS),
        );
        continue;
      }
      const secondary = status.entries.filter((e) => e.default !== true);
      for (const name of requestedNetworks(annotations[NETWORKS_ANNOTATION], pod.metadata.namespace ?? "default")) {
        if (!secondary.some((e) => e.name === name))
          rows.push(wrongRow(subject, `network ${name}`, "not in network-status", "attached", WAIT_FOR_MULTUS));
      }
      const node = nodes.find((n) => n.metadata.name === pod.spec?.nodeName);
      for (const entry of secondary) {
        const slotAddress = fixed.find(
          (a) => `${a.network.namespace}/${publicAttachmentName(a.network.name, a.slot.name)}` === entry.name,
        );
        rows.push(
          ...(slotAddress
            ? fixedEntryRows(subject, entry, slotAddress, node, interfaces)
            : entryRows(subject, entry, ranges, node, interfaces)),
        );
      }
    }
    rows.push(...workloadRows(env, pods));
    const note = rows.length === 0 ? "no Multus networks planned, and no pod attached to one" : undefined;
    return { rows, note };
  },
};

const WAIT_FOR_MULTUS =
  "Multus writes network-status once the pod's interfaces exist: look at the pod's events and the Multus DaemonSet's logs on its node";

function entryRows(
  subject: string,
  entry: NetworkStatusEntry,
  ranges: readonly MultusRange[],
  node: NodeObject | undefined,
  interfaces: readonly NetworkInterfaceRecord[],
): VerifyRow[] {
  const property = `${entry.name}${entry.interface ? ` (${entry.interface})` : ""}`;
  const range = ranges.find((r) => `${r.network.namespace}/${attachmentName(r.network.name, r.az)}` === entry.name);
  if (!range)
    return [
      wrongRow(
        subject,
        property,
        entry.ips.join(", ") || "no address",
        "a network of the plan",
        "the pod names a NetworkAttachmentDefinition the plan does not make",
      ),
    ];
  const az = node ? (providerInstance(node)?.az ?? zoneLabel(node)) : undefined;
  if (entry.ips.length === 0)
    return [wrongRow(subject, property, "no address", `an address in ${range.reservationCidr}`, WAIT_FOR_MULTUS)];
  const instance = node ? providerInstance(node) : undefined;
  const onNode = interfaces.filter((e) => instance !== undefined && e.Attachment?.InstanceId === instance.instanceId);
  return entry.ips.flatMap((ip) => {
    const rangeRow = compared(
      inCidr(ip, range.reservationCidr) && az === range.az,
      subject,
      property,
      az === range.az ? ip : `${ip}, on a node in ${az ?? "an unknown AZ"}`,
      `in ${range.reservationCidr} (${range.network.name} in ${range.az})`,
      "whereabouts handed out an address outside the network's reserved range: its IPPool or the NetworkAttachmentDefinition differs from the plan (npm run deploy -- cni)",
    );
    const eni = onNode.find((e) => interfaceAddresses(e).includes(ip));
    const elsewhere = interfaces.find((e) => interfaceAddresses(e).includes(ip));
    const holds = eni !== undefined && inCidr(eni.PrivateIpAddress, range.subnetCidr);
    const eniRow = compared(
      holds,
      subject,
      `${property}: ${ip} in EC2`,
      eni
        ? `on ${eni.NetworkInterfaceId} (${eni.PrivateIpAddress ?? "?"})`
        : elsewhere
          ? `on ${elsewhere.NetworkInterfaceId} of ${elsewhere.Attachment?.InstanceId ?? "no instance"}`
          : "on no interface",
      `on the Multus interface ${range.interfaceIndex} of ${node?.metadata.name ?? "the pod's node"} (${instance?.instanceId ?? "instance unknown"}, subnet ${range.subnetCidr})`,
      "the VPC drops traffic to an address no interface holds: the pod's ip-assigner sidecar did not assign it (kubectl logs <pod> -c ip-assigner); restarting the pod assigns it again",
    );
    return [rangeRow, eniRow];
  });
}

/**
 * A public network's entry: the pod's address is its node slot's fixed one, and the slot's ENI of the
 * network holds it as its own (primary) address, which Terraform gave it.
 */
function fixedEntryRows(
  subject: string,
  entry: NetworkStatusEntry,
  fixed: MultusSlotAddress,
  node: NodeObject | undefined,
  interfaces: readonly NetworkInterfaceRecord[],
): VerifyRow[] {
  const property = `${entry.name}${entry.interface ? ` (${entry.interface})` : ""}`;
  const slot = node?.metadata.labels?.[NODE_SLOT_LABEL];
  const addressRow = compared(
    entry.ips.length === 1 && entry.ips[0] === fixed.address && slot === fixed.slot.name,
    subject,
    property,
    `${entry.ips.join(", ") || "no address"} on node ${slot ?? node?.metadata.name ?? "unknown"}`,
    `${fixed.address} (${fixed.network.name}'s fixed address on ${fixed.slot.name})`,
    "the pod must run on its slot and take the slot's address: its NetworkAttachmentDefinition or StatefulSet differs from the plan (npm run deploy -- cni workloads)",
  );
  const instance = node ? providerInstance(node) : undefined;
  const eni = interfaces.find(
    (e) =>
      instance !== undefined &&
      e.Attachment?.InstanceId === instance.instanceId &&
      e.PrivateIpAddress === fixed.address,
  );
  const elsewhere = interfaces.find((e) => interfaceAddresses(e).includes(fixed.address));
  const eniRow = compared(
    eni !== undefined,
    subject,
    `${property}: ${fixed.address} in EC2`,
    eni
      ? `the own address of ${eni.NetworkInterfaceId}`
      : elsewhere
        ? `on ${elsewhere.NetworkInterfaceId} (${elsewhere.PrivateIpAddress ?? "?"}) of ${elsewhere.Attachment?.InstanceId ?? "no instance"}`
        : "on no interface",
    `the own address of the Multus interface ${fixed.interfaceIndex} of ${fixed.slot.name} (${instance?.instanceId ?? "instance unknown"})`,
    "the slot's ENI is made with its fixed address as its own: npm run deploy -- nodes (an ENI made before the network was public is replaced, and its node with it)",
  );
  return [addressRow, eniRow];
}

/** Each multusPods workload has its pods in each AZ it runs in (a Deployment per AZ), or on each slot (public networks). */
function workloadRows(env: Environment, pods: readonly PodObject[]): VerifyRow[] {
  const publicPods = multusPublicPods(env);
  return env.workloads.multusPods.flatMap((spec) =>
    isPublicWorkload(env, spec)
      ? publicPods
          .filter((p) => p.spec === spec)
          .map((p) => {
            const there = pods.some((pod) => podKey(pod) === p.podKey);
            const subject = `statefulset ${spec.namespace}/${p.statefulSet}`;
            return there
              ? okRow(subject, "pod with addresses", p.podName, `${p.podName} on ${p.slot.name}`)
              : wrongRow(
                  subject,
                  "pod with addresses",
                  "none",
                  `${p.podName} on ${p.slot.name}`,
                  "the pod is missing or not running: kubectl describe the StatefulSet and its pod (it waits for its node, and then for its sidecar to find its interfaces)",
                );
          })
      : deploymentRows(env, spec, pods),
  );
}

function deploymentRows(env: Environment, spec: MultusPodsSpec, pods: readonly PodObject[]): VerifyRow[] {
  return multusPodsPlacement(env, spec).zones.map((az) => {
    const deployment = multusDeploymentName(spec.name, az);
    const running = pods.filter(
      (p) => p.metadata.namespace === spec.namespace && p.metadata.name.startsWith(`${deployment}-`),
    ).length;
    const subject = `deployment ${spec.namespace}/${deployment}`;
    return running >= spec.replicas
      ? okRow(subject, "pods with addresses", String(running), `${spec.replicas} (replicas)`)
      : wrongRow(
          subject,
          "pods with addresses",
          String(running),
          `${spec.replicas} (replicas)`,
          "pods are missing or not running: kubectl describe their ReplicaSet and pods (a pod waits until its ip-assigner sidecar has assigned its addresses)",
        );
  });
}
