/** `npm run deploy -- <stacks...>`: cdktf deploy of the chosen environment; see stack-command.ts. */
import { run } from "./stack-command";

if (require.main === module) process.exitCode = run("deploy", process.argv.slice(2));
