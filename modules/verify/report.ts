/**
 * What `npm run verify` reports: per check, one row per thing it compared (ok or wrong, what it
 * found, what the plan says) and the fix for each wrong one. `--json` prints a VerifyReport.
 */
import type { Environment } from "../environment/schema";
import type { RecordedState, StateKey } from "./recorded-state";

/** The JSON shape's version. Fields are only added; a change of meaning bumps it. */
export const VERIFY_SCHEMA_VERSION = 1;

export type CheckId =
  "nodes" | "pods" | "services" | "aws-node" | "eniconfigs" | "subnets" | "reservations" | "public-ips" | "multus";

export interface VerifyRow {
  status: "ok" | "wrong";
  /** What was looked at: `node ip-172-16-1-57.ec2.internal`, `pod bootcamp/kubernetes-bootcamp-5d9f-abcde`. */
  subject: string;
  /** Which of its properties: `allocatable pods`, `address`. */
  property: string;
  /** The live value. */
  found: string;
  /** What the plan says it must be. */
  expected: string;
  /** For a wrong row: what to do. */
  fix?: string;
}

export interface CheckReport {
  id: CheckId;
  title: string;
  /** skipped: a file it needs was not recorded (see `missing`). */
  status: "ok" | "wrong" | "skipped";
  /** The recorded files it reads. */
  files: string[];
  /** Of those, the ones that were not there. */
  missing: string[];
  /** A sentence about the check as a whole ("nothing planned: ..."), when there is one. */
  note?: string;
  rows: VerifyRow[];
}

export type VerifySource =
  | { kind: "recorded"; directory: string }
  | {
      kind: "live";
      /** The kubeconfig context and API server read. */
      context: string;
      server: string;
      /** The VPC found by the subnets' tags, if any. */
      vpcId?: string;
      /** Where --record wrote the files. */
      recordedTo?: string;
    };

export interface VerifyReport {
  schemaVersion: typeof VERIFY_SCHEMA_VERSION;
  environment: { name: string; file: string };
  cluster: { name: string; region: string };
  source: VerifySource;
  /** wrong when any row is wrong; skipped checks do not make it wrong. */
  result: "ok" | "wrong";
  summary: { ok: number; wrong: number; skipped: number };
  checks: CheckReport[];
}

export interface VerifyInput {
  env: Environment;
  /** The environment's name (its file name): its resources carry it in the Environment tag. */
  environmentName: string;
  state: RecordedState;
}

export interface CheckOutcome {
  rows: VerifyRow[];
  note?: string;
}

export interface CheckDefinition {
  id: CheckId;
  title: string;
  /** Files without which it cannot run. */
  needs: StateKey[];
  run(input: VerifyInput): CheckOutcome;
}

export const okRow = (subject: string, property: string, found: string, expected: string): VerifyRow => ({
  status: "ok",
  subject,
  property,
  found,
  expected,
});

export const wrongRow = (
  subject: string,
  property: string,
  found: string,
  expected: string,
  fix: string,
): VerifyRow => ({
  status: "wrong",
  subject,
  property,
  found,
  expected,
  fix,
});

/** ok when the values agree, else wrong with the fix. */
export const compared = (
  holds: boolean,
  subject: string,
  property: string,
  found: string,
  expected: string,
  fix: string,
): VerifyRow => (holds ? okRow(subject, property, found, expected) : wrongRow(subject, property, found, expected, fix));

/** The part of the state a check declared it needs; the runner only calls a check when it is there. */
export function needed<K extends StateKey>(state: RecordedState, key: K): NonNullable<RecordedState[K]> {
  const value = state[key];
  if (value === undefined) throw new Error(`internal error: a check ran without ${key}`);
  return value as NonNullable<RecordedState[K]>;
}
