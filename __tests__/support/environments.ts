import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ENVIRONMENTS_DIR, parseEnvironment, type LoadedEnvironment } from "../../modules/load/load";
import { InvalidEnvironmentError } from "../../modules/environment/problems";
import { synthesize } from "../../stacks/app";

// Environment files are plain data; tests edit them as such.
export type Editable = any;

/**
 * Environments the rule tests start from: copies of the shipped ones and edge cases, apart from the
 * shipped examples, so editing an example never breaks a rule's test.
 */
export const FIXTURE_ENVIRONMENTS_DIR = join(__dirname, "..", "fixtures", "environments");

/** A fixture environment's text (fixtures/environments/<name>.yaml). */
export function environmentText(name: string): string {
  return readFileSync(join(FIXTURE_ENVIRONMENTS_DIR, `${name}.yaml`), "utf8");
}

/** A shipped environment's text (environments/<name>.yaml). */
export function shippedEnvironmentText(name: string): string {
  return readFileSync(join(ENVIRONMENTS_DIR, `${name}.yaml`), "utf8");
}

/** A fixture environment's text with an edit applied. */
export function edited(name: string, edit: (doc: Editable) => void): string {
  const doc = parse(environmentText(name));
  edit(doc);
  return stringify(doc);
}

/** Writes an environment file named `<name>.yaml` in a fresh temporary directory. */
export function writeEnvironmentFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "eks-env-")), `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Loads an environment file as the commands do (validated; throws InvalidEnvironmentError). */
export function loadFile(file: string): LoadedEnvironment {
  return parseEnvironment(readFileSync(file, "utf8"), file);
}

export function load(text: string, file = "environments/test.yaml"): LoadedEnvironment {
  return parseEnvironment(text, file);
}

/**
 * Runs an environment that must be rejected through the same path as `npm run synth` (written to a
 * file, chosen with EKS_ENV_FILE) and returns the error. Fails unless it was rejected with nothing
 * written: no output directory may exist afterwards, and the address lock (`lock`, written beside the
 * file when given) is as it was.
 */
export function rejection(
  text: string,
  name = "test",
  lock?: string,
  /** Other files of the folder (file name -> text), e.g. the environment a `network.from` names. */
  siblings: Record<string, string> = {},
): InvalidEnvironmentError {
  const dir = mkdtempSync(join(tmpdir(), "eks-reject-"));
  const file = join(dir, `${name}.yaml`);
  const lockFile = join(dir, `${name}.addresses.lock`);
  const outdir = join(dir, "cdktf.out");
  writeFileSync(file, text);
  if (lock !== undefined) writeFileSync(lockFile, lock);
  for (const [sibling, content] of Object.entries(siblings)) writeFileSync(join(dir, sibling), content);
  try {
    synthesize({ EKS_ENV_FILE: file }, outdir);
  } catch (e) {
    if (!(e instanceof InvalidEnvironmentError)) throw e;
    expect(e.file).toBe(file);
    expect(existsSync(outdir)).toBe(false);
    expect(existsSync(lockFile) ? readFileSync(lockFile, "utf8") : undefined).toBe(lock);
    return e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`${name}: the environment was accepted`);
}
