/**
 * Prints the IP plan of an environment (chosen as for synth: EKS_ENV or EKS_ENV_FILE): per AZ and
 * subnet, the range, usable addresses, /28 blocks, what is placed there and the headroom, then the
 * validation warnings. Exit 0 for a valid environment (warnings allowed), 1 for an invalid or missing
 * one (the report on stderr, nothing on stdout), 2 for usage errors. Logic: modules/ip-plan/report.ts.
 */
import { parseArgs } from "node:util";
import { EnvironmentSelectionError, loadEnvironment } from "../modules/environment/load";
import { InvalidEnvironmentError } from "../modules/environment/problems";
import { ipPlanReport } from "../modules/ip-plan/report";
import { formatIpPlanReport } from "../modules/ip-plan/report-text";

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run --silent ip-plan [-- --json]
Prints the IP plan of the environment (default: demo): subnets per AZ with usable addresses, free /28
blocks, nodes and max pods placed there, capacity against demand, and validation warnings.
  --json      print the report as JSON (shape: IpPlanReport in modules/ip-plan/report.ts)
  -h, --help  print this help
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
): number {
  try {
    const args = parse(argv);
    if (args.help) {
      out.write(USAGE);
      return 0;
    }
    const report = ipPlanReport(loadEnvironment(vars));
    out.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatIpPlanReport(report));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`ip-plan: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InvalidEnvironmentError) {
      const errors = error.problems.filter((p) => p.severity === "error").length;
      // A YAML syntax error carries no problems, only its report.
      err.write(`ip-plan: ${error.file} is not a valid environment${errors > 0 ? ` (${errors} error${errors === 1 ? "" : "s"})` : ""}; no IP plan.\n${error.report}\n`);
      return 1;
    }
    if (error instanceof EnvironmentSelectionError) {
      err.write(`ip-plan: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
