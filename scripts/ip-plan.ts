/**
 * Prints the IP plan of an environment (chosen as for synth: EKS_ENV or EKS_ENV_FILE): per AZ and
 * subnet, the range, usable addresses, /28 blocks, what is placed there and the headroom, then the
 * validation warnings. With --all, the plan across every environment of a folder and the networks
 * file (modules/report/address-plan-report.ts): exit 1 when any file or rule across them fails. Exit 0 for a valid environment (warnings allowed), 1 for an invalid or missing
 * one (the report on stderr, nothing on stdout), 2 for usage errors. Logic: modules/report/ip-plan-report.ts.
 */
import { loadEnvironment } from "../modules/load/load";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { addressPlanReport } from "../modules/report/address-plan-report";
import { formatAddressPlanReport } from "../modules/report/address-plan-text";
import { ADDRESS_PLAN_OPTIONS, ADDRESS_PLAN_USAGE, addressPlanFromFlags } from "./address-plan-flags";
import { runFlagCommand } from "./command";

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run --silent ip-plan [-- --json]
       npm run --silent ip-plan -- --all [--dir DIR] [--networks FILE] [--json]
Prints the IP plan of the environment (default: demo): subnets per AZ with usable addresses, free /28
blocks, nodes and max pods placed there, capacity against demand, and validation warnings.
With --all, the plan across environments instead; exit 1 on any error.
  --json            print the report as JSON (shapes: IpPlanReport in modules/report/ip-plan-report.ts,
                    with --all AddressPlanReport in modules/report/address-plan-report.ts)
${ADDRESS_PLAN_USAGE}
  -h, --help        print this help
`;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
): number {
  return runFlagCommand(
    argv,
    {
      name: "ip-plan",
      usage: USAGE,
      onInvalidEnvironment: "no IP plan",
      flags: { json: { type: "boolean" }, ...ADDRESS_PLAN_OPTIONS },
      body: (args) => {
        const plan = addressPlanFromFlags(args, vars);
        if (plan) {
          const report = addressPlanReport(plan);
          out.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatAddressPlanReport(report));
          return report.result === "ok" ? 0 : 1;
        }
        const report = ipPlanReport(loadEnvironment(vars));
        out.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatIpPlanReport(report));
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
