/**
 * The layer rules of .dependency-cruiser.cjs can fail: each case builds a tiny tree with the
 * project's folder names and one forbidden import, runs dependency-cruiser with the project's
 * configuration on it, and expects exactly that rule to fire. (`npm run lint` runs the same rules
 * on the project itself.)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

type Violation = { from: string; rule: string };

/** Runs the project's rules over a tree of files (path -> content); returns every violation. */
function cruise(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), "eks-layers-"));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", moduleResolution: "node" } }),
    );
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    const roots = ["modules", "stacks", "scripts"].filter((d) => Object.keys(files).some((f) => f.startsWith(`${d}/`)));
    const result = spawnSync(
      process.execPath,
      [DEPCRUISE, ...roots, "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "json"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    const report = JSON.parse(result.stdout) as {
      summary: { violations: Array<{ from: string; rule: { name: string } }> };
    };
    return report.summary.violations.map((v) => ({ from: v.from, rule: v.rule.name }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const leaf = "export const value = 1;\n";

const clean: Record<string, string> = {
  "modules/environment/schema.ts": leaf,
  "modules/plan/rule.ts": 'import { value } from "../environment/schema";\nexport const plan = value;\n',
  "modules/checks/check.ts": 'import { plan } from "../plan/rule";\nexport const check = plan;\n',
  "modules/k8s/object.ts": 'import { plan } from "../plan/rule";\nexport const object = plan;\n',
  "modules/constructs/thing.ts":
    'import { object } from "../k8s/object";\nimport { Construct } from "constructs";\nexport const thing = [object, Construct];\n',
  "stacks/stack.ts": 'import { thing } from "../modules/constructs/thing";\nexport const stack = thing;\n',
  "modules/verify/verdict.ts":
    'import { plan } from "../plan/rule";\nimport { object } from "../k8s/object";\nexport const verdict = [plan, object];\n',
  "modules/live/reader.ts":
    'import { request } from "node:https";\nimport { plan } from "../plan/rule";\nexport const reader = [request, plan];\n',
  "scripts/verify.ts":
    'import { verdict } from "../modules/verify/verdict";\nimport { reader } from "../modules/live/reader";\nexport const verify = [verdict, reader];\n',
};

const CASES: Array<[string, string, Record<string, string>]> = [
  [
    "the plan imports a check",
    "plan-layer",
    {
      "modules/checks/c.ts": leaf,
      "modules/plan/p.ts": 'import { value } from "../checks/c";\nexport const p = value;\n',
    },
  ],
  [
    "a check imports a construct",
    "checks-layer",
    {
      "modules/constructs/c.ts": leaf,
      "modules/checks/k.ts": 'import { value } from "../constructs/c";\nexport const k = value;\n',
    },
  ],
  [
    "a Kubernetes builder imports a construct",
    "k8s-layer",
    {
      "modules/constructs/c.ts": leaf,
      "modules/k8s/o.ts": 'import { value } from "../constructs/c";\nexport const o = value;\n',
    },
  ],
  [
    "a construct imports a check",
    "constructs-layer",
    {
      "modules/checks/c.ts": leaf,
      "modules/constructs/x.ts": 'import { value } from "../checks/c";\nexport const x = value;\n',
    },
  ],
  [
    "the environment imports the plan",
    "environment-layer",
    {
      "modules/plan/p.ts": leaf,
      "modules/environment/e.ts": 'import { value } from "../plan/p";\nexport const e = value;\n',
    },
  ],
  [
    "a stack imports a check",
    "stacks-never-import-checks",
    {
      "modules/checks/c.ts": leaf,
      "stacks/s.ts": 'import { value } from "../modules/checks/c";\nexport const s = value;\n',
    },
  ],
  [
    "a module imports a stack",
    "nothing-imports-stacks",
    {
      "stacks/s.ts": leaf,
      "modules/constructs/x.ts": 'import { value } from "../../stacks/s";\nexport const x = value;\n',
    },
  ],
  [
    "a module imports a script",
    "nothing-imports-scripts",
    {
      "scripts/s.ts": leaf,
      "modules/plan/p.ts": 'import { value } from "../../scripts/s";\nexport const p = value;\n',
    },
  ],
  [
    "the plan imports cdktf",
    "pure-layers-have-no-cdktf",
    { "modules/plan/p.ts": 'import { Fn } from "cdktf";\nexport const p = Fn;\n' },
  ],
  [
    "the verify layer imports a construct",
    "verify-layer",
    {
      "modules/constructs/c.ts": leaf,
      "modules/verify/v.ts": 'import { value } from "../constructs/c";\nexport const v = value;\n',
    },
  ],
  [
    "the verify layer imports cdktf",
    "pure-layers-have-no-cdktf",
    { "modules/verify/v.ts": 'import { Fn } from "cdktf";\nexport const v = Fn;\n' },
  ],
  [
    "the verify layer reads a file",
    "verify-does-no-io",
    { "modules/verify/v.ts": 'import { readFileSync } from "node:fs";\nexport const v = readFileSync;\n' },
  ],
  [
    "a live reader imports the verify layer",
    "live-layer",
    {
      "modules/verify/v.ts": leaf,
      "modules/live/r.ts": 'import { value } from "../verify/v";\nexport const r = value;\n',
    },
  ],
  [
    "the plan imports the verify layer",
    "plan-layer",
    {
      "modules/verify/v.ts": leaf,
      "modules/plan/p.ts": 'import { value } from "../verify/v";\nexport const p = value;\n',
    },
  ],
  [
    "a script imports the AWS SDK",
    "aws-sdk-only-in-live",
    { "scripts/s.ts": 'import { EC2Client } from "@aws-sdk/client-ec2";\nexport const s = EC2Client;\n' },
  ],
  [
    "two plan files import each other",
    "no-circular",
    {
      "modules/plan/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
      "modules/plan/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    },
  ],
];

/** Each case's files get a prefix of their own, so all cases run in one tree and one process. */
const renamed = (i: number, files: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(files).map(([path, content]) => [
      path.replace(/([^/]+)\.ts$/, `case${i}-$1.ts`),
      content.replace(/from "(\.[^"]*\/)([^/"]+)"/g, `from "$1case${i}-$2"`),
    ]),
  );

describe("the layer rules", () => {
  const cases = CASES.map(([what, rule, files], i) => ({ what, rule, files: renamed(i, files) }));
  const found = cruise(Object.assign({}, clean, ...cases.map((c) => c.files)));
  const from = (files: Record<string, string>) => found.filter((v) => v.from in files).map((v) => v.rule);

  it("pass a tree that keeps the layers", () => {
    expect(from(clean)).toEqual([]);
  });

  it.each(cases.map((c) => [c.what, c.rule, c] as const))("fail when %s (%s)", (_, rule, c) => {
    expect([...new Set(from(c.files))]).toEqual([rule]);
  });
});
