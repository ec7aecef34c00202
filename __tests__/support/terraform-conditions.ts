/**
 * Evaluates the custom conditions the stacks write (`lifecycle.postcondition`), offline: `self` is
 * replaced by a local holding the object a data source would read, and `terraform console` (which
 * needs no provider) evaluates each condition. So a test proves a condition holds for what AWS would
 * return when the plan is right, and fails when it is not, without an AWS account.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Condition {
  condition: string;
  error_message: string;
}

/** The expression inside `${...}`, with `self` read from a local. */
function expressionOf(condition: string): string {
  const inner = /^\$\{([\s\S]*)\}$/.exec(condition)?.[1];
  if (inner === undefined) throw new Error(`not an expression: ${condition}`);
  return inner.replace(/\bself\./g, "local.self.").replace(/\n/g, " ");
}

/** Whether each condition holds for `self`, in order. */
export function evaluateConditions(conditions: readonly Condition[], self: unknown): boolean[] {
  const dir = mkdtempSync(join(tmpdir(), "eks-conditions-"));
  try {
    writeFileSync(join(dir, "main.tf"), `locals {\n  self = jsondecode(${JSON.stringify(JSON.stringify(self))})\n}\n`);
    const run = spawnSync("terraform", ["console"], {
      cwd: dir,
      // Piped, the console evaluates its whole input as one expression: a tuple of the conditions.
      input: `[${conditions.map((c) => `(${expressionOf(c.condition)})`).join(", ")}]\n`,
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1" },
      timeout: 30_000,
    });
    // Printed as an HCL tuple: "[", one "true," or "false," per line, "]".
    const values = run.stdout.match(/\b(true|false)\b/g) ?? [];
    if (run.status !== 0 || values.length !== conditions.length)
      throw new Error(`terraform console failed (${run.status}): ${run.stdout}\n${run.stderr}`);
    return values.map((v) => v === "true");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
