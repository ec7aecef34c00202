/**
 * No user input reaches a `throw` outside the checks: every fixture and every refused input, run
 * through `npm run synth` (in process), ends in a written synthesis (exit 0) or a report (exit 1),
 * never in a stack trace or an internal error (exit 70).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../scripts/synth";
import { FIXTURE_ENVIRONMENTS_DIR, writeEnvironmentFile } from "./support/environments";
import { REFUSED_INPUTS } from "./support/refused-inputs";

const cases: Array<[string, string, 0 | 1]> = [
  ...readdirSync(FIXTURE_ENVIRONMENTS_DIR).map((f): [string, string, 0 | 1] => [
    `fixture ${f}`,
    readFileSync(join(FIXTURE_ENVIRONMENTS_DIR, f), "utf8"),
    0,
  ]),
  ...REFUSED_INPUTS.map((c): [string, string, 0 | 1] => [c.name, c.text, 1]),
];

describe("every fixture and every refused input through npm run synth: no stack trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-no-trace-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)("%s", (name, text, expected) => {
    const file = writeEnvironmentFile(name.replace(/\W+/g, "-").slice(0, 40), text);
    const out: string[] = [];
    const stream = { write: (t: string) => out.push(t) } as unknown as NodeJS.WritableStream;
    const code = run(["--output", join(dir, name.replace(/\W+/g, "-"))], stream, stream, { EKS_ENV_FILE: file });
    const output = out.join("");
    expect(output).not.toContain("internal error");
    expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(code).toBe(expected);
  });
});
