/**
 * Public-IP pods: each planned pod has its Elastic IP (tagged with the pod, in the environment's
 * cluster), associated with the pod's current address (on the interface that holds it, when the
 * interfaces were recorded); and no Elastic IP of the environment is associated with an address its
 * own pod does not hold (a pod that restarted elsewhere, or one that is gone). A pod on public Multus
 * networks has one Elastic IP per network, associated with its node slot's fixed address on that
 * network's ENI, whether or not the pod runs.
 */
import { CLUSTER_NAME_TAG, MULTUS_NETWORK_LABEL, POD_TAG } from "../../plan/labels";
import { multusPublicPods } from "../../plan/multus-public";
import { publicAddresses } from "../../plan/public-addresses";
import { holdsPodAddress, interfaceAddresses, podKey, tagMap } from "../cluster-view";
import type { AddressRecord, NetworkInterfaceRecord, PodObject } from "../recorded-state";
import { compared, needed, okRow, wrongRow, type CheckDefinition, type VerifyRow } from "../report";

const REASSOCIATE =
  "the pod's eip-associator sidecar moves its Elastic IP to the pod's address as the pod starts: read why it did not (kubectl logs <pod> -c eip-associator), or delete the pod to have it tried again";

export const publicIpsCheck: CheckDefinition = {
  id: "public-ips",
  title: "each public-IP pod's Elastic IP on its current address",
  needs: ["pods", "addresses"],
  run({ env, state }) {
    const pods = needed(state, "pods");
    const interfaces = state.networkInterfaces;
    // The environment's pod addresses: tagged with a pod, in this cluster (the provider's default tags).
    const addresses = needed(state, "addresses").filter((a) => {
      const tags = tagMap(a.Tags);
      return POD_TAG in tags && tags[CLUSTER_NAME_TAG] === env.cluster.name;
    });
    const podOf = (a: AddressRecord) => tagMap(a.Tags)[POD_TAG];
    const networkOf = (a: AddressRecord) => tagMap(a.Tags)[MULTUS_NETWORK_LABEL];
    // The pods of the StatefulSets (ordinals below replicas); a spare address is planned but has no pod.
    const plannedPods = publicAddresses(env)
      .filter((a) => a.use === "pod")
      .map((a) => a.key);
    const multusAddresses = multusPublicPods(env).flatMap((p) =>
      p.addresses.map((a) => ({
        key: p.podKey,
        network: a.slotAddress.network.name,
        fixed: a.slotAddress,
        released: a.released,
      })),
    );
    // A released one (public.release) has no Elastic IP in the plan: the next deploy releases it.
    const plannedMultus = multusAddresses.filter((m) => !m.released);
    const releasedMultus = (a: AddressRecord) =>
      multusAddresses.some((m) => m.released && m.key === podOf(a) && m.network === networkOf(a));
    const planned = (a: AddressRecord) =>
      networkOf(a) === undefined
        ? plannedPods.includes(podOf(a))
        : plannedMultus.some((m) => m.key === podOf(a) && m.network === networkOf(a));
    const rows: VerifyRow[] = [];
    for (const { key, network, fixed } of plannedMultus) {
      const subject = `pod ${key}`;
      const mine = addresses.filter((a) => podOf(a) === key && networkOf(a) === network);
      const expected = `on ${fixed.address} (${fixed.slot.name}'s fixed address on ${network})`;
      if (mine.length !== 1) {
        rows.push(
          wrongRow(
            subject,
            `Elastic IP on ${network}`,
            mine.length === 0 ? "none tagged with the pod and network" : mine.map((a) => a.PublicIp).join(", "),
            `exactly one, ${expected}`,
            "npm run deploy -- workloads allocates one Elastic IP per pod and public network",
          ),
        );
        continue;
      }
      const [address] = mine;
      // Which interface holds it; that it is the ENI's own address is the multus check's.
      const eni = interfaces?.find((e) => interfaceAddresses(e).includes(fixed.address));
      rows.push(
        compared(
          address.PrivateIpAddress === fixed.address &&
            (interfaces === undefined || address.NetworkInterfaceId === eni?.NetworkInterfaceId),
          subject,
          `Elastic IP on ${network}`,
          `${address.PublicIp} on ${address.PrivateIpAddress ?? "nothing (not associated)"}${address.NetworkInterfaceId ? ` of ${address.NetworkInterfaceId}` : ""}`,
          `${address.PublicIp} ${expected}${eni ? ` of ${eni.NetworkInterfaceId}` : ""}`,
          "npm run deploy -- workloads associates it with the slot's ENI and address (they do not depend on the pod)",
        ),
      );
    }
    for (const key of plannedPods) {
      const subject = `pod ${key}`;
      const mine = addresses.filter((a) => podOf(a) === key && networkOf(a) === undefined);
      const pod = pods.find((p) => podKey(p) === key);
      if (mine.length !== 1) {
        rows.push(
          wrongRow(
            subject,
            "Elastic IP",
            mine.length === 0 ? `none tagged ${POD_TAG}=${key}` : mine.map((a) => a.PublicIp).join(", "),
            "exactly one",
            "npm run deploy -- workloads allocates one Elastic IP per entry of workloads.publicIpPods[].addresses",
          ),
        );
        continue;
      }
      rows.push(associationRow(subject, mine[0], pod, interfaces));
    }
    for (const address of addresses.filter((a) => !planned(a) && releasedMultus(a))) {
      rows.push(
        wrongRow(
          `Elastic IP ${address.PublicIp}`,
          "allocation",
          `allocated${address.PrivateIpAddress ? `, on ${address.PrivateIpAddress}` : ""} (${podOf(address)} on ${networkOf(address)})`,
          `released: ${networkOf(address)}'s public.release names it`,
          "npm run deploy -- workloads releases it",
        ),
      );
    }
    for (const address of addresses.filter((a) => !planned(a) && !releasedMultus(a))) {
      const subject = `Elastic IP ${address.PublicIp}`;
      const expected = `not associated: ${podOf(address)} is not a pod of the plan`;
      rows.push(
        address.PrivateIpAddress === undefined
          ? okRow(subject, "association", "not associated (kept)", expected)
          : wrongRow(
              subject,
              "association",
              `${address.PrivateIpAddress}${holder(address.PrivateIpAddress, pods)}`,
              expected,
              "an address of a pod the plan no longer has still sends traffic to whoever holds that private address: disassociate it (aws ec2 disassociate-address) or release it",
            ),
      );
    }
    const note =
      rows.length === 0
        ? `nothing planned: no public-IP pods, and no Elastic IP tagged ${POD_TAG} in cluster ${env.cluster.name}`
        : undefined;
    return { rows, note };
  },
};

function associationRow(
  subject: string,
  address: AddressRecord,
  pod: PodObject | undefined,
  interfaces: readonly NetworkInterfaceRecord[] | undefined,
): VerifyRow {
  const found = `${address.PublicIp} on ${address.PrivateIpAddress ?? "nothing (not associated)"}`;
  if (!pod || !holdsPodAddress(pod)) {
    const expected = `${address.PublicIp} on the pod's address, but the pod ${pod ? "has none (not running)" : "does not exist"}`;
    const fix = "start the pod (its StatefulSet); its eip-associator sidecar associates the address as it starts";
    return address.PrivateIpAddress === undefined
      ? wrongRow(subject, "Elastic IP", found, expected, fix)
      : wrongRow(subject, "Elastic IP", `${found}${holder(address.PrivateIpAddress, [])}`, expected, fix);
  }
  const podIp = pod.status?.podIP ?? "";
  const expected = `${address.PublicIp} on ${podIp} (the pod's address)`;
  if (address.PrivateIpAddress !== podIp) return wrongRow(subject, "Elastic IP", found, expected, REASSOCIATE);
  if (interfaces) {
    const holderEni = interfaces.find((e) => interfaceAddresses(e).includes(podIp));
    if (holderEni?.NetworkInterfaceId !== address.NetworkInterfaceId) {
      return wrongRow(
        subject,
        "Elastic IP",
        `${found} of ${address.NetworkInterfaceId ?? "no interface"}`,
        `${expected} of ${holderEni?.NetworkInterfaceId ?? "the interface holding it"}`,
        REASSOCIATE,
      );
    }
  }
  return okRow(subject, "Elastic IP", found, expected);
}

/** ` (held by pod ns/name)` or ` (held by no pod)`. */
function holder(address: string, pods: readonly PodObject[]): string {
  const pod = pods.find((p) => holdsPodAddress(p) && p.status?.podIP === address);
  return pod ? ` (held by pod ${podKey(pod)})` : " (held by no pod)";
}
