/**
 * The choice of files for the plan across environments, shared by `ip-plan --all` and `diagram
 * --all`: every environment file of a folder (`--dir`, default environments/) and a networks file
 * (`--networks`, default networks/external.yaml). Relative paths are taken from the directory the
 * command was started in (npm's INIT_CWD), as EKS_ENV_FILE is.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { loadAddressPlan, type LoadedAddressPlan } from "../modules/load/address-plan";
import { ENVIRONMENTS_DIR } from "../modules/load/load";
import { NETWORKS_FILE } from "../modules/load/networks";
import { UsageError } from "./command";

export const ADDRESS_PLAN_OPTIONS = {
  all: { type: "boolean" },
  dir: { type: "string" },
  networks: { type: "string" },
} as const;

export const ADDRESS_PLAN_USAGE = `  --all             every environment file of a folder, checked together with the networks file:
                    VPCs apart, service ranges clear of routed ranges, the organisation's blocks' free space
  --dir DIR         with --all: the folder (default: environments/)
  --networks FILE   with --all: the networks file (default: networks/external.yaml)`;

export function addressPlanFromFlags(
  args: { all?: boolean; dir?: string; networks?: string },
  vars: NodeJS.ProcessEnv,
): LoadedAddressPlan | undefined {
  if (!args.all) {
    if (args.dir !== undefined || args.networks !== undefined)
      throw new UsageError("--dir and --networks go with --all");
    return undefined;
  }
  const from = vars.INIT_CWD || process.cwd();
  const dir = args.dir === undefined ? ENVIRONMENTS_DIR : resolve(from, args.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--dir ${args.dir}: there is no folder ${dir}`);
  const networks = args.networks === undefined ? NETWORKS_FILE : resolve(from, args.networks);
  return loadAddressPlan(dir, networks);
}
