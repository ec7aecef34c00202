/**
 * `npm run synth`, and the app the cdktf CLI runs (cdktf.json): validates the environment (EKS_ENV /
 * EKS_ENV_FILE) and writes its Terraform, one folder per stack, to cdktf.out.<env>, or to --output,
 * or to CDKTF_OUTDIR (what the cdktf CLI sets from its own --output); then records the Elastic IPs
 * it plans in the address lock beside the environment file.
 *
 * Under the cdktf CLI the app's stderr is printed as "[ERROR]" lines and all of its output is printed
 * again when it exits non-zero (@cdktf/commons shell(), @cdktf/cli-core synth-stack.js, 0.21). So
 * there the report goes to stdout, which the CLI prints as it is, once; and a refused environment
 * exits 0 without a manifest.json (a stale one is removed first), which makes the CLI stop ("app was
 * expected to call synth()") with exit 1, without repeating the report.
 */
import { existsSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadEnvironment, recordAddressLock, strictFrom, type LoadedEnvironment } from "../modules/load/load";
import {
  checkLocalState,
  checkOutputFolder,
  claimLocalState,
  claimOutputFolder,
  PROJECT_ROOT,
} from "../modules/load/identity";
import { outputFolder } from "../modules/plan/names";
import { buildApp } from "../stacks/app";
import { runFlagCommand } from "./command";

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run synth [-- --output DIR] [--strict]
Validates the environment (default: demo) and writes its Terraform, one folder per stack.
  --output DIR  where to write (default: cdktf.out.<environment>; relative to where you are)
  --strict      fail on any warning the environment file does not acknowledge (or EKS_STRICT=1)
  -h, --help    print this help
Exit 0 written, 1 invalid environment (nothing written), 2 usage, 70 internal error (a bug).
`;

/** The cdktf CLI runs the app with these set (@cdktf/cli-core synth-stack.js). */
export const underCdktfCli = (vars: NodeJS.ProcessEnv): boolean =>
  vars.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === "true" && vars.CDKTF_OUTDIR !== undefined;

export interface SynthResult {
  outdir: string;
  stacks: string[];
}

/**
 * Validates and synthesizes. Refuses an output folder or local state another environment file owns;
 * `claimState` records this file as the owner of its local state (deploys do; a plain synth does not).
 */
export function synthEnvironment(
  vars: NodeJS.ProcessEnv,
  options: { output?: string; strict?: boolean; claimState?: boolean; environment?: LoadedEnvironment } = {},
): SynthResult & { report: string } {
  const environment = options.environment ?? loadEnvironment(vars, { strict: options.strict || strictFrom(vars) });
  const outdir = options.output
    ? resolve(vars.INIT_CWD || process.cwd(), options.output)
    : vars.CDKTF_OUTDIR
      ? resolve(vars.CDKTF_OUTDIR)
      : join(PROJECT_ROOT, outputFolder(environment.name));
  checkOutputFolder(environment, outdir);
  checkLocalState(environment);
  const built = buildApp(environment, outdir);
  built.app.synth();
  claimOutputFolder(environment, outdir);
  if (options.claimState) claimLocalState(environment);
  // The Elastic IPs it plans, in the address lock beside the environment file (load.ts).
  const lock = recordAddressLock(environment)
    ? `${environment.addressLockPath}: recorded the planned Elastic IPs; commit it with the environment`
    : "";
  const report = [environment.report, lock].filter(Boolean).join("\n");
  return { outdir, stacks: built.app.node.children.map((c) => c.node.id), report };
}

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
): number {
  const cli = underCdktfCli(vars);
  // Under the cdktf CLI, stdout is the one stream it shows once and as written.
  const report = cli ? out : err;
  const code = runFlagCommand(
    argv,
    {
      name: "synth",
      usage: USAGE,
      onInvalidEnvironment: "nothing synthesized",
      flags: { output: { type: "string" }, strict: { type: "boolean" } },
      body: (args) => {
        // Under the CLI the run is usually a deploy: the state it creates belongs to this file.
        const result = synthEnvironment(vars, { output: args.output, strict: args.strict, claimState: cli });
        if (result.report) report.write(result.report + "\n");
        const shown = relative(process.cwd(), result.outdir);
        if (!cli) out.write(`wrote ${shown.startsWith("..") ? result.outdir : shown}: ${result.stacks.join(", ")}\n`);
        return 0;
      },
    },
    { out, err: report },
  );
  if (cli && code === 1) {
    // Refused: cdktf must not go on with an earlier synthesis of this folder.
    const manifest = join(resolve(vars.CDKTF_OUTDIR!), "manifest.json");
    if (existsSync(manifest)) rmSync(manifest);
    out.write("synth: cdktf stops here; it will say that the app did not call synth().\n");
    return 0;
  }
  return code;
}
