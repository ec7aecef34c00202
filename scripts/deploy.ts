/** `npm run deploy -- <stacks...>`: cdktf deploy of the chosen environment; see stack-command.ts. */
import { run as runStackCommand } from "./stack-command";

export const run = (
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number => runStackCommand("deploy", argv, out, err);

if (require.main === module) process.exitCode = run(process.argv.slice(2));
