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
import { ForgottenResource } from "../modules/constructs/terraform/forgotten-resource";
import { loadEnvironment, recordAddressLock, type LoadedEnvironment } from "../modules/load/load";
import {
  addRemovedBlocks,
  fixDependsOn,
  fixHelmProviderBlocks,
  fixLifecycleConditionBlocks,
  fixQuotedIgnoreChanges,
  fixQuotedProvisionerKeywords,
  fixTerraformBlockAttributes,
} from "../modules/hcl/export-fixes";
import { buildApp, REQUIRED_TERRAFORM } from "../stacks/app";
import { runFlagCommand } from "./command";

/** From <root>/stacks/<stack>/ to the folder that holds <root>: local state is terraform-state/<env>/ there. */
export const EXPORT_STATE_ROOT = "../../..";

export interface HclExport {
  environment: LoadedEnvironment;
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
  // The `removed` blocks cdktf's HCL rendering leaves out, by stack.
  const removed = new Map<string, string[]>();
  try {
    // Local state beside the export's root (terraform-state/<env>/), relative to each stack's folder
    // (<root>/stacks/<stack>/), so a copy of the export works wherever it is put.
    const { app } = buildApp(environment, target, { localStateRoot: EXPORT_STATE_ROOT });
    app.synth();
    for (const stack of app.node.children)
      removed.set(
        stack.node.id,
        stack.node
          .findAll()
          .filter(ForgottenResource.isForgottenResource)
          .map((r) => r.from),
      );
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  const stacksDir = join(target, "stacks");
  const stacks = readdirSync(stacksDir);
  const files = stacks.map((stack) => join(stacksDir, stack, "cdk.tf"));
  stacks.forEach((stack, i) => {
    const hcl = readFileSync(files[i], "utf8");
    writeFileSync(
      files[i],
      addRemovedBlocks(
        fixDependsOn(
          fixTerraformBlockAttributes(
            fixLifecycleConditionBlocks(
              fixQuotedProvisionerKeywords(fixQuotedIgnoreChanges(fixHelmProviderBlocks(hcl))),
            ),
            {
              required_version: REQUIRED_TERRAFORM,
            },
          ),
        ),
        removed.get(stack) ?? [],
      ),
    );
  });
  const fmt = spawnSync("terraform", ["fmt", "-recursive", stacksDir], {
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  if (fmt.error) return { environment, outdir: target, files, formatted: false };
  if (fmt.status !== 0) throw new Error(`terraform fmt rejected the exported HCL:\n${fmt.stderr}`);
  return { environment, outdir: target, files, formatted: true };
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
  return runFlagCommand(
    argv,
    {
      name: "synth:hcl",
      usage: USAGE,
      onInvalidEnvironment: "nothing written",
      flags: { outdir: { type: "string" } },
      body: (args) => {
        const result = exportHcl(process.env, args.outdir);
        for (const file of result.files) out.write(`wrote ${file}\n`);
        if (recordAddressLock(result.environment))
          out.write(
            `wrote ${result.environment.addressLockPath}: the planned Elastic IPs; commit it with the environment\n`,
          );
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
