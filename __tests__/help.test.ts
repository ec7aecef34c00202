/**
 * Every command of the project (each npm script that runs one of ours) answers --help with its usage
 * on stdout and exit 0, and changes no file; an unknown flag gets exit 2 and the usage on stderr.
 * Commands are called through the `run` their script exports (the process entry is one line that
 * passes process.argv to it); the app's entry, main.ts, and the scripts without a `run` run as
 * processes, as npm runs them. git status is compared before and after.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
const LOADER = "node -r ./scripts/typescript-loader.js ";
const commands = Object.entries(scripts)
  .filter(([, line]) => line.startsWith(LOADER))
  .map(([name, line]) => ({ name, args: line.slice(LOADER.length).split(" ") }));

type Result = { code: number; stdout: string; stderr: string };
type Run = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number | Promise<number>;

function asProcess(args: string[]): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["-r", "./scripts/typescript-loader.js", ...args], {
      cwd: ROOT,
      env: { ...process.env, EKS_ENV: "demo", EKS_ENV_FILE: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

async function invoke(command: { name: string; args: string[] }, flag: string): Promise<Result> {
  const [entry, ...fixed] = command.args;
  // main.ts is one line that hands process.argv to scripts/synth.ts: its --help runs as a process,
  // the rest through synth's run.
  const file = entry === "main.ts" && flag !== "--help" ? "scripts/synth.ts" : entry;
  const run = file === "main.ts" ? undefined : (require(join(ROOT, file)) as { run?: Run }).run;
  if (!run) return asProcess([...command.args, flag]);
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
  const code = await run([...fixed, flag], stream(out), stream(err));
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** Tracked changes and untracked or ignored files and folders of the checkout (node_modules aside). */
const gitStatus = () =>
  execFileSync("git", ["status", "--porcelain", "--ignored"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((l) => l && !l.includes("node_modules/"))
    .sort();

describe("--help and unknown flags, on every command", () => {
  it("covers the commands: synth, deploy, destroy and the scripts", () => {
    expect(commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(["synth", "deploy", "destroy", "schema", "refresh-instance-types", "diagram", "ip-plan"]),
    );
  });

  it("--help: usage on stdout, exit 0, no file changed", async () => {
    const before = gitStatus();
    const results = await Promise.all(commands.map(async (c) => ({ name: c.name, ...(await invoke(c, "--help")) })));
    for (const r of results)
      expect({ name: r.name, code: r.code, usage: r.stdout.startsWith("usage:"), stderr: r.stderr }).toEqual({
        name: r.name,
        code: 0,
        usage: true,
        stderr: "",
      });
    expect(gitStatus()).toEqual(before);
  }, 60_000);

  it("an unknown flag: exit 2, the usage on stderr, no file changed", async () => {
    const before = gitStatus();
    const results = await Promise.all(
      commands.map(async (c) => ({ name: c.name, ...(await invoke(c, "--no-such-flag")) })),
    );
    for (const r of results)
      expect({ name: r.name, code: r.code, usage: r.stderr.includes("usage:") }).toEqual({
        name: r.name,
        code: 2,
        usage: true,
      });
    expect(gitStatus()).toEqual(before);
  }, 60_000);
});

describe("scripts that wrap a tool pass flags through unchanged", () => {
  it.each([
    ["test", /^jest$/],
    ["typecheck", /^tsc --noEmit$/],
    ["lint", / && eslint \.$/],
    ["format", /^prettier --write "[^"]+"$/],
  ])("npm run %s -- <flags> reaches the tool last on its line", (name, shape) => {
    // npm appends the words after -- to the script's line: they reach the command that ends it.
    expect(scripts[name]).toMatch(shape);
  });
});
