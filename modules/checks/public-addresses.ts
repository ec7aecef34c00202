/**
 * The Elastic IPs of public-IP pods: every pod has one, each names a pod of its StatefulSet, none is
 * listed twice, and none the environment has ever planned goes missing. Terraform destroys an
 * `aws_eip` whose block is gone from the configuration whatever its prevent_destroy says, so an
 * address that partners allow-list may leave only through `release: true`; the address lock beside
 * the environment (environment/address-lock.ts) remembers every name planned.
 */
import { ADDRESS_LINE_FORMS, type AddressLock } from "../environment/address-lock";
import { error, warning, type FieldPath, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { EIP_ASSOCIATOR_CONTAINER, statefulSetPodName } from "../plan/names";
import { podOrdinal, publicAddresses, type PlannedAddress } from "../plan/public-addresses";

const workloadPath = (i: number, ...more: Array<string | number>): FieldPath => [
  "workloads",
  "publicIpPods",
  i,
  ...more,
];
const entryPath = (a: PlannedAddress): FieldPath =>
  a.entryIndex === undefined
    ? workloadPath(a.workloadIndex, "replicas")
    : workloadPath(a.workloadIndex, "addresses", a.entryIndex);

export function checkPublicAddresses(env: Environment, lock?: AddressLock): Problem[] {
  const problems: Problem[] = [];
  const pods = env.workloads.publicIpPods;
  const addresses = publicAddresses(env);
  const seen = new Map<string, PlannedAddress>();
  for (const a of addresses) {
    const first = seen.get(a.key);
    if (first) {
      problems.push(
        error(
          entryPath(a),
          `${a.workload}: the address ${a.key} is listed twice (also at workloads.publicIpPods[${first.workloadIndex}]${first.entryIndex === undefined ? "" : `.addresses[${first.entryIndex}]`}); each pod has one Elastic IP`,
          "remove the second entry",
        ),
      );
    }
    seen.set(a.key, a);
    if (a.ordinal === undefined && !a.release) {
      problems.push(
        error(
          entryPath(a),
          `${a.workload}: the address ${a.name} is named after no pod of StatefulSet ${a.workload}, whose pods are ${statefulSetPodName(a.workload, 0)}, ${statefulSetPodName(a.workload, 1)}, ...; a pod finds its Elastic IP by its own name, so no pod would ever use it`,
          `name it ${a.workload}-<ordinal>, or set release: true on it if it was deployed under this name`,
        ),
      );
    }
  }
  pods.forEach((spec, i) => {
    const own = addresses.filter((a) => a.workloadIndex === i);
    const missing = Array.from({ length: spec.replicas }, (_, n) => statefulSetPodName(spec.name, n)).filter(
      (pod) => !own.some((a) => a.name === pod && !a.release),
    );
    if (missing.length > 0) {
      const released = missing.filter((pod) => own.some((a) => a.name === pod));
      problems.push(
        error(
          workloadPath(i, "addresses"),
          `${spec.name}: replicas is ${spec.replicas}, but ${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no Elastic IP${released.length > 0 ? ` (${released.join(", ")} released)` : ""}; such a pod would wait for its address and never start`,
          `add ${missing.map((p) => (released.includes(p) ? `${p} without release: true` : p)).join(", ")} to addresses, or lower replicas to ${Math.min(...missing.map((p) => podOrdinal(spec.name, p)!))}`,
        ),
      );
    }
    if (spec.name === EIP_ASSOCIATOR_CONTAINER) {
      problems.push(
        error(
          workloadPath(i, "name"),
          `${spec.name}: the app container is named after the workload, and ${EIP_ASSOCIATOR_CONTAINER} is the name of the pods' sidecar`,
          "choose another name",
        ),
      );
    }
    if (spec.keepAddresses === false) {
      problems.push(
        error(
          workloadPath(i, "keepAddresses"),
          `${spec.name}: keepAddresses: false no longer releases addresses; every address is kept (prevent_destroy) until it is released one by one`,
          `remove keepAddresses, and set release: true on each address of addresses to let go (then deploy)`,
        ),
      );
    } else if (spec.keepAddresses === true) {
      problems.push(
        warning(
          workloadPath(i, "keepAddresses"),
          `${spec.name}: keepAddresses has no effect any more: every address is kept until it is released with release: true`,
          "remove keepAddresses",
          "keep-addresses-obsolete",
        ),
      );
    }
  });
  if (lock) problems.push(...lockProblems(env, addresses, lock));
  return problems;
}

/** A planned key's workload: the entry whose namespace and StatefulSet name it matches. */
function workloadOf(env: Environment, key: string): number | undefined {
  const [namespace, pod] = key.split("/");
  const i = env.workloads.publicIpPods.findIndex(
    (spec) => spec.namespace === namespace && podOrdinal(spec.name, pod) !== undefined,
  );
  return i < 0 ? undefined : i;
}

function lockProblems(env: Environment, addresses: PlannedAddress[], lock: AddressLock): Problem[] {
  const problems: Problem[] = lock.unreadable.map((u) =>
    error(
      // The field whose addresses the line would be: a public Multus network's, else a public-IP pod's.
      /^multus\b/.test(u.text) ? ["multus", "networks"] : ["workloads", "publicIpPods"],
      `${lock.file}:${u.line}: "${u.text}" is not an address line (${ADDRESS_LINE_FORMS}, optionally followed by " released")`,
      `restore the line from version control; the file is written by synth, not by hand`,
    ),
  );
  const planned = new Map(addresses.map((a) => [a.key, a]));
  for (const [key, state] of lock.addresses) {
    const now = planned.get(key);
    if (!now && state === "kept") {
      const i = workloadOf(env, key);
      const [, pod] = key.split("/");
      problems.push(
        error(
          i === undefined ? ["workloads", "publicIpPods"] : workloadPath(i, "addresses"),
          `the Elastic IP ${key} was planned (${lock.file}) and is gone from ${i === undefined ? "every publicIpPods entry (a workload renamed, moved to another namespace or removed?)" : `the addresses of ${env.workloads.publicIpPods[i].name}`}; Terraform would release it for good, whatever its prevent_destroy says`,
          i === undefined
            ? `put the workload back as it was, or keep it with { name: ${pod}, release: true } in its addresses to release the address on purpose`
            : `add ${pod} back to addresses (a spare address stays allocated), or { name: ${pod}, release: true } to release it`,
        ),
      );
    } else if (now && state === "released" && !now.release) {
      problems.push(
        warning(
          entryPath(now),
          `${now.workload}: ${key} was released (${lock.file}); listing it again allocates a new Elastic IP, a different public address from the one it had`,
          "keep release: true if the old address was meant, or tell partners the new address after the deploy",
          "released-address-reused",
        ),
      );
    }
  }
  return problems;
}
