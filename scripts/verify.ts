/**
 * Compares a deployed environment (chosen as for synth: EKS_ENV or EKS_ENV_FILE) with its plan,
 * read-only: live (the kubeconfig's cluster and EC2), or from files recorded earlier (--from DIR);
 * --record DIR writes the live state as those files first. Exit 0 when everything holds, 1 when
 * something is off the plan (or the environment or a recorded file is invalid), 2 for usage errors,
 * 3 when the cluster or AWS cannot be read. Logic: modules/verify (pure), modules/live (readers).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UnreachableError, readLimits, DEFAULT_REQUEST_TIMEOUT_SECONDS } from "../modules/live/limits";
import { loadEnvironment } from "../modules/load/load";
import { RECORDED_FILES, RecordedStateError, readRecordedState, STATE_KEYS } from "../modules/verify/recorded-state";
import type { VerifySource } from "../modules/verify/report";
import { formatVerifyReport } from "../modules/verify/text";
import { verify } from "../modules/verify/verify";
import { CommandFailure, parseFlags, runAsyncCommand, UsageError } from "./command";

const FILES = STATE_KEYS.map((k) => `    ${RECORDED_FILES[k].file.padEnd(30)} ${RECORDED_FILES[k].command}`).join("\n");

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run --silent verify [-- --from DIR | --record DIR] [--json]
Compares the deployed environment (default: demo) with its plan, read-only: nodes (zone, primary
address, max pods), pod and Service addresses, the VPC CNI's settings and ENIConfigs, subnets' free
addresses and /28 blocks, CIDR reservations, public-IP pods' Elastic IPs, Multus pods' networks.
Reads the cluster of the kubeconfig (KUBECONFIG or ~/.kube/config) and EC2 with the AWS CLI's
credentials, in the environment's region.
  --from DIR       read a state recorded earlier instead (a missing file skips its checks):
${FILES}
  --record DIR     write the live state to DIR as those files, then verify it
  --json           print the report as JSON (shape: VerifyReport in modules/verify/report.ts)
  --context NAME   kubeconfig context (default: the one aws eks update-kubeconfig names after the
                   environment's cluster, else the current context)
  --timeout SECS   per request and attempt (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS}; 3 attempts, connecting within 5 s at most)
  -h, --help       print this help
Exit: 0 everything holds, 1 something is off the plan, 2 usage, 3 the cluster or AWS cannot be read.
`;

export async function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runAsyncCommand(
    {
      name: "verify",
      usage: USAGE,
      onInvalidEnvironment: "nothing verified",
      explain: (error) => (error instanceof RecordedStateError ? error.message : undefined),
      body: async () => {
        const args = parseFlags(argv, {
          from: { type: "string" },
          record: { type: "string" },
          json: { type: "boolean" },
          context: { type: "string" },
          timeout: { type: "string" },
        });
        if (args.help) {
          out.write(USAGE);
          return 0;
        }
        if (args.from !== undefined && args.record !== undefined)
          throw new UsageError("--from reads a recorded state and --record writes one: give one of them");
        if (args.from !== undefined && (args.context !== undefined || args.timeout !== undefined))
          throw new UsageError("--context and --timeout are for the live cluster, not --from");
        const timeout = args.timeout === undefined ? undefined : Number(args.timeout);
        if (timeout !== undefined && !(timeout > 0 && timeout <= 600))
          throw new UsageError(`--timeout ${args.timeout}: give seconds, more than 0 and at most 600`);
        // npm runs scripts from the package root; paths on the command line are the caller's.
        const here = (path: string) => resolve(vars.INIT_CWD ?? process.cwd(), path);
        const loaded = loadEnvironment(vars);
        let files: Record<string, string>;
        let source: VerifySource;
        if (args.from !== undefined) {
          files = readDirectory(here(args.from), args.from);
          source = { kind: "recorded", directory: args.from };
        } else {
          // Loaded here only: --from and the other commands never load the readers or the AWS SDK.
          const { readLiveState } = await import("../modules/live/live-state");
          let live;
          try {
            live = await readLiveState(loaded.env, { vars, context: args.context, limits: readLimits(timeout) });
          } catch (error) {
            if (error instanceof UnreachableError) throw new CommandFailure(3, error.message);
            throw error;
          }
          files = live.files;
          if (args.record !== undefined) writeDirectory(here(args.record), files);
          source = {
            kind: "live",
            context: live.context,
            server: live.server,
            vpcId: live.vpcId,
            recordedTo: args.record,
          };
        }
        const state = readRecordedState(files);
        const report = verify({ env: loaded.env, environmentName: loaded.name, file: loaded.file, state }, source);
        out.write(args.json ? JSON.stringify(report, null, 2) + "\n" : formatVerifyReport(report));
        return report.result === "ok" ? 0 : 1;
      },
    },
    { out, err },
  );
}

function readDirectory(directory: string, shown: string): Record<string, string> {
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new UsageError(`--from ${shown}: no such directory`);
  const files: Record<string, string> = {};
  for (const key of STATE_KEYS) {
    const file = RECORDED_FILES[key].file;
    if (existsSync(join(directory, file))) files[file] = readFileSync(join(directory, file), "utf8");
  }
  if (Object.keys(files).length === 0)
    throw new UsageError(
      `--from ${shown}: holds none of the recorded files (${STATE_KEYS.map((k) => RECORDED_FILES[k].file).join(", ")})`,
    );
  return files;
}

function writeDirectory(directory: string, files: Record<string, string>): void {
  mkdirSync(directory, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
