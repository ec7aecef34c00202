/**
 * The Elastic IPs of public-IP pods, from `workloads.publicIpPods[].addresses`: one per entry, named
 * after the StatefulSet pod that holds it (<name>-<ordinal>), independent of `replicas`. An address
 * whose ordinal is below replicas is a running pod's; one at or above it is a spare that stays
 * allocated (a scale-up finds it); one with `release: true` is given up on the next deploy.
 *
 * The address is found at run time by the pod's own sidecar through its tags (POD_TAG =
 * namespace/pod), so nothing in the plan depends on a pod existing.
 */
import type { Environment, PublicIpPodsSpec } from "../environment/schema";
import { statefulSetPodName } from "./names";

/** What an address is for: a pod of the StatefulSet, a spare kept allocated, or one to release. */
export type AddressUse = "pod" | "spare" | "release";

export interface PlannedAddress {
  /** Index of the publicIpPods entry. */
  workloadIndex: number;
  /** Index in its `addresses` list; undefined when the list is absent (one per replica). */
  entryIndex: number | undefined;
  workload: string;
  namespace: string;
  /** The pod that holds it, which is also the address's name. */
  name: string;
  /** namespace/pod: the value of its POD_TAG tag, and its line in the address lock. */
  key: string;
  /** The StatefulSet ordinal its name stands for; undefined when the name is no pod of the StatefulSet. */
  ordinal: number | undefined;
  release: boolean;
  use: AddressUse;
}

export const addressKey = (namespace: string, pod: string): string => `${namespace}/${pod}`;

/** The ordinal of `<statefulSet>-<n>` (n without leading zeros), or undefined. */
export function podOrdinal(statefulSet: string, pod: string): number | undefined {
  if (!pod.startsWith(`${statefulSet}-`)) return undefined;
  const rest = pod.slice(statefulSet.length + 1);
  return /^(0|[1-9]\d{0,8})$/.test(rest) ? Number(rest) : undefined;
}

/** The entries of a workload's address list, a name alone read as { name, release: false }. */
export function addressEntries(spec: PublicIpPodsSpec): Array<{ name: string; release: boolean; index?: number }> {
  if (!spec.addresses)
    return Array.from({ length: spec.replicas }, (_, i) => ({
      name: statefulSetPodName(spec.name, i),
      release: false,
    }));
  return spec.addresses.map((a, index) =>
    typeof a === "string" ? { name: a, release: false, index } : { name: a.name, release: a.release, index },
  );
}

export function workloadAddresses(spec: PublicIpPodsSpec, workloadIndex: number): PlannedAddress[] {
  return addressEntries(spec).map((entry) => {
    const ordinal = podOrdinal(spec.name, entry.name);
    const use: AddressUse = entry.release
      ? "release"
      : ordinal !== undefined && ordinal < spec.replicas
        ? "pod"
        : "spare";
    return {
      workloadIndex,
      entryIndex: entry.index,
      workload: spec.name,
      namespace: spec.namespace,
      name: entry.name,
      key: addressKey(spec.namespace, entry.name),
      ordinal,
      release: entry.release,
      use,
    };
  });
}

/** Every address of every public-IP workload, in file order. */
export function publicAddresses(env: Pick<Environment, "workloads">): PlannedAddress[] {
  return env.workloads.publicIpPods.flatMap((spec, i) => workloadAddresses(spec, i));
}

/** The addresses Terraform keeps allocated: every one not released. */
export const allocatedAddresses = (env: Pick<Environment, "workloads">): PlannedAddress[] =>
  publicAddresses(env).filter((a) => !a.release);
