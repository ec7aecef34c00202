/**
 * The address lock: a file beside the environment file (`<env>.addresses.lock`), committed with it,
 * that lists every Elastic IP the environment has ever planned, and which of them were released:
 * the public-IP pods' (as `<namespace>/<pod>`) and those of pods on public Multus networks (by their
 * Name, with the network and the node slot they belong to). Terraform destroys an `aws_eip` whose
 * block leaves the configuration whatever its prevent_destroy says, so an address dropped by mistake
 * (a name left out of `workloads.publicIpPods[].addresses`, a Multus node group made smaller) would
 * be released for good; the checks compare the environment with this file and refuse such a plan
 * (checks/public-addresses.ts, checks/multus-public-addresses.ts).
 *
 * Who writes it: a synth of a valid environment (`npm run synth`, `npm run synth:hcl`) adds the names
 * it plans and marks the released ones; it never removes a line. Nothing is written for an invalid
 * environment, so a refused plan can never be recorded as the new truth.
 *
 * Format: one address a line, followed by ` released` once the environment has released it; `#`
 * starts a comment. A public-IP pod's address is `<namespace>/<pod>`; a public Multus network's is
 * `multus <network> <node slot> <namespace>/<name>`, name being the Elastic IP's Name tag
 * (plan/names.ts multusPublicIpName). Lines are sorted, each kind apart, so a diff shows exactly
 * what was planned.
 */

export type LockedState = "kept" | "released";

/** A public Multus network's Elastic IP as the lock records it. */
export interface LockedMultusAddress {
  /** The public network it is on. */
  network: string;
  /** The node slot (`<group>-<index>`) whose fixed address it is associated with. */
  slot: string;
  state: LockedState;
}

export interface AddressLock {
  /** The lock file, as messages show it. */
  file: string;
  /** Public-IP pods: namespace/pod -> whether the environment still keeps it or has released it. */
  addresses: ReadonlyMap<string, LockedState>;
  /** Public Multus networks: namespace/name (the Elastic IP's Name tag) -> its network, slot and state. */
  multus: ReadonlyMap<string, LockedMultusAddress>;
  /** Lines that are not an address: reported by the checks, with their line number. */
  unreadable: ReadonlyArray<{ line: number; text: string }>;
}

const NAME = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?";
const ENTRY = new RegExp(`^(${NAME}/${NAME})( released)?$`);
const MULTUS_ENTRY = new RegExp(`^multus (${NAME}) (${NAME}) (${NAME}/${NAME})( released)?$`);

/** What an address line looks like, for the message about one that is not. */
export const ADDRESS_LINE_FORMS = "namespace/pod, or multus <network> <node slot> namespace/name";

/** The lock file of an environment file: `environments/public-pods.yaml` -> `environments/public-pods.addresses.lock`. */
export const addressLockFile = (environmentFile: string): string =>
  environmentFile.replace(/(\.ya?ml)?$/, ".addresses.lock");

export function parseAddressLock(text: string, file: string): AddressLock {
  const addresses = new Map<string, LockedState>();
  const multus = new Map<string, LockedMultusAddress>();
  const unreadable: Array<{ line: number; text: string }> = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const entry = ENTRY.exec(line);
    const multusEntry = MULTUS_ENTRY.exec(line);
    if (entry) addresses.set(entry[1], entry[2] ? "released" : "kept");
    else if (multusEntry)
      multus.set(multusEntry[3], {
        network: multusEntry[1],
        slot: multusEntry[2],
        state: multusEntry[4] ? "released" : "kept",
      });
    else unreadable.push({ line: i + 1, text: raw });
  });
  return { file, addresses, multus, unreadable };
}

const sortedLines = (lines: string[]): string[] => lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The lock's text for these addresses, sorted, with the header that says what the file is. */
export function formatAddressLock(
  environmentFileName: string,
  addresses: ReadonlyMap<string, LockedState>,
  multus: ReadonlyMap<string, LockedMultusAddress> = new Map(),
): string {
  const released = (state: LockedState) => (state === "released" ? " released" : "");
  return [
    `# Every Elastic IP ${environmentFileName} has planned, and which were released. Written by synth,`,
    "# never shortened: commit it with the environment file. A public-IP pod's address (namespace/pod)",
    "# leaves workloads.publicIpPods[].addresses only after release: true; the address of a pod on a",
    "# public Multus network (multus <network> <node slot> namespace/name) leaves the plan only once its",
    '# name is in the network\'s public.release. See the README, "Pods with their own public Elastic IP".',
    ...sortedLines([...addresses].map(([key, state]) => `${key}${released(state)}`)),
    ...sortedLines([...multus].map(([key, a]) => `multus ${a.network} ${a.slot} ${key}${released(a.state)}`)),
    "",
  ].join("\n");
}

/**
 * The lock after a synth of a valid environment: every address it had, plus the ones planned now;
 * planned addresses are `kept` or `released` as the environment says, the others keep their state.
 */
export function updatedAddressLock(
  locked: ReadonlyMap<string, LockedState>,
  planned: ReadonlyArray<{ key: string; release: boolean }>,
): Map<string, LockedState> {
  const next = new Map(locked);
  for (const address of planned) next.set(address.key, address.release ? "released" : "kept");
  return next;
}

/**
 * The Multus part of the lock after a synth of a valid environment: every address it had, plus the
 * ones the environment names now (planned, or released by name), as `kept` or `released`.
 */
export function updatedMultusLock(
  locked: ReadonlyMap<string, LockedMultusAddress>,
  recorded: ReadonlyArray<{ key: string; network: string; slot: string; release: boolean }>,
): Map<string, LockedMultusAddress> {
  const next = new Map(locked);
  for (const a of recorded)
    next.set(a.key, { network: a.network, slot: a.slot, state: a.release ? "released" : "kept" });
  return next;
}
