/**
 * The Elastic IPs of pods on public Multus networks on day two (issue 15, fault 4 for Multus). One
 * `aws_eip` per (pod, public network), and a pod per node slot: when a slot goes (a smaller node
 * group, fewer multusInterfaces, a range or node group removed or renamed), its Elastic IPs' blocks
 * leave the configuration, and Terraform releases them whatever their prevent_destroy says. The
 * address lock (environment/address-lock.ts) remembers every name planned; a plan that loses one is
 * refused, naming what lost it, until the network's public.release names it.
 */
import type { AddressLock, LockedMultusAddress } from "../environment/address-lock";
import { error, formatPath, warning, type FieldPath, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { isPublicWorkload, multusPublicIpKey, multusSlotAddresses, releaseNames } from "../plan/multus-public";
import { multusPublicIpName, multusStatefulSetName, statefulSetPodName } from "../plan/names";
import { plannedMultusPublicIps, publicNetworkNamed, type PlannedMultusPublicIp } from "../plan/multus-public-ips";
import { nodeSlots } from "../plan/node-slots";
import { closest } from "../spelling/edit-distance";

const releasePath = (networkIndex: number, ...more: Array<string | number>): FieldPath => [
  "multus",
  "networks",
  networkIndex,
  "public",
  "release",
  ...more,
];
const nameOf = (key: string): string => key.slice(key.indexOf("/") + 1);
const them = (n: number, one: string, many: string): string => (n === 1 ? one : many);

export function checkMultusPublicAddresses(env: Environment, context: { addressLock?: AddressLock }): Problem[] {
  const lock = context.addressLock;
  const planned = plannedMultusPublicIps(env);
  return [
    ...networkProblems(env, planned, lock),
    ...releasedInUse(planned),
    ...(lock ? lostAddresses(env, planned, lock) : []),
    ...(lock ? reusedAddresses(planned, lock) : []),
  ];
}

/** keepAddresses, which release replaces, and release entries that name no Elastic IP of the network. */
function networkProblems(env: Environment, planned: PlannedMultusPublicIp[], lock?: AddressLock): Problem[] {
  const problems: Problem[] = [];
  (env.multus?.networks ?? []).forEach((network, i) => {
    if (!network.public) return;
    const mine = planned.filter((a) => a.networkIndex === i);
    if (network.public.keepAddresses === false) {
      problems.push(
        error(
          ["multus", "networks", i, "public", "keepAddresses"],
          `${network.name}: keepAddresses: false no longer releases addresses; every Elastic IP of the network is kept (prevent_destroy) until it is released by name`,
          `remove keepAddresses, and list the Elastic IPs to let go in multus.networks[${i}].public.release (then deploy)${mine.length > 0 ? `: ${mine.map((a) => a.name).join(", ")}` : ""}`,
        ),
      );
    } else if (network.public.keepAddresses === true) {
      problems.push(
        warning(
          ["multus", "networks", i, "public", "keepAddresses"],
          `${network.name}: keepAddresses has no effect any more: every Elastic IP of the network is kept until it is released by name in public.release`,
          "remove keepAddresses",
          "keep-addresses-obsolete",
        ),
      );
    }
    const known = [
      ...mine.map((a) => a.key),
      ...[...(lock?.multus ?? [])].filter(([, a]) => a.network === network.name).map(([key]) => key),
    ];
    network.public.release.forEach((entry, r) => {
      const first = network.public!.release.indexOf(entry);
      if (first < r) {
        problems.push(
          error(
            releasePath(i, r),
            `${network.name}: ${entry} is listed twice (also at release[${first}])`,
            "list it once",
          ),
        );
      } else if (!known.some((key) => releaseNames(entry, key))) {
        const names = [...new Set(known.map(nameOf))];
        const near = closest(nameOf(entry), names);
        problems.push(
          error(
            releasePath(i, r),
            `${network.name}: ${entry} names no Elastic IP of ${network.name}: none is planned under that name${lock ? ` or recorded in ${lock.file}` : ""} (${names.length > 0 ? `its Elastic IPs: ${names.join(", ")}` : "it has none"})`,
            near ? `did you mean ${near}?` : "remove it",
          ),
        );
      }
    });
  });
  return problems;
}

/** A released name whose pod still runs: the pod keeps its interface and address, without a public address. */
function releasedInUse(planned: PlannedMultusPublicIp[]): Problem[] {
  const byNetwork = new Map<number, PlannedMultusPublicIp[]>();
  for (const a of planned.filter((p) => p.released))
    byNetwork.set(a.networkIndex, [...(byNetwork.get(a.networkIndex) ?? []), a]);
  return [...byNetwork].map(([i, released]) =>
    warning(
      releasePath(i),
      `${released[0].network}: ${released.map((a) => `${a.name} (pod ${a.podKey} on node slot ${a.slot})`).join(", ")} ${them(released.length, "is", "are")} released while the pod still runs: the next npm run deploy -- workloads releases the Elastic IP, and the pod's interface on ${released[0].network} keeps its fixed address without a public one`,
      `to keep a public address there, take ${released.map((a) => a.name).join(", ")} out of release (an Elastic IP already released comes back as a new address); to let a node slot go, lower its node group's desiredSize`,
      "multus-public-address-released",
    ),
  );
}

/** Why a locked Elastic IP has no pod now: the field responsible, and how to put it back. */
interface LossCause {
  path: FieldPath;
  because: string;
  /** How to restore it; `need` is the largest figure the lost names need (a size, an interface index). */
  restore: (need: number) => string;
  need: number;
  /** Whether the network that would release it is gone or private (then it must come back to release). */
  networkGone: boolean;
}

function lossCause(env: Environment, key: string, locked: LockedMultusAddress): LossCause {
  const networks = env.multus?.networks ?? [];
  const index = networks.findIndex((n) => n.name === locked.network);
  const gone = (path: FieldPath, because: string, restore: string): LossCause => ({
    path,
    because,
    restore: () => restore,
    need: 0,
    networkGone: true,
  });
  if (index < 0)
    return gone(
      ["multus", "networks"],
      `network ${locked.network} is gone from multus.networks (renamed or removed?)`,
      `put ${locked.network} back as it was`,
    );
  const network = networks[index];
  if (!network.public)
    return gone(
      ["multus", "networks", index],
      `${network.name} is no longer public`,
      `make ${network.name} public again`,
    );
  const cause = (path: FieldPath, because: string, restore: (need: number) => string, need = 0): LossCause => ({
    path,
    because,
    restore,
    need,
    networkGone: false,
  });
  const slotName = /^(.+)-(0|[1-9]\d*)$/.exec(locked.slot);
  const groupIndex = env.nodeGroups.findIndex((g) => g.name === slotName?.[1]);
  if (!slotName || groupIndex < 0)
    return cause(
      ["nodeGroups"],
      `node group ${slotName?.[1] ?? locked.slot} is gone (renamed or removed?), and its node slots with it`,
      () => `put node group ${slotName?.[1] ?? locked.slot} back as it was`,
    );
  const group = env.nodeGroups[groupIndex];
  const slotIndex = Number(slotName[2]);
  if (group.multusInterfaces === 0 || slotIndex >= group.desiredSize) {
    const now = group.multusInterfaces === 0 ? 0 : group.desiredSize;
    return cause(
      ["nodeGroups", groupIndex, group.multusInterfaces === 0 ? "multusInterfaces" : "desiredSize"],
      group.multusInterfaces === 0
        ? `node group ${group.name} has no Multus interfaces now, so none of its node slots exists`
        : `node group ${group.name} runs ${now} Multus node${now === 1 ? "" : "s"} now (desiredSize ${now}), so its slots from ${group.name}-${now} on are gone`,
      (need) =>
        group.multusInterfaces === 0
          ? `set multusInterfaces of ${group.name} back to ${network.interfaceIndex}`
          : `set desiredSize (and minSize, maxSize) of ${group.name} back to ${need}`,
      slotIndex + 1,
    );
  }
  if (group.multusInterfaces < network.interfaceIndex)
    return cause(
      ["nodeGroups", groupIndex, "multusInterfaces"],
      `node group ${group.name} has multusInterfaces ${group.multusInterfaces} now, and ${network.name} rides on interface ${network.interfaceIndex}`,
      (need) => `set multusInterfaces of ${group.name} back to ${need}`,
      network.interfaceIndex,
    );
  const slot = nodeSlots(env).find((s) => s.name === locked.slot)!;
  if (!Object.hasOwn(network.ranges, slot.az))
    return cause(
      ["multus", "networks", index, "ranges"],
      `${network.name} has no range in ${slot.az} now, where node slot ${slot.name} is`,
      () => `put the range of ${network.name} in ${slot.az} back`,
    );
  if (!multusSlotAddresses(env).some((a) => a.network === network && a.slot.name === slot.name))
    return cause(
      ["multus", "networks", index, "ranges", slot.az],
      `${network.name}'s range in ${slot.az} has no fixed address left for node slot ${slot.name}`,
      () => `make the range of ${network.name} in ${slot.az} as large as it was`,
    );
  const workload = env.workloads.multusPods.findIndex(
    (spec) => spec.networks.includes(network.name) && isPublicWorkload(env, spec),
  );
  if (workload < 0)
    return cause(
      ["workloads", "multusPods"],
      `no workload of workloads.multusPods is on ${network.name} now (removed, or ${network.name} taken out of its networks?)`,
      () => `put the workload on ${network.name} back as it was`,
    );
  const spec = env.workloads.multusPods[workload];
  const ownName = multusPublicIpName(statefulSetPodName(multusStatefulSetName(spec.name, slot.name), 0), network.name);
  return key === multusPublicIpKey(spec.namespace, ownName)
    ? cause(
        ["workloads", "multusPods", workload, "networks"],
        `${spec.name} runs no pod on node slot ${slot.name} now: its pods go to node slots with every interface its networks (${spec.networks.join(", ")}) ride on, in zones where each of them has a range, and ${slot.name} (${slot.az}) is no longer one`,
        () =>
          `put back what placed ${spec.name} on ${slot.name} (the ranges of its networks in ${slot.az}, the multusInterfaces of ${slot.group.name})`,
      )
    : cause(
        ["workloads", "multusPods", workload],
        `${spec.name} (namespace ${spec.namespace}) names its Elastic IPs otherwise now (renamed, or moved to another namespace?)`,
        () => `put the name and namespace of ${spec.name} back as they were`,
      );
}

/** Locked names that no pod has now and that no network releases: refused, grouped by what lost them. */
function lostAddresses(env: Environment, planned: PlannedMultusPublicIp[], lock: AddressLock): Problem[] {
  const plannedKeys = new Set(planned.map((a) => a.key));
  const groups = new Map<string, { cause: LossCause; lost: Array<[string, LockedMultusAddress]> }>();
  for (const [key, locked] of lock.multus) {
    if (locked.state !== "kept" || plannedKeys.has(key)) continue;
    const named = publicNetworkNamed(env, locked.network);
    if (named && named.network.public!.release.some((entry) => releaseNames(entry, key))) continue;
    const cause = lossCause(env, key, locked);
    const id = `${formatPath(cause.path)}\n${cause.because}`;
    const group = groups.get(id) ?? { cause, lost: [] };
    group.lost.push([key, locked]);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ cause, lost }) => {
    const n = lost.length;
    const need = Math.max(...lost.map(([key, locked]) => lossCause(env, key, locked).need));
    const byNetwork = new Map<string, string[]>();
    for (const [key, locked] of lost) byNetwork.set(locked.network, [...(byNetwork.get(locked.network) ?? []), key]);
    const releases = [...byNetwork]
      .map(([network, keys]) => {
        const index = env.multus?.networks.findIndex((x) => x.name === network) ?? -1;
        return `${keys.map(nameOf).join(", ")} to ${index < 0 ? `the public.release of ${network}` : `multus.networks[${index}].public.release`}`;
      })
      .join(", and ");
    return error(
      cause.path,
      `the Elastic IP${n === 1 ? "" : "s"} ${lost.map(([key, l]) => `${key} (${l.network}, node slot ${l.slot})`).join(", ")} ${them(n, "was", "were")} planned (${lock.file}) and ${them(n, "is", "are")} gone from the plan: ${cause.because}; Terraform would release ${them(n, "it", "them")} for good, whatever ${them(n, "its", "their")} prevent_destroy says`,
      cause.networkGone
        ? `${cause.restore(need)}, or, to release ${them(n, "it", "them")} on purpose, keep the network public and add ${releases} until a synth has recorded the release in ${lock.file}, then remove it`
        : `${cause.restore(need)}, or release ${them(n, "it", "them")} on purpose: add ${releases} (the next npm run deploy -- workloads releases ${them(n, "it", "them")})`,
    );
  });
}

/** A released name planned again: a new Elastic IP, not the address partners knew. */
function reusedAddresses(planned: PlannedMultusPublicIp[], lock: AddressLock): Problem[] {
  return planned
    .filter((a) => !a.released && lock.multus.get(a.key)?.state === "released")
    .map((a) =>
      warning(
        releasePath(a.networkIndex),
        `${a.network}: ${a.key} was released (${lock.file}); planning it again for pod ${a.podKey} allocates a new Elastic IP, a different public address from the one it had`,
        `list ${a.name} in release again if the old address was meant, or tell partners the new address after the deploy`,
        "released-address-reused",
      ),
    );
}
