/**
 * The Elastic IPs of pods on public Multus networks as the address lock sees them: every one the
 * plan names now (released or not), and those the lock remembers that a network releases by name
 * though no pod has them any more (a node group made smaller, a slot gone). Terraform destroys an
 * `aws_eip` whose block leaves the configuration whatever its prevent_destroy says, so the lock
 * (environment/address-lock.ts) keeps every name ever planned, and only public.release lets one go.
 * Pure: no cdktf, no files.
 */
import type { LockedMultusAddress } from "../environment/address-lock";
import type { Environment, MultusNetworkSpec } from "../environment/schema";
import { isPublicNetwork, isReleased, multusPublicIpKey, multusPublicPods } from "./multus-public";

/** A public Multus network's Elastic IP the plan names: one of a pod, whether released or not. */
export interface PlannedMultusPublicIp {
  /** namespace/name: its line in the address lock. */
  key: string;
  name: string;
  network: string;
  networkIndex: number;
  slot: string;
  podKey: string;
  released: boolean;
}

/** Every Elastic IP the pods on public Multus networks have now, released or not, in plan order. */
export function plannedMultusPublicIps(env: Environment): PlannedMultusPublicIp[] {
  return multusPublicPods(env).flatMap((pod) =>
    pod.addresses.map(({ slotAddress, publicIpName, released }) => ({
      key: multusPublicIpKey(pod.spec.namespace, publicIpName),
      name: publicIpName,
      network: slotAddress.network.name,
      networkIndex: slotAddress.networkIndex,
      slot: pod.slot.name,
      podKey: pod.podKey,
      released,
    })),
  );
}

/** The public network of this name, with its index, if the environment has one. */
export function publicNetworkNamed(
  env: Pick<Environment, "multus">,
  name: string,
): { network: MultusNetworkSpec; index: number } | undefined {
  const index = env.multus?.networks.findIndex((n) => n.name === name && isPublicNetwork(n)) ?? -1;
  return index < 0 ? undefined : { network: env.multus!.networks[index], index };
}

/** What a synth records in the lock's Multus part: one line per name, kept or released. */
export interface MultusLockRecord {
  key: string;
  network: string;
  slot: string;
  release: boolean;
}

/**
 * What a synth of a valid environment records: every Elastic IP planned now (released when its
 * network's public.release names it), and every one the lock keeps that no pod has now and that its
 * network releases by name. (One that no pod has and no network releases is refused by the checks,
 * so it never reaches a synth.)
 */
export function multusLockRecords(
  env: Environment,
  locked: ReadonlyMap<string, LockedMultusAddress>,
): MultusLockRecord[] {
  const planned = plannedMultusPublicIps(env);
  const plannedKeys = new Set(planned.map((a) => a.key));
  const releasedGone = [...locked]
    .filter(([key, a]) => !plannedKeys.has(key) && a.state === "kept")
    .filter(([key, a]) => {
      const named = publicNetworkNamed(env, a.network);
      return named !== undefined && isReleased(named.network, key);
    })
    .map(([key, a]) => ({ key, network: a.network, slot: a.slot, release: true }));
  return [
    ...planned.map((a) => ({ key: a.key, network: a.network, slot: a.slot, release: a.released })),
    ...releasedGone,
  ];
}
