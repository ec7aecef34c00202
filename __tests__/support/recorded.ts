/**
 * Recorded live states for verify's tests: fixtures/recorded/<env>/, written by hand in the JSON
 * shape of the kubectl and aws commands verify names (literal values, never produced by the code
 * under test), and edits of them, each changing one literal thing.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readRecordedState, type RecordedFileName } from "../../modules/verify/recorded-state";
import type { VerifyReport } from "../../modules/verify/report";
import { verify } from "../../modules/verify/verify";
import { environmentText, load } from "./environments";

export const RECORDED_DIR = join(__dirname, "..", "fixtures", "recorded");

export type RecordedTexts = Partial<Record<RecordedFileName, string>>;

/** The files of a recorded state, by name. */
export function recorded(name: string): RecordedTexts {
  const dir = join(RECORDED_DIR, name);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** The state with one file's JSON edited in place by `edit`. */
export function editedState(texts: RecordedTexts, file: RecordedFileName, edit: (doc: any) => void): RecordedTexts {
  const doc = JSON.parse(texts[file] ?? "null");
  edit(doc);
  return { ...texts, [file]: JSON.stringify(doc, null, 4) + "\n" };
}

/** The state without some files. */
export function without(texts: RecordedTexts, ...files: RecordedFileName[]): RecordedTexts {
  return Object.fromEntries(Object.entries(texts).filter(([f]) => !files.includes(f as RecordedFileName)));
}

/** Verifies a state against a fixture environment (fixtures/environments/<environment>.yaml). */
export function verifyState(environment: string, texts: RecordedTexts): VerifyReport {
  const loaded = load(environmentText(environment), `environments/${environment}.yaml`);
  return verify(
    { env: loaded.env, environmentName: loaded.name, file: loaded.file, state: readRecordedState(texts) },
    { kind: "recorded", directory: "test" },
  );
}

/** Writes a state to a fresh directory (for the command). */
export function writeState(texts: RecordedTexts): string {
  const dir = mkdtempSync(join(tmpdir(), "eks-recorded-"));
  for (const [file, text] of Object.entries(texts)) writeFileSync(join(dir, file), text ?? "");
  return dir;
}

/** The ids of the checks that found something wrong. */
export const wrongChecks = (report: VerifyReport): string[] =>
  report.checks.filter((c) => c.status === "wrong").map((c) => c.id);

/** The wrong rows of every check. */
export const wrongRows = (report: VerifyReport) =>
  report.checks.flatMap((c) => c.rows.filter((r) => r.status === "wrong").map((r) => ({ check: c.id, ...r })));
