/**
 * The benchmark: whole processes, as a user runs them, timed with GNU time (wall seconds and peak
 * resident memory), median of several runs. Budgets are checked and printed; the README records a run.
 *
 *   npm run bench [-- --runs 5] [--skip-ts-node] [--skip-tests]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { stacksOf } from "../modules/plan/names";
import { SCALING_CASES, scalingEnvironment } from "./bench-environments";
import { UsageError, parseFlags, runCommand } from "./command";

const TIME = "/usr/bin/time";
const LOADER = ["-r", "./scripts/typescript-loader.js", "main.ts"];

interface Measurement {
  seconds: number;
  megabytes: number;
}

/** Runs a command `runs` times under GNU time; the median of each figure. */
function measure(command: string[], env: Record<string, string>, runs: number): Measurement {
  const samples: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const outdir = mkdtempSync(join(tmpdir(), "eks-bench-"));
    const run = spawnSync(TIME, ["-f", "BENCH %e %M", ...command], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    rmSync(outdir, { recursive: true, force: true });
    const figures = /BENCH ([\d.]+) (\d+)/.exec(run.stderr ?? "");
    if (run.status !== 0 || !figures)
      throw new Error(`${command.join(" ")} failed (${run.status}):\n${(run.stderr ?? "").slice(-2000)}`);
    samples.push({ seconds: Number(figures[1]), megabytes: Number(figures[2]) / 1024 });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { seconds: median(samples.map((s) => s.seconds)), megabytes: median(samples.map((s) => s.megabytes)) };
}

const fmt = (m: Measurement) => `${m.seconds.toFixed(2)} s  ${m.megabytes.toFixed(0).padStart(4)} MB`;

function row(cells: string[], widths: number[]): string {
  return `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [
    row(header, widths),
    row(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
    ...rows.map((r) => row(r, widths)),
  ].join("\n");
}

/**
 * Least-squares line through (size, seconds) points; `excess` is how far the largest size lies above
 * it. Super-linear growth lifts the last point; noise within 0.15 s or 10% does not count.
 */
function growth(points: ReadonlyArray<readonly [number, number]>): { slope: number; excess: number; linear: boolean } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const slope =
    points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const [lastX, lastY] = points[n - 1];
  const excess = lastY - (my + slope * (lastX - mx));
  return { slope, excess, linear: excess <= Math.max(0.15, 0.1 * lastY) };
}

function main(argv: string[]): number {
  const values = parseFlags(argv, {
    runs: { type: "string", default: "5" },
    "skip-ts-node": { type: "boolean" },
    "skip-tests": { type: "boolean" },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new UsageError(`--runs takes a whole number of at least 1, got "${values.runs}"`);
  if (!existsSync(TIME)) {
    console.error(`${TIME} (GNU time) is needed for wall time and peak memory; on Debian: apt-get install time`);
    return 2;
  }
  console.log(
    `Benchmark on ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, median of ${runs} runs\n`,
  );

  // Warm the loader's transform cache first, so every measured run is a run of an unchanged project.
  measure(["node", ...LOADER], { EKS_ENV: "demo" }, 1);
  const cdktfLoad = measure(["node", "-e", 'require("cdktf")'], {}, runs);
  const synths = environmentNames().map((name) => ({ name, m: measure(["node", ...LOADER], { EKS_ENV: name }, runs) }));
  const npmSynth = measure(["npm", "run", "--silent", "synth"], { EKS_ENV: "demo" }, runs);
  // verify on a recorded state: the plan and the comparison, without cdktf or the AWS SDK.
  const verifyFrom = measure(
    ["npm", "run", "--silent", "verify", "--", "--from", join(PROJECT_ROOT, "__tests__/fixtures/recorded/demo")],
    { EKS_ENV: "demo" },
    runs,
  );
  const demo = synths.find((s) => s.name === "demo")!.m;
  const rows = [
    ["node -e 'require(\"cdktf\")' (baseline)", fmt(cdktfLoad), "1.0x"],
    ...synths.map(({ name, m }) => [
      `app synth, ${name} (${stacksOf(loadEnvironment({ EKS_ENV: name }).env).length} stacks)`,
      fmt(m),
      `${(m.seconds / cdktfLoad.seconds).toFixed(1)}x`,
    ]),
    ["npm run synth (demo)", fmt(npmSynth), `${(npmSynth.seconds / cdktfLoad.seconds).toFixed(1)}x`],
    [
      "npm run verify -- --from (demo, recorded state)",
      fmt(verifyFrom),
      `${(verifyFrom.seconds / cdktfLoad.seconds).toFixed(1)}x`,
    ],
  ];
  let tsNode: Measurement | undefined;
  if (!values["skip-ts-node"]) {
    tsNode = measure(["npx", "ts-node", "main.ts"], { EKS_ENV: "demo" }, Math.min(runs, 3));
    rows.push([
      "app synth, demo, as cdktf init runs it (npx ts-node main.ts)",
      fmt(tsNode),
      `${(tsNode.seconds / cdktfLoad.seconds).toFixed(1)}x`,
    ]);
  }
  console.log(table(["what", "time    memory", "vs cdktf load"], rows));
  if (tsNode)
    console.log(
      `\nts-node with type checking takes ${(tsNode.seconds / demo.seconds).toFixed(1)}x the time and ${(tsNode.megabytes / demo.megabytes).toFixed(1)}x the memory of our loader.`,
    );

  // Scaling: generated environments, one dimension at a time.
  const dir = mkdtempSync(join(tmpdir(), "eks-bench-env-"));
  const scaling = SCALING_CASES.map((c) => {
    const file = join(dir, `bench-${c.zones}az-${c.publicIpPods}pods.yaml`);
    writeFileSync(file, scalingEnvironment(c));
    return { ...c, m: measure(["node", ...LOADER], { EKS_ENV_FILE: file }, runs) };
  });
  rmSync(dir, { recursive: true, force: true });
  const pods = [...new Set(SCALING_CASES.map((c) => c.publicIpPods))];
  const zones = [...new Set(SCALING_CASES.map((c) => c.zones))];
  const at = (z: number, p: number) => scaling.find((s) => s.zones === z && s.publicIpPods === p)!.m;
  console.log("\nScaling (app synth, all stacks): rows AZs, columns public-IP pods\n");
  console.log(
    table(
      ["AZs", ...pods.map((p) => `${p} pods`)],
      zones.map((z) => [String(z), ...pods.map((p) => fmt(at(z, p)))]),
    ),
  );

  let testSeconds: number | undefined;
  if (!values["skip-tests"]) {
    testSeconds = measure(["npx", "jest", "--silent"], {}, 1).seconds;
    console.log(`\nFull test suite (npx jest): ${testSeconds.toFixed(1)} s`);
  }

  // Growth: averaging the other dimension's columns, fit a line through the three sizes; growth is
  // at most linear when the largest size sits no higher above the line than timing noise.
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const byZones = zones.map((z) => [z, mean(pods.map((p) => at(z, p).seconds))] as const);
  const byPods = pods.map((p) => [p, mean(zones.map((z) => at(z, p).seconds))] as const);
  const azFit = growth(byZones);
  const podFit = growth(byPods);
  console.log(
    `\nGrowth: ${(azFit.slope * 1000).toFixed(0)} ms per AZ, ${(podFit.slope * 1000).toFixed(1)} ms per public-IP pod`,
  );

  const budgets: Array<[string, boolean]> = [
    [
      `demo app synth within 4x loading cdktf (${(demo.seconds / cdktfLoad.seconds).toFixed(1)}x)`,
      demo.seconds <= 4 * cdktfLoad.seconds,
    ],
    [`demo app synth under 200 MB (${demo.megabytes.toFixed(0)} MB)`, demo.megabytes < 200],
    [`npm run synth under 2.5 s (${npmSynth.seconds.toFixed(2)} s)`, npmSynth.seconds < 2.5],
    [`npm run verify -- --from under 1.5 s (${verifyFrom.seconds.toFixed(2)} s)`, verifyFrom.seconds < 1.5],
    [
      `time grows at most linearly with AZs (${azFit.excess.toFixed(2)} s above the line at ${zones[zones.length - 1]} AZs)`,
      azFit.linear,
    ],
    [
      `time grows at most linearly with public-IP pods (${podFit.excess.toFixed(2)} s above the line at ${pods[pods.length - 1]} pods)`,
      podFit.linear,
    ],
  ];
  if (testSeconds !== undefined)
    budgets.push([`full test suite under 30 s (${testSeconds.toFixed(1)} s)`, testSeconds < 30]);
  console.log("\nBudgets");
  for (const [what, ok] of budgets) console.log(`  ${ok ? "ok  " : "OVER"}  ${what}`);
  return budgets.every(([, ok]) => ok) ? 0 : 1;
}

const USAGE = `usage: npm run bench [-- --runs 5] [--skip-ts-node] [--skip-tests]
Times whole-process synths (median of --runs), the scaling table and the test suite; checks the budgets.
`;

if (require.main === module) {
  const io = { out: process.stdout, err: process.stderr };
  process.exitCode = runCommand(
    { name: "bench", usage: USAGE, onInvalidEnvironment: "no benchmark", body: () => main(process.argv.slice(2)) },
    io,
  );
}
