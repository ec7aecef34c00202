/**
 * Compares a recorded (or freshly read) live state with an environment's plan: runs every check
 * whose files are there, says which were skipped and why. Pure: the same state and environment
 * always give the same report.
 */
import { multusCheck } from "./checks/multus";
import { nodesCheck } from "./checks/nodes";
import { podsCheck, servicesCheck } from "./checks/pods";
import { publicIpsCheck } from "./checks/public-ips";
import { reservationsCheck } from "./checks/reservations";
import { subnetsCheck } from "./checks/subnets";
import { awsNodeCheck, eniConfigsCheck } from "./checks/vpc-cni";
import { RECORDED_FILES } from "./recorded-state";
import {
  VERIFY_SCHEMA_VERSION,
  type CheckDefinition,
  type CheckReport,
  type VerifyInput,
  type VerifyReport,
  type VerifySource,
} from "./report";

/** In report order. */
export const CHECKS: readonly CheckDefinition[] = [
  nodesCheck,
  podsCheck,
  servicesCheck,
  awsNodeCheck,
  eniConfigsCheck,
  subnetsCheck,
  reservationsCheck,
  publicIpsCheck,
  multusCheck,
];

export function verify(input: VerifyInput & { file: string }, source: VerifySource): VerifyReport {
  const checks = CHECKS.map((check): CheckReport => {
    const files = check.needs.map((key) => RECORDED_FILES[key].file);
    const missing = check.needs.filter((key) => input.state[key] === undefined).map((key) => RECORDED_FILES[key].file);
    const base = { id: check.id, title: check.title, files, missing };
    if (missing.length > 0) return { ...base, status: "skipped", rows: [] };
    const outcome = check.run(input);
    const status = outcome.rows.some((r) => r.status === "wrong") ? "wrong" : "ok";
    return { ...base, status, ...(outcome.note === undefined ? {} : { note: outcome.note }), rows: outcome.rows };
  });
  const count = (status: CheckReport["status"]) => checks.filter((c) => c.status === status).length;
  return {
    schemaVersion: VERIFY_SCHEMA_VERSION,
    environment: { name: input.environmentName, file: input.file },
    cluster: { name: input.env.cluster.name, region: input.env.region },
    source,
    result: count("wrong") > 0 ? "wrong" : "ok",
    summary: { ok: count("ok"), wrong: count("wrong"), skipped: count("skipped") },
    checks,
  };
}
