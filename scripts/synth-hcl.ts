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
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../modules/backend/state-backend";
import { EnvironmentSelectionError, loadEnvironment } from "../modules/environment/load";
import { InvalidEnvironmentError } from "../modules/environment/problems";
import { fixHelmProviderBlocks } from "../modules/hcl/helm-provider-fix";
import { buildApp } from "../stacks/app";

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
  for (const file of files) writeFileSync(file, fixHelmProviderBlocks(readFileSync(file, "utf8")));
  const fmt = spawnSync("terraform", ["fmt", "-recursive", stacksDir], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } });
  if (fmt.error) return { outdir: target, files, formatted: false };
  if (fmt.status !== 0) throw new Error(`terraform fmt rejected the exported HCL:\n${fmt.stderr}`);
  return { outdir: target, files, formatted: true };
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { outdir: { type: "string" } }, strict: true });
  try {
    const result = exportHcl(process.env, values.outdir);
    for (const file of result.files) console.log(`wrote ${file}`);
    if (!result.formatted) console.error("terraform is not on the PATH: the files are not formatted or parse-checked");
    return 0;
  } catch (e) {
    if (e instanceof InvalidEnvironmentError || e instanceof EnvironmentSelectionError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
