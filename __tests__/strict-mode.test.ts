/**
 * Warnings have stable ids; an environment file acknowledges a warning by its id, and strict mode
 * (--strict, EKS_STRICT=1) fails on every warning it does not acknowledge. CI runs the shipped
 * environments in strict mode (.ci/run), and so does this test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { WARNINGS, WARNING_IDS } from "../modules/environment/warnings";
import { edited, FIXTURE_ENVIRONMENTS_DIR, load, rejection, writeEnvironmentFile } from "./support/environments";
import { REFUSED_INPUTS } from "./support/refused-inputs";

const CHECKS_DIR = join(__dirname, "..", "modules", "checks");

/** Every `warning(...)` call in the checks, with the id it passes (undefined when not a string literal). */
function warningCalls(): Array<{ where: string; id: string | undefined }> {
  const calls: Array<{ where: string; id: string | undefined }> = [];
  for (const file of readdirSync(CHECKS_DIR).filter((f) => f.endsWith(".ts"))) {
    const path = join(CHECKS_DIR, file);
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "warning") {
        const last = node.arguments[3];
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        calls.push({ where: `${file}:${line}`, id: last && ts.isStringLiteral(last) ? last.text : undefined });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

describe("warning ids", () => {
  it("every warning the checks can give passes a literal id listed in warnings.ts", () => {
    const calls = warningCalls();
    expect(calls.length).toBeGreaterThan(15);
    for (const call of calls)
      expect(call).toEqual({ where: call.where, id: expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/) });
    const unlisted = calls.filter((c) => !WARNING_IDS.includes(c.id as never));
    expect(unlisted).toEqual([]);
  });

  it("every listed id is given by some check (none is left over from a warning that was removed)", () => {
    const given = new Set(warningCalls().map((c) => c.id));
    expect(WARNING_IDS.filter((id) => !given.has(id))).toEqual([]);
  });

  it("every warning any fixture or refused input gives at run time carries a listed id", () => {
    const texts = [
      ...readdirSync(FIXTURE_ENVIRONMENTS_DIR).map((f) => readFileSync(join(FIXTURE_ENVIRONMENTS_DIR, f), "utf8")),
      ...REFUSED_INPUTS.map((c) => c.text),
    ];
    let warnings = 0;
    for (const text of texts) {
      let problems;
      try {
        problems = load(text).warnings;
      } catch (e) {
        problems = (e as { problems?: Array<{ severity: string; id?: string }> }).problems ?? [];
      }
      for (const p of problems.filter((p) => p.severity === "warning")) {
        warnings++;
        expect(WARNING_IDS).toContain(p.id);
      }
    }
    expect(warnings).toBeGreaterThan(0);
  });

  it("the JSON Schema offers the ids to editors and describes each", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "environments", "environment.schema.json"), "utf8"));
    const field = schema.properties.acknowledgedWarnings;
    expect(field.propertyNames.enum).toEqual(WARNING_IDS);
    for (const id of WARNING_IDS) expect(field.description).toContain(`${id} (${WARNINGS[id]})`);
  });
});

describe("acknowledging warnings", () => {
  const open = (acknowledged?: Record<string, string>) =>
    edited("demo", (d) => {
      if (acknowledged) d.acknowledgedWarnings = acknowledged;
    });

  it("marks an acknowledged warning with the file's reason, prints it as acknowledged, without the fix", () => {
    const loaded = load(open({ "open-api-endpoint": "reached from anywhere on purpose" }));
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ id: "open-api-endpoint", acknowledged: "reached from anywhere on purpose" }),
    ]);
    expect(loaded.report).toMatch(
      /warning: cluster\.endpoint\.publicAccessCidrs: .* \[open-api-endpoint, acknowledged\]\n {2}acknowledged: reached from anywhere on purpose$/,
    );
  });

  it("prints an unacknowledged warning with its id, so the reader knows what to acknowledge", () => {
    expect(load(open()).report).toMatch(/\(0\.0\.0\.0\/0\) \[open-api-endpoint\]\n {2}fix: /);
  });

  it("warns about an acknowledgement whose warning no longer fires", () => {
    const loaded = load(open({ "open-api-endpoint": "x", "macvlan-network": "no longer used" }));
    expect(loaded.warnings.find((w) => w.id === "unused-acknowledgement")).toMatchObject({
      path: ["acknowledgedWarnings", "macvlan-network"],
      message: expect.stringContaining("acknowledges macvlan-network, which this environment no longer gives"),
    });
  });

  it("refuses an empty reason", () => {
    const e = rejection(open({ "open-api-endpoint": "" }));
    expect(e.report).toContain("acknowledgedWarnings.open-api-endpoint");
  });
});

describe("strict mode", () => {
  const unacknowledged = edited("demo", () => undefined);

  it("fails on a warning the file does not acknowledge, saying so and how to acknowledge it", () => {
    let error: { failures: number; message: string; report: string } | undefined;
    try {
      load(unacknowledged);
    } catch {
      throw new Error("not strict: a warning alone must not fail");
    }
    try {
      loadEnvironment({ EKS_ENV_FILE: writeTemp(unacknowledged), EKS_STRICT: "1" });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.failures).toBe(1);
    expect(error?.message).toMatch(
      /: 1 unacknowledged warning in the environment, in strict mode; nothing was synthesized/,
    );
    expect(error?.report).toContain("acknowledge it by its id in acknowledgedWarnings (id: why)");
  });

  it("passes a warning the file acknowledges", () => {
    const file = writeTemp(edited("demo", (d) => (d.acknowledgedWarnings = { "open-api-endpoint": "on purpose" })));
    expect(loadEnvironment({ EKS_ENV_FILE: file }, { strict: true }).warnings).toHaveLength(1);
  });

  it("EKS_STRICT takes 1, true or yes; anything else is not strict", () => {
    const file = writeTemp(unacknowledged);
    for (const value of ["1", "true", "TRUE", "yes"])
      expect(() => loadEnvironment({ EKS_ENV_FILE: file, EKS_STRICT: value })).toThrow(/strict mode/);
    for (const value of ["", "0", "false"])
      expect(() => loadEnvironment({ EKS_ENV_FILE: file, EKS_STRICT: value })).not.toThrow();
  });

  it.each(environmentNames())("shipped environment %s passes strict mode (as CI runs it)", (name) => {
    expect(() => loadEnvironment({ EKS_ENV: name, EKS_STRICT: "1" })).not.toThrow();
  });
});

const writeTemp = (text: string): string => writeEnvironmentFile("strict", text);
