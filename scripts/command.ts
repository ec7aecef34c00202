/**
 * What every command of this project shares: flags parsed strictly, `--help`, and one mapping from
 * failures to exit codes (0 done, 1 the environment or the input is wrong, 2 the command line is,
 * 70 an internal error: a bug of ours, reported as one, since every rule on input is in the checks;
 * a command may fail with a code of its own through CommandFailure, as verify's 3).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { EnvironmentSelectionError } from "../modules/load/load";
import { InvalidEnvironmentError } from "../modules/environment/problems";

export class UsageError extends Error {}

/** A failure with its own exit code and a message for stderr. */
export class CommandFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** sysexits' EX_SOFTWARE: the environment passed its checks and something of ours still failed. */
export const INTERNAL_ERROR = 70;

/** How an internal error reads: what it is, that it is ours, and the stack to report. */
export const internalErrorReport = (error: unknown): string =>
  `internal error: this is a bug in eks-custom-networking, not a problem of your environment file (it passed every check); please report it with this output:\n${(error as Error)?.stack ?? String(error)}`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses flags (no positionals); anything unknown or malformed is a UsageError. */
export function parseFlags<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...options, help: { type: "boolean", short: "h" } },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The parsed flags of a command: its own, and `help`. */
export type Flags<T extends Options> = ReturnType<typeof parseFlags<T>>;

export interface CommandIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  usage: string;
  /** What the command does not do when the environment is invalid ("no IP plan"). */
  onInvalidEnvironment: string;
  /** Runs the command; returns its exit code. May throw the errors below. */
  body(io: CommandIo): number;
  /** A failure of this command's own kind: a message for stderr and exit 1, else undefined. */
  explain?(error: unknown): string | undefined;
}

export function runCommand(command: Command, io: CommandIo): number {
  try {
    return command.body(io);
  } catch (error) {
    return failed(command, io, error);
  }
}

/** A command that takes flags: `--help` prints its usage and exits 0 before the body runs. */
export interface FlagCommand<T extends Options> extends Omit<Command, "body"> {
  flags: T;
  body(args: Flags<T>, io: CommandIo): number;
}

export function runFlagCommand<T extends Options>(argv: string[], command: FlagCommand<T>, io: CommandIo): number {
  return runCommand(
    {
      ...command,
      body: () => {
        const args = parseFlags(argv, command.flags);
        // Every command's flags include help (parseFlags adds it); TypeScript cannot see it through T.
        if ((args as { help?: boolean }).help) {
          io.out.write(command.usage);
          return 0;
        }
        return command.body(args, io);
      },
    },
    io,
  );
}

/** A command whose body waits for the network (verify). */
export interface AsyncCommand extends Omit<Command, "body"> {
  body(io: CommandIo): Promise<number>;
}

export async function runAsyncCommand(command: AsyncCommand, io: CommandIo): Promise<number> {
  try {
    return await command.body(io);
  } catch (error) {
    return failed(command, io, error);
  }
}

/** The exit code of a failure, after writing its message; an error of no known kind is an internal error. */
function failed(command: Omit<Command, "body">, io: CommandIo, error: unknown): number {
  const fail = (code: number, text: string) => {
    io.err.write(`${command.name}: ${text}\n`);
    return code;
  };
  if (error instanceof CommandFailure) return fail(error.exitCode, error.message);
  if (error instanceof UsageError) return fail(2, `${error.message}\n\n${command.usage}`);
  if (error instanceof InvalidEnvironmentError)
    return fail(
      1,
      `${error.file} is not a valid environment (${error.summary}); ${command.onInvalidEnvironment}.\n${error.report}`,
    );
  if (error instanceof EnvironmentSelectionError) return fail(1, error.message);
  const own = command.explain?.(error);
  if (own !== undefined) return fail(1, own);
  return fail(INTERNAL_ERROR, internalErrorReport(error));
}
