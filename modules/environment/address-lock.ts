/**
 * The address lock: a file beside the environment file (`<env>.addresses.lock`), committed with it,
 * that lists every Elastic IP the environment has ever planned for its public-IP pods, as
 * `<namespace>/<pod>`, and which of them were released. Terraform destroys an `aws_eip` whose block
 * leaves the configuration whatever its prevent_destroy says, so an address dropped from
 * `workloads.publicIpPods[].addresses` by mistake would be released for good; the checks compare the
 * environment with this file and refuse such a list (checks/public-addresses.ts).
 *
 * Who writes it: a synth of a valid environment (`npm run synth`, `npm run synth:hcl`) adds the names
 * it plans and marks the released ones; it never removes a line. Nothing is written for an invalid
 * environment, so a refused list can never be recorded as the new truth.
 *
 * Format: one address a line, `<namespace>/<pod>`, followed by ` released` once the environment has
 * released it; `#` starts a comment. Lines are sorted, so a diff shows exactly what was planned.
 */

export type LockedState = "kept" | "released";

export interface AddressLock {
  /** The lock file, as messages show it. */
  file: string;
  /** namespace/pod -> whether the environment still keeps it or has released it. */
  addresses: ReadonlyMap<string, LockedState>;
  /** Lines that are not an address: reported by the checks, with their line number. */
  unreadable: ReadonlyArray<{ line: number; text: string }>;
}

const ENTRY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)( released)?$/;

/** The lock file of an environment file: `environments/public-pods.yaml` -> `environments/public-pods.addresses.lock`. */
export const addressLockFile = (environmentFile: string): string =>
  environmentFile.replace(/(\.ya?ml)?$/, ".addresses.lock");

export function parseAddressLock(text: string, file: string): AddressLock {
  const addresses = new Map<string, LockedState>();
  const unreadable: Array<{ line: number; text: string }> = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const entry = ENTRY.exec(line);
    if (!entry) unreadable.push({ line: i + 1, text: raw });
    else addresses.set(`${entry[1]}/${entry[3]}`, entry[5] ? "released" : "kept");
  });
  return { file, addresses, unreadable };
}

/** The lock's text for these addresses, sorted, with the header that says what the file is. */
export function formatAddressLock(environmentFileName: string, addresses: ReadonlyMap<string, LockedState>): string {
  const lines = [...addresses]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, state]) => (state === "released" ? `${key} released` : key));
  return [
    `# Every Elastic IP ${environmentFileName} has planned for its public-IP pods (namespace/pod), and`,
    "# which were released. Written by synth, never shortened: commit it with the environment file. An",
    "# address leaves workloads.publicIpPods[].addresses only after release: true (see the README,",
    '# "Pods with their own public Elastic IP").',
    ...lines,
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
