/**
 * `npm run synth` (scripts/synth.ts, which main.ts runs, as the cdktf CLI does through cdktf.json):
 * flags, where the output goes, and how its reports read under the cdktf CLI, which prints an app's
 * stderr as "[ERROR]" lines and repeats all of its output when it exits non-zero.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../modules/load/identity";
import { runCommand } from "../scripts/command";
import { run } from "../scripts/synth";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";

function synth(argv: string[], vars: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
  const code = run(argv, stream(out), stream(err), vars);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const fixture = (name: string) => join(__dirname, "fixtures", "environments", `${name}.yaml`);
/** A fixture whose local state goes to a temporary folder: under the CLI the app claims it. */
const isolated = (name: string) => {
  const state = mkdtempSync(join(tmpdir(), "eks-state-"));
  return writeEnvironmentFile(
    name,
    edited(name, (d) => (d.backend = { type: "local", directory: state })),
  );
};
const invalid = () =>
  writeEnvironmentFile(
    "broken",
    edited("demo", (d) => (d.cluster.serviceCidr = "172.16.5.0/24")),
  );
const count = (text: string, part: string) => text.split(part).length - 1;

describe("npm run synth", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "eks-synth-cmd-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("--help prints the usage on stdout, exits 0 and writes nothing", () => {
    const before = readdirSync(PROJECT_ROOT).sort();
    const result = synth(["--help"], { EKS_ENV: "demo", INIT_CWD: dir });
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^usage: .*npm run synth/), stderr: "" });
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(PROJECT_ROOT).sort()).toEqual(before);
  });

  it("an unknown flag exits 2 with the usage, writing nothing", () => {
    const result = synth(["--ouput", "x"], { EKS_ENV: "demo", INIT_CWD: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/synth: Unknown option '--ouput'[\s\S]*usage:/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--output is taken from where the command was started (INIT_CWD), and the folder remembers its environment", () => {
    const result = synth(["--output", "out"], { EKS_ENV_FILE: fixture("demo"), INIT_CWD: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote ${join(dir, "out")}: network, cluster, cni, nodes, workloads\n`);
    expect(existsSync(join(dir, "out", "manifest.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "out", "eks-environment.json"), "utf8"))).toEqual({
      name: "demo",
      file: "__tests__/fixtures/environments/demo.yaml",
    });
    // Its warning is printed once, on stderr, as a warning.
    expect(count(result.stderr, "warning: cluster.endpoint.publicAccessCidrs")).toBe(1);
  });

  it("honours CDKTF_OUTDIR, which the cdktf CLI sets from its --output", () => {
    expect(synth([], { EKS_ENV: "demo", CDKTF_OUTDIR: join(dir, "cli") }).code).toBe(0);
    expect(existsSync(join(dir, "cli", "stacks", "network", "cdk.tf.json"))).toBe(true);
  });

  it("writes cdktf.out.<environment> in the project by default", () => {
    const name = `synth-default-${process.pid}`;
    const file = writeEnvironmentFile(name, environmentText("production"));
    const outdir = join(PROJECT_ROOT, `cdktf.out.${name}`);
    try {
      expect(synth([], { EKS_ENV_FILE: file }).code).toBe(0);
      expect(existsSync(join(outdir, "manifest.json"))).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("refuses an invalid environment with exit 1, the report on stderr and nothing written", () => {
    const result = synth(["--output", "out"], { EKS_ENV_FILE: invalid(), INIT_CWD: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.yaml is not a valid environment \(1 error\); nothing synthesized\./);
    expect(count(result.stderr, "error: cluster.serviceCidr")).toBe(1);
    expect(result.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--strict fails on an unacknowledged warning, like EKS_STRICT=1", () => {
    const result = synth(["--strict", "--output", "out"], { EKS_ENV_FILE: fixture("demo"), INIT_CWD: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not a valid environment (1 unacknowledged warning, in strict mode)");
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("under the cdktf CLI (CDKTF_OUTDIR and CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "eks-synth-cli-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (outdir: string) => ({ CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true" });

  it("prints warnings on stdout, which the CLI shows as they are, and nothing on stderr, which it shows as [ERROR]", () => {
    const result = synth([], { EKS_ENV_FILE: isolated("demo"), ...cli(join(dir, "out")) });
    expect(result.code).toBe(0);
    expect(count(result.stdout, "warning: cluster.endpoint.publicAccessCidrs")).toBe(1);
    expect(result.stderr).toBe("");
  });

  it("refuses with the report once on stdout and exit 0 without a manifest, removing an earlier one: the CLI stops", () => {
    const outdir = join(dir, "out");
    mkdirSync(join(outdir, "stacks", "network"), { recursive: true });
    writeFileSync(join(outdir, "manifest.json"), "{}");
    writeFileSync(join(outdir, "stacks", "network", "cdk.tf.json"), "{}");
    const result = synth([], { EKS_ENV_FILE: invalid(), ...cli(outdir) });
    expect(result.code).toBe(0);
    expect(count(result.stdout, "error: cluster.serviceCidr")).toBe(1);
    expect(result.stderr).toBe("");
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
    // The rest of the folder (the stacks, their initialized backends) is left as it was.
    expect(readFileSync(join(outdir, "stacks", "network", "cdk.tf.json"), "utf8")).toBe("{}");
  });
});

/**
 * Runs the app as the cdktf 0.21 CLI does, with the CLI's own code (@cdktf/cli-core SynthStack.synth,
 * which every cdktf command calls): the app's stdout goes to console.log, its stderr to the CLI's
 * logger as "[ERROR] default - ..." lines (log4js, on stdout). Returns what each printed, and the
 * error the CLI would print when it stops. (The real binary does the same around it, and spends ~10 s
 * on network look-ups here, so the tests call its module.)
 */
async function underTheCli(vars: NodeJS.ProcessEnv, outdir: string) {
  const { SynthStack } = require("@cdktf/cli-core/src/lib/synth-stack");
  const shown: string[] = [];
  const logged: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void shown.push(parts.join(" ")));
  const write = jest
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => (logged.push(String(chunk)), true));
  const saved = { ...process.env };
  Object.assign(process.env, vars, { TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" });
  let stopped: string | undefined;
  try {
    await SynthStack.synth(
      new AbortController().signal,
      "node -r ./scripts/typescript-loader.js main.ts",
      outdir,
      PROJECT_ROOT,
      true,
      true,
    );
  } catch (e) {
    stopped = `${(e as Error).message}\n${(e as { errorOutput?: string }).errorOutput ?? ""}`;
  } finally {
    process.env = saved;
    log.mockRestore();
    write.mockRestore();
  }
  const errorLines = logged.filter((l) => l.includes("[ERROR]")).join("");
  return { shown: shown.join("\n"), errorLines, stopped };
}

describe("the cdktf 0.21 CLI running the app", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "eks-cdktf-cli-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows a warning once, as the app wrote it, and no [ERROR] line of the app's", async () => {
    const result = await underTheCli({ EKS_ENV_FILE: isolated("demo") }, join(dir, "valid"));
    expect(result.stopped).toBeUndefined();
    expect(count(result.shown, "warning: cluster.endpoint.publicAccessCidrs")).toBe(1);
    expect(result.errorLines).not.toContain("publicAccessCidrs");
    expect(existsSync(join(dir, "valid", "manifest.json"))).toBe(true);
  }, 30_000);

  it("shows an invalid environment's report once, then stops without a manifest", async () => {
    const result = await underTheCli({ EKS_ENV_FILE: invalid() }, join(dir, "refused"));
    expect(count(result.shown, "error: cluster.serviceCidr")).toBe(1);
    expect(result.errorLines).not.toContain("cluster.serviceCidr");
    expect(result.stopped).toContain("app was expected to call 'synth()'");
    expect(result.stopped).not.toContain("cluster.serviceCidr");
    expect(existsSync(join(dir, "refused", "manifest.json"))).toBe(false);
  }, 30_000);
});

describe("internal errors", () => {
  it("are reported as a bug of ours, exit 70, with the stack", () => {
    const err: string[] = [];
    const code = runCommand(
      {
        name: "x",
        usage: "usage: x",
        onInvalidEnvironment: "nothing",
        body: () => {
          throw new TypeError("cannot read properties of undefined");
        },
      },
      {
        out: { write: () => true } as unknown as NodeJS.WritableStream,
        err: { write: (t: string) => err.push(t) } as unknown as NodeJS.WritableStream,
      },
    );
    expect(code).toBe(70);
    expect(err.join("")).toMatch(
      /^x: internal error: this is a bug in eks-custom-networking, not a problem of your environment file[\s\S]*TypeError: cannot read[\s\S]*\n\s+at /,
    );
  });
});
