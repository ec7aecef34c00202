/**
 * Exports the chosen environment (EKS_ENV / EKS_ENV_FILE, as for synth) as plain Terraform HCL, one
 * directory per stack, so a team can leave cdktf (archived in December 2025) and keep its
 * infrastructure: `cdktf synth --hcl`, done in process, plus the fixes cdktf's HCL rendering needs,
 * then `terraform fmt` when a terraform binary is on the PATH (which also proves every file parses).
 *
 *   npm run synth:hcl [-- --outdir DIR]     default: hcl/<environment>
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import { loadEnvironment } from "../modules/load/load";
import {
  fixHelmProviderBlocks,
  fixQuotedIgnoreChanges,
  fixTerraformBlockAttributes,
} from "../modules/hcl/export-fixes";
import { buildApp, REQUIRED_TERRAFORM } from "../stacks/app";
import { parseFlags, runCommand } from "./command";

export interface HclExport {
  outdir: string;
  files: string[];
  /** Whether terraform fmt ran (and so parsed every file). */
  formatted: boolean;
}

export function exportHcl(vars: NodeJS.ProcessEnv, outdir?: string): HclExport {
  const environment = loadEnvironment(vars);
  const target = resolve(outdir ?? join(PROJECT_ROOT, "hcl", environment.name));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = "true"; // what `cdktf synth --hcl` sets; the App reads it when built
  try {
    buildApp(environment, target).app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  const stacksDir = join(target, "stacks");
  const files = readdirSync(stacksDir).map((stack) => join(stacksDir, stack, "cdk.tf"));
  for (const file of files) {
    const hcl = readFileSync(file, "utf8");
    writeFileSync(
      file,
      fixTerraformBlockAttributes(fixQuotedIgnoreChanges(fixHelmProviderBlocks(hcl)), {
        required_version: REQUIRED_TERRAFORM,
      }),
    );
  }
  const fmt = spawnSync("terraform", ["fmt", "-recursive", stacksDir], {
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  if (fmt.error) return { outdir: target, files, formatted: false };
  if (fmt.status !== 0) throw new Error(`terraform fmt rejected the exported HCL:\n${fmt.stderr}`);
  return { outdir: target, files, formatted: true };
}

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run synth:hcl [-- --outdir DIR]
Writes the environment (default: demo) as plain Terraform HCL, one directory per stack.
  --outdir DIR  where to write (default: hcl/<environment>)
  -h, --help    print this help
`;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  return runCommand(
    {
      name: "synth:hcl",
      usage: USAGE,
      onInvalidEnvironment: "nothing written",
      body: () => {
        const args = parseFlags(argv, { outdir: { type: "string" } });
        if (args.help) {
          out.write(USAGE);
          return 0;
        }
        const result = exportHcl(process.env, args.outdir);
        for (const file of result.files) out.write(`wrote ${file}\n`);
        if (!result.formatted)
          err.write("synth:hcl: terraform is not on the PATH: the files are not formatted or parse-checked\n");
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
