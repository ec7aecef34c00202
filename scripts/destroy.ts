/** `npm run destroy -- <stacks...>`: cdktf destroy of the chosen environment; see stack-command.ts. */
import { run } from "./stack-command";

if (require.main === module) process.exitCode = run("destroy", process.argv.slice(2));
