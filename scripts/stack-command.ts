/**
 * `npm run deploy -- <stacks...>` and `npm run destroy -- <stacks...>`: cdktf deploy / destroy of the
 * chosen environment (EKS_ENV / EKS_ENV_FILE) with the flags this project needs, so the commands in
 * the README run as written.
 *
 * - The environment is validated and synthesized here first, into its own output folder
 *   (cdktf.out.<env>), and cdktf then runs with --skip-synth --output on it: the report is printed
 *   once, as written (under the cdktf CLI an app's stderr reads as [ERROR]), strict mode applies,
 *   and no two environments share a folder of initialized backends.
 * - cdktf 0.21 refuses to deploy a stack whose dependencies are not named too, and to destroy one
 *   whose dependants are not (@cdktf/cli-core helpers/stack-helpers.js). Deploying one stage after
 *   another is how this project is used (its stacks read each other's state), so deploy adds
 *   --ignore-missing-stack-dependencies when needed. Destroy does not: destroying a stack that others
 *   still read from is refused, naming them, unless the flag is given on purpose.
 * - Every other cdktf flag of the command passes through; unknown flags are refused (exit 2).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { displayPath, loadEnvironment, strictFrom } from "../modules/load/load";
import { networkConsumers } from "../modules/load/network-owner";
import { orphanedStacks } from "../modules/load/orphaned-stacks";
import { checkLocalState, checkOutputFolder, claimLocalState, PROJECT_ROOT } from "../modules/load/identity";
import { outputFolder, STACKS } from "../modules/plan/names";
import { closest } from "../modules/spelling/edit-distance";
import { CommandFailure, runCommand, UsageError } from "./command";
import { synthEnvironment } from "./synth";

export type StackCommandName = "deploy" | "destroy";

/** cdktf 0.21's own flags of each command (cdktf-cli bundle, commands deploy and destroy): name -> takes a value. */
const CDKTF_FLAGS: Record<StackCommandName, Record<string, boolean>> = {
  deploy: {
    output: true,
    "auto-approve": false,
    "outputs-file": true,
    "outputs-file-include-sensitive-outputs": false,
    "ignore-missing-stack-dependencies": false,
    parallelism: true,
    "refresh-only": false,
    "terraform-parallelism": true,
    "no-color": false,
    "migrate-state": false,
    var: true,
    "var-file": true,
    "skip-synth": false,
    "skip-provider-lock": false,
  },
  destroy: {
    output: true,
    "auto-approve": false,
    "ignore-missing-stack-dependencies": false,
    parallelism: true,
    "terraform-parallelism": true,
    "no-color": false,
    "migrate-state": false,
    var: true,
    "var-file": true,
    "skip-synth": false,
    "skip-provider-lock": false,
  },
};
const SHORT: Record<string, string> = { o: "output", h: "help" };

export const usage = (
  command: StackCommandName,
): string => `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run ${command} -- <stack>... [--strict] [cdktf ${command} flags]
${command === "deploy" ? "Deploys" : "Destroys"} stacks of the environment (default: demo): ${STACKS.join(", ")}.
Validates and synthesizes the environment into cdktf.out.<environment> first, then runs
cdktf ${command} --skip-synth --output cdktf.out.<environment> <stack>... ${
  command === "deploy"
    ? "adding --ignore-missing-stack-dependencies\nwhen a stack's dependencies are not named (they must have been deployed before)."
    : "; a stack that other stacks\nstill read from is destroyed only with them, or with --ignore-missing-stack-dependencies."
}
  --strict    fail on any warning the environment file does not acknowledge (or EKS_STRICT=1)
  -h, --help  print this help
cdktf flags passed through: ${Object.keys(CDKTF_FLAGS[command])
  .map((f) => `--${f}${CDKTF_FLAGS[command][f] ? " X" : ""}`)
  .join(", ")}.
Exit 0 done, 1 invalid environment, 2 usage, 70 internal error; else cdktf's exit code.
`;

export interface StackCommandLine {
  stacks: string[];
  strict: boolean;
  help: boolean;
  /** cdktf flags as given, normalised to --name or --name=value. */
  flags: string[];
  output?: string;
  skipSynth: boolean;
}

/** Reads the command line; anything cdktf's command would not take is a UsageError. */
export function parseStackCommandLine(command: StackCommandName, argv: string[]): StackCommandLine {
  const line: StackCommandLine = { stacks: [], strict: false, help: false, flags: [], skipSynth: false };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("-") || token === "-") {
      line.stacks.push(token);
      continue;
    }
    const [rawName, inline] = token.replace(/^--?/, "").split(/=(.*)/s, 2);
    const name = token.startsWith("--") ? rawName : (SHORT[rawName] ?? `-${rawName}`);
    if (name === "help") line.help = true;
    else if (name === "strict") line.strict = true;
    else if (name === "app")
      throw new UsageError("--app: the app is this project's; choose the environment with EKS_ENV or EKS_ENV_FILE");
    else if (!(name in CDKTF_FLAGS[command])) {
      const guess = closest(name, [...Object.keys(CDKTF_FLAGS[command]), "strict", "help"]);
      throw new UsageError(`unknown flag ${token}${guess ? ` (did you mean --${guess}?)` : ""}`);
    } else if (CDKTF_FLAGS[command][name]) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (name === "output") line.output = value;
      // --name=value: cdktf's array flags (--var) would otherwise take the stack names after them too.
      else line.flags.push(`--${name}=${value}`);
    } else {
      if (name === "skip-synth") line.skipSynth = true;
      else line.flags.push(`--${name}`);
    }
  }
  for (const stack of line.stacks) {
    if (!(STACKS as readonly string[]).includes(stack)) {
      const guess = closest(stack, STACKS);
      throw new UsageError(
        `no stack ${stack}${guess ? ` (did you mean ${guess}?)` : ""}; the stacks are ${STACKS.join(", ")}`,
      );
    }
  }
  if (!line.help && line.stacks.length === 0)
    throw new UsageError(`name the stacks to ${command}: ${STACKS.join(" ")} (cdktf orders them)`);
  return line;
}

/** The stacks each stack reads from, as the synthesized manifest says (what cdktf checks). */
export type StackDependencies = Record<string, string[]>;

export function manifestDependencies(outdir: string): StackDependencies {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[] }>;
  };
  return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]));
}

/**
 * The stacks cdktf would refuse to run without: for deploy the named stacks' dependencies, for
 * destroy their dependants, that are not named (the same rule as cdktf's own check).
 */
export function missingStacks(command: StackCommandName, stacks: string[], dependencies: StackDependencies): string[] {
  const related =
    command === "deploy"
      ? stacks.flatMap((s) => dependencies[s] ?? [])
      : Object.keys(dependencies).filter((other) => stacks.some((s) => dependencies[other].includes(s)));
  return [...new Set(related)].filter((s) => !stacks.includes(s));
}

/** The cdktf command line for a parsed command line, given where the output is and its dependencies. */
export function cdktfArguments(
  command: StackCommandName,
  line: StackCommandLine,
  outdir: string,
  dependencies: StackDependencies,
): { args: string[]; missing: string[]; absent: string[] } {
  // One deploy line for every environment: a stack this one does not have (karpenter without a
  // karpenter section) is left out, and the caller says so, rather than cdktf refusing the line.
  const absent = line.stacks.filter((s) => !Object.hasOwn(dependencies, s));
  const stacks = line.stacks.filter((s) => Object.hasOwn(dependencies, s));
  if (stacks.length === 0)
    throw new UsageError(
      `this environment has none of ${line.stacks.join(", ")}; its stacks are ${Object.keys(dependencies).join(", ")}`,
    );
  line = { ...line, stacks };
  const missing = missingStacks(command, line.stacks, dependencies);
  const flagGiven = line.flags.includes("--ignore-missing-stack-dependencies");
  if (command === "destroy" && missing.length > 0 && !flagGiven) {
    throw new UsageError(
      `${missing.join(", ")} still read${missing.length === 1 ? "s" : ""} from ${line.stacks.join(", ")}; destroy ${missing.length === 1 ? "it" : "them"} too (npm run destroy -- ${[...missing, ...line.stacks].join(" ")}), or add --ignore-missing-stack-dependencies to destroy only these`,
    );
  }
  const extra = command === "deploy" && missing.length > 0 && !flagGiven ? ["--ignore-missing-stack-dependencies"] : [];
  return {
    args: [command, ...line.stacks, "--skip-synth", `--output=${outdir}`, ...extra, ...line.flags],
    missing,
    absent,
  };
}

/** node_modules/.bin/cdktf of this project. */
export const CDKTF_BIN = join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

export function run(
  command: StackCommandName,
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
  exec: (args: string[]) => number = (args) =>
    spawnSync(CDKTF_BIN, args, { stdio: "inherit", cwd: PROJECT_ROOT, env: vars }).status ?? 1,
): number {
  return runCommand(
    {
      name: command,
      usage: usage(command),
      onInvalidEnvironment: `nothing synthesized, nothing to ${command}`,
      body: () => {
        const line = parseStackCommandLine(command, argv);
        if (line.help) {
          out.write(usage(command));
          return 0;
        }
        const strict = line.strict || strictFrom(vars);
        const environment = loadEnvironment(vars, { strict });
        let outdir: string;
        if (line.skipSynth) {
          outdir = line.output
            ? resolve(vars.INIT_CWD || process.cwd(), line.output)
            : join(PROJECT_ROOT, outputFolder(environment.name));
          checkOutputFolder(environment, outdir);
          checkLocalState(environment);
          if (!existsSync(join(outdir, "manifest.json")))
            throw new UsageError(`--skip-synth: nothing synthesized in ${outdir} yet; run without it`);
          if (environment.report) err.write(environment.report + "\n");
        } else {
          const result = synthEnvironment({ ...vars, CDKTF_OUTDIR: undefined }, { output: line.output, environment });
          outdir = result.outdir;
          if (result.report) err.write(result.report + "\n");
        }
        // A stack the environment dropped (its section removed) whose resources still run: say so on
        // every run, and refuse to destroy what they run on (modules/load/orphaned-stacks.ts).
        for (const orphan of orphanedStacks(environment)) {
          const what = `${environment.name} has no ${orphan.stack} section, but ${displayPath(orphan.file)} still records ${orphan.resources} resources of its ${orphan.stack} stack, which no stack of the app destroys any more. Put the ${orphan.stack} section back, run npm run destroy -- ${orphan.stack} --ignore-missing-stack-dependencies, then remove the section`;
          const under = line.stacks.filter((s) => (orphan.dependsOn as readonly string[]).includes(s));
          if (command === "destroy" && under.length > 0)
            throw new CommandFailure(
              1,
              `${what}. Destroying ${under.join(", ")} now would pull ${under.length === 1 ? "it" : "them"} from under those resources (Karpenter's nodes and controller keep running, and hold interfaces in the subnets); nothing was destroyed.`,
            );
          err.write(`${command}: warning: ${what}.\n`);
        }
        // cdktf runs in the project root; a folder inside it is named relative to it.
        const inside = relative(PROJECT_ROOT, outdir);
        const shownOutdir = inside && !inside.startsWith("..") ? inside : outdir;
        const { args, missing, absent } = cdktfArguments(command, line, shownOutdir, manifestDependencies(outdir));
        if (absent.length > 0)
          err.write(`${command}: ${environment.name} has no ${absent.join(", ")} stack; left out\n`);
        if (command === "deploy" && missing.length > 0)
          err.write(
            `${command}: ${line.stacks.join(", ")} read${line.stacks.length === 1 ? "s" : ""} ${missing.join(", ")} from state, which must have been deployed\n`,
          );
        if (command === "destroy" && line.stacks.includes("network") && environment.env.network.source.kind === "own")
          for (const consumer of networkConsumers(environment.path))
            err.write(
              `destroy: ${consumer.name} (${displayPath(consumer.file)}) runs in this environment's network (network.from): destroy it first (EKS_ENV_FILE=${displayPath(consumer.file)} npm run destroy -- ${[...STACKS].reverse().join(" ")}); while its cluster's tag is on the subnets, the network stack refuses to go\n`,
            );
        // The state this run creates or changes belongs to this environment file from now on.
        claimLocalState(environment);
        err.write(`${command}: cdktf ${args.join(" ")}\n`);
        return exec(args);
      },
    },
    { out, err },
  );
}
