/**
 * An environment's identity on disk. Its name picks its output folder and, with local state, its
 * state folder; two files with one name (eu/prod.yaml and us/prod.yaml) would share both, and
 * Terraform would then plan one environment against the other's state. So each folder remembers the
 * file that claimed it (a small JSON file in it), and another file claiming it is refused, naming both.
 * Paths inside the project are remembered relative to it, so moving the checkout changes nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { EnvironmentSelectionError, type LoadedEnvironment } from "./load";

export const PROJECT_ROOT = resolve(__dirname, "../..");

/** The file in an output or state folder that says which environment file it belongs to. */
export const CLAIM_FILE = "eks-environment.json";

interface Claim {
  name: string;
  file: string;
}

/** Another environment file already owns the folder. */
export class EnvironmentIdentityError extends EnvironmentSelectionError {
  name = "EnvironmentIdentityError";
}

const remembered = (path: string): string => {
  const inside = relative(PROJECT_ROOT, path);
  return inside.startsWith("..") || isAbsolute(inside) ? path : inside;
};

const claimOf = (environment: LoadedEnvironment): Claim => ({
  name: environment.name,
  file: remembered(environment.path),
});

function readClaim(folder: string): Claim | undefined {
  const file = join(folder, CLAIM_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const claim = JSON.parse(readFileSync(file, "utf8")) as Partial<Claim>;
    return typeof claim.name === "string" && typeof claim.file === "string" ? (claim as Claim) : undefined;
  } catch {
    return undefined;
  }
}

function writeClaim(folder: string, claim: Claim): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, CLAIM_FILE), JSON.stringify(claim, null, 2) + "\n");
}

const shown = (folder: string) => remembered(folder);

/**
 * Refuses to write an environment's output into a folder another environment file synthesized: the
 * folder holds that environment's initialized backends (`.terraform`), which Terraform would migrate.
 */
export function checkOutputFolder(environment: LoadedEnvironment, outdir: string): void {
  const claim = readClaim(outdir);
  const mine = claimOf(environment);
  if (!claim || (claim.name === mine.name && claim.file === mine.file)) return;
  const owner = claim.name === mine.name ? `another file named ${claim.name}` : `environment ${claim.name}`;
  throw new EnvironmentIdentityError(
    `${shown(outdir)} holds the Terraform of ${owner} (${claim.file}), not of ${mine.name} (${mine.file}); the stacks' initialized backends there belong to it, and Terraform would ask to migrate its state into this one's. Each environment needs its own output folder: use the default (cdktf.out.<name>, as npm run synth, deploy and destroy do) or --output, and give environments that share a base name their own name: field.`,
  );
}

/** Records which environment file an output folder belongs to (after a synth into it). */
export function claimOutputFolder(environment: LoadedEnvironment, outdir: string): void {
  writeClaim(outdir, claimOf(environment));
}

/** The folder of an environment's local state files, or undefined for remote state. */
export function localStateFolder(environment: LoadedEnvironment): string | undefined {
  const { backend } = environment.env;
  return backend.type === "local" ? resolve(PROJECT_ROOT, backend.directory, environment.name) : undefined;
}

/**
 * With local state: refuses when another environment file has claimed the state folder this one's
 * name points at; adopts an unclaimed folder that already holds state (from before claims existed).
 */
export function checkLocalState(environment: LoadedEnvironment): void {
  const folder = localStateFolder(environment);
  if (!folder) return;
  const claim = readClaim(folder);
  const mine = claimOf(environment);
  if (!claim) {
    if (existsSync(folder) && readdirSync(folder).some((f) => f.endsWith(".tfstate"))) writeClaim(folder, mine);
    return;
  }
  if (claim.file === mine.file) return;
  throw new EnvironmentIdentityError(
    `${shown(folder)} holds the Terraform state of ${claim.file}, and ${mine.file} claims it too (both are named ${mine.name}); deploying it would plan against the other file's resources. Give one of them its own name: field. If ${mine.file} is the same environment moved, delete ${shown(join(folder, CLAIM_FILE))} to let it take over.`,
  );
}

/** Records which environment file owns the local state folder (before a deploy can create state there). */
export function claimLocalState(environment: LoadedEnvironment): void {
  const folder = localStateFolder(environment);
  if (folder && !readClaim(folder)) writeClaim(folder, claimOf(environment));
}
