/**
 * `npm run deploy` / `npm run destroy` (scripts/stack-command.ts), held against cdktf 0.21's own
 * stack checks (@cdktf/cli-core helpers/stack-helpers.js), which refuse a deploy whose dependencies
 * or a destroy whose dependants are not named; and every deploy and destroy line of the README.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { displayPath } from "../modules/load/load";
import { STACKS } from "../modules/plan/names";
import {
  cdktfArguments,
  parseStackCommandLine,
  run,
  type StackCommandName,
  type StackDependencies,
} from "../scripts/stack-command";
import { edited, writeEnvironmentFile } from "./support/environments";
import { synthNamed } from "./support/synth";

const stackHelpers = require("@cdktf/cli-core/src/lib/helpers/stack-helpers");

/** The stacks and their dependencies, as every shipped environment's manifest has them. */
function dependencies(): StackDependencies {
  const manifest = synthNamed("telco").manifest;
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
}

/** What cdktf itself decides for a command line: throws its own error when it would refuse. */
function cdktfAccepts(args: string[], deps: StackDependencies): void {
  const [command, ...rest] = args;
  const stacks = rest.filter((a) => !a.startsWith("-"));
  const all = Object.entries(deps).map(([name, d]) => ({ name, dependencies: d }));
  const toRun = stackHelpers.getMultipleStacks(all, stacks, command);
  if (rest.includes("--ignore-missing-stack-dependencies")) return;
  if (command === "deploy") stackHelpers.checkIfAllDependenciesAreIncluded(toRun);
  else stackHelpers.checkIfAllDependantsAreIncluded(toRun, all);
}

describe("the stacks depend on each other as the README's table says", () => {
  it("network <- cluster <- cni <- nodes <- karpenter <- workloads, each reading the state of those before it", () => {
    // production: the shipped environment with every stack, karpenter included.
    const manifest = synthNamed("production").manifest;
    const deps = Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
    expect(Object.keys(deps).sort()).toEqual([...STACKS].sort());
    expect(deps.karpenter).toEqual(expect.arrayContaining(["cluster", "nodes"]));
    expect(deps.workloads).toEqual(expect.arrayContaining(["karpenter"]));
    expect(Object.keys(dependencies()).sort()).toEqual(STACKS.filter((s) => s !== "karpenter").sort());
    expect(deps.network).toEqual([]);
    expect(deps.cluster).toEqual(["network"]);
    expect(deps.cni).toEqual(expect.arrayContaining(["cluster"]));
    expect(deps.nodes).toEqual(expect.arrayContaining(["cni"]));
    expect(deps.workloads).toEqual(expect.arrayContaining(["nodes"]));
  });
});

describe("npm run deploy / destroy command lines", () => {
  const deps = dependencies();
  const line = (command: StackCommandName, ...argv: string[]) => parseStackCommandLine(command, argv);

  it.each([
    ["deploy", ["network", "cluster", "cni", "nodes", "workloads"]],
    ["deploy", ["network"]],
    ["deploy", ["nodes"]],
    ["deploy", ["cni", "nodes", "workloads"]],
    ["deploy", ["workloads"]],
    ["destroy", ["workloads"]],
    ["destroy", ["workloads", "nodes", "cni", "cluster", "network"]],
    ["destroy", ["nodes", "workloads"]],
  ] as const)("%s %j: what we run, cdktf accepts", (command, stacks) => {
    const { args } = cdktfArguments(command, line(command, ...stacks), "cdktf.out.demo", deps);
    expect(args.slice(0, stacks.length + 3)).toEqual([command, ...stacks, "--skip-synth", "--output=cdktf.out.demo"]);
    expect(() => cdktfAccepts(args, deps)).not.toThrow();
  });

  it("leaves out a stack the environment does not have (karpenter without a karpenter section)", () => {
    const result = cdktfArguments("deploy", line("deploy", "nodes", "karpenter", "workloads"), "o", deps);
    expect(result.absent).toEqual(["karpenter"]);
    expect(result.args.slice(0, 3)).toEqual(["deploy", "nodes", "workloads"]);
    expect(() => cdktfArguments("deploy", line("deploy", "karpenter"), "o", deps)).toThrow(/has none of karpenter/);
  });

  it("deploy adds the dependency flag only when a named stack's dependencies are not named", () => {
    expect(cdktfArguments("deploy", line("deploy", "network", "cluster"), "o", deps).args).not.toContain(
      "--ignore-missing-stack-dependencies",
    );
    expect(cdktfArguments("deploy", line("deploy", "nodes"), "o", deps).args).toContain(
      "--ignore-missing-stack-dependencies",
    );
    // Without it, cdktf refuses: the flag is what makes the line run.
    expect(() => cdktfAccepts(["deploy", "nodes"], deps)).toThrow(/dependencies are not included/);
  });

  it("destroy refuses to leave stacks behind that read from the destroyed ones, unless the flag is given", () => {
    expect(() => cdktfArguments("destroy", line("destroy", "cluster"), "o", deps)).toThrow(
      /cni, nodes, workloads still read from cluster; destroy them too \(npm run destroy -- cni nodes workloads cluster\)/,
    );
    const forced = cdktfArguments(
      "destroy",
      line("destroy", "cluster", "--ignore-missing-stack-dependencies"),
      "o",
      deps,
    );
    expect(forced.args).toContain("--ignore-missing-stack-dependencies");
    expect(() => cdktfAccepts(forced.args, deps)).not.toThrow();
  });

  it("passes cdktf's own flags through, values attached so an array flag cannot take the stacks", () => {
    const parsed = line("deploy", "network", "--auto-approve", "--var", "a=b", "--parallelism=2", "-o", "elsewhere");
    expect(parsed).toMatchObject({
      stacks: ["network"],
      flags: ["--auto-approve", "--var=a=b", "--parallelism=2"],
      output: "elsewhere",
    });
  });

  it.each([
    [["network", "--bogus"], /unknown flag --bogus/],
    [["network", "--auto-aprove"], /did you mean --auto-approve/],
    [["nodez"], /no stack nodez \(did you mean nodes\?\)/],
    [[], /name the stacks to deploy/],
    [["network", "--var"], /--var needs a value/],
    [["network", "--app", "x"], /--app: the app is this project's/],
    [["network", "--refresh-only"], null],
  ] as const)("deploy %j", (argv, refused) => {
    if (refused) expect(() => line("deploy", ...argv)).toThrow(refused);
    else expect(() => line("deploy", ...argv)).not.toThrow();
  });

  it("destroy does not take deploy-only flags", () => {
    expect(() => line("destroy", "workloads", "--refresh-only")).toThrow(/unknown flag --refresh-only/);
  });
});

describe("npm run deploy, run", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "eks-deploy-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function deploy(command: StackCommandName, argv: string[], vars: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err: string[] = [];
    const ran: string[][] = [];
    const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
    const code = run(command, argv, stream(out), stream(err), vars, (args) => (ran.push(args), 0));
    return { code, stdout: out.join(""), stderr: err.join(""), ran };
  }
  const environment = () =>
    writeEnvironmentFile(
      "demo",
      edited("demo", (d) => (d.backend = { type: "local", directory: join(dir, "state") })),
    );

  it("synthesizes the environment into its folder, prints its report once, then runs cdktf on it without synthesizing again", () => {
    const result = deploy("deploy", ["nodes", "--output", join(dir, "out"), "--auto-approve"], {
      EKS_ENV_FILE: environment(),
    });
    expect(result.code).toBe(0);
    expect(result.ran).toEqual([
      [
        "deploy",
        "nodes",
        "--skip-synth",
        `--output=${join(dir, "out")}`,
        "--ignore-missing-stack-dependencies",
        "--auto-approve",
      ],
    ]);
    expect(readFileSync(join(dir, "out", "manifest.json"), "utf8")).toContain('"nodes"');
    expect(result.stderr.split("warning: cluster.endpoint.publicAccessCidrs")).toHaveLength(2);
    // The state this deploy creates belongs to this file.
    expect(readFileSync(join(dir, "state", "demo", "eks-environment.json"), "utf8")).toContain("demo.yaml");
  });

  it("--help prints the usage and runs nothing, writes nothing", () => {
    const result = deploy("destroy", ["--help"], { EKS_ENV_FILE: environment() });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: .*npm run destroy/), ran: [] });
  });

  it("an invalid environment runs nothing and exits 1; strict mode likewise on an unacknowledged warning", () => {
    const invalid = writeEnvironmentFile(
      "broken",
      edited("demo", (d) => (d.cluster.serviceCidr = "172.16.5.0/24")),
    );
    expect(deploy("deploy", ["network", "--output", join(dir, "o")], { EKS_ENV_FILE: invalid })).toMatchObject({
      code: 1,
      ran: [],
    });
    expect(
      deploy("deploy", ["network", "--strict", "--output", join(dir, "o")], { EKS_ENV_FILE: environment() }),
    ).toMatchObject({
      code: 1,
      ran: [],
    });
  });

  it("destroy of a network another environment of the folder runs in warns, naming it and the order", () => {
    const file = environment();
    const consumer = join(dirname(file), "second.yaml");
    writeFileSync(
      consumer,
      edited("public-pods", (d) => (d.network = { from: "./demo.yaml" })),
    );
    const everything = ["workloads", "nodes", "cni", "cluster", "network", "--output", join(dir, "o")];
    const result = deploy("destroy", everything, { EKS_ENV_FILE: file });
    expect(result.code).toBe(0);
    // The line names every stack, karpenter too: destroy leaves out the ones an environment lacks.
    expect(result.stderr).toContain(
      `destroy: second (${displayPath(consumer)}) runs in this environment's network (network.from): destroy it first (EKS_ENV_FILE=${displayPath(consumer)} npm run destroy -- workloads karpenter nodes cni cluster network); while its cluster's tag is on the subnets, the network stack refuses to go`,
    );
    // The network stack's guard decides; the command still runs cdktf.
    expect(result.ran).toHaveLength(1);
    // Without the network among the stacks, nothing to say.
    expect(deploy("destroy", ["workloads", "--output", join(dir, "o")], { EKS_ENV_FILE: file }).stderr).not.toContain(
      "runs in this environment's network",
    );
  });

  it("a karpenter stack whose section was removed but whose local state still holds resources: deploy warns, destroying what it runs on is refused, an emptied state says nothing", () => {
    const file = environment();
    const state = join(dir, "state", "demo", "karpenter.tfstate");
    mkdirSync(dirname(state), { recursive: true });
    const resource = (mode: string, type: string) => ({ mode, type, name: type, instances: [{}] });
    writeFileSync(
      state,
      JSON.stringify({
        version: 4,
        resources: [
          resource("managed", "helm_release"),
          resource("managed", "aws_sqs_queue"),
          resource("data", "aws_partition"),
        ],
      }),
    );
    const said = `demo has no karpenter section, but ${displayPath(state)} still records 2 resources of its karpenter stack, which no stack of the app destroys any more. Put the karpenter section back, run npm run destroy -- karpenter --ignore-missing-stack-dependencies, then remove the section`;
    const deployed = deploy("deploy", ["nodes", "--output", join(dir, "o")], { EKS_ENV_FILE: file });
    expect(deployed.code).toBe(0);
    expect(deployed.stderr).toContain(`deploy: warning: ${said}.`);
    expect(deployed.ran).toHaveLength(1);

    const refused = deploy("destroy", ["workloads", "nodes", "--output", join(dir, "o")], { EKS_ENV_FILE: file });
    expect(refused).toMatchObject({ code: 1, ran: [] });
    expect(refused.stderr).toContain(
      `${said}. Destroying nodes now would pull it from under those resources (Karpenter's nodes and controller keep running, and hold interfaces in the subnets); nothing was destroyed.`,
    );
    // The workloads stack holds nothing Karpenter runs on: its destroy goes on, with the warning.
    const workloads = deploy("destroy", ["workloads", "--output", join(dir, "o")], { EKS_ENV_FILE: file });
    expect(workloads.code).toBe(0);
    expect(workloads.stderr).toContain(said);

    // After npm run destroy -- karpenter, its state records nothing: nothing to say.
    writeFileSync(state, JSON.stringify({ version: 4, resources: [] }));
    const after = deploy("destroy", ["workloads", "nodes", "--output", join(dir, "o")], { EKS_ENV_FILE: file });
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain("karpenter section");
    rmSync(state);
  });

  it("returns cdktf's exit code", () => {
    const out: string[] = [];
    const stream = { write: (t: string) => out.push(t) } as unknown as NodeJS.WritableStream;
    expect(
      run("deploy", ["network", "--output", join(dir, "o")], stream, stream, { EKS_ENV_FILE: environment() }, () => 3),
    ).toBe(3);
  });
});

describe("README: every deploy and destroy line runs as written", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const deps = dependencies();
  const everyStack = Object.fromEntries(
    Object.entries(synthNamed("production").manifest.stacks).map(([name, s]) => [name, s.dependencies]),
  );
  // Every command in the README's code: ```sh blocks and inline `code` (which may wrap a line). A
  // mention without stacks names the command, not a run of it; a usage template (<stacks...>) is skipped.
  const code = [
    ...[...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")),
    ...[...readme.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\s+/g, " ")),
  ];
  const lines = code
    .flatMap((l) => [
      ...l.matchAll(/(?:npx )?cdktf (?:deploy|destroy)\b[^#;&|]*|npm run (?:deploy|destroy)\b[^#;&|]*/g),
    ])
    .map((m) => m[0].trim().replace(/^npx /, ""))
    .filter((l) => !l.includes("<"))
    .map((l) => {
      // The command's own words: flags, their values and stack names, up to the first other word.
      const words = l.split(/\s+/);
      let end = words[0] === "cdktf" ? 2 : 3;
      const takesValue = (flag: string) => /^(--output|-o|--var|--var-file|--parallelism|--outputs-file)$/.test(flag);
      while (
        end < words.length &&
        (/^-/.test(words[end]) || STACKS.includes(words[end] as never) || takesValue(words[end - 1]))
      )
        end++;
      return words.slice(0, end).join(" ");
    })
    .filter((l) => l.split(/\s+/).some((w) => STACKS.includes(w as never)));

  it("has such lines", () => {
    expect(lines.length).toBeGreaterThan(3);
  });

  it.each(lines)("%s", (text) => {
    const words = text.replace(/\s+\.\.\.\s*$/, "").split(/\s+/);
    const cdktf = words[0] === "cdktf";
    const command = words[cdktf ? 1 : 2] as StackCommandName;
    const argv = words.slice(cdktf ? 2 : 3).filter((w) => w !== "--");
    if (cdktf) {
      // A plain cdktf line names its output folder and its dependencies, or carries the flag.
      expect(argv.some((a) => a === "--output" || a.startsWith("--output="))).toBe(true);
      expect(() => cdktfAccepts([command, ...argv.filter((_, i) => argv[i - 1] !== "--output")], deps)).not.toThrow();
    } else {
      const parsed = parseStackCommandLine(command, argv);
      // A line naming karpenter is held against an environment with every stack (production) and,
      // unless it is about Karpenter alone, one without it (telco), whose runs leave it out; a line
      // without karpenter is for environments without it.
      const environments = !parsed.stacks.includes("karpenter")
        ? [deps]
        : parsed.stacks.every((s) => s === "karpenter")
          ? [everyStack]
          : [everyStack, deps];
      for (const d of environments)
        expect(() => cdktfAccepts(cdktfArguments(command, parsed, "o", d).args, d)).not.toThrow();
    }
  });
});
