/**
 * The cdktf app (cdktf.json) and `npm run synth`: picks the environment (EKS_ENV=<name>, default demo,
 * or EKS_ENV_FILE=<path>), validates it and synthesizes every stack; see scripts/synth.ts. On an
 * invalid environment it prints every problem and writes nothing.
 */
import { run } from "./scripts/synth";

process.exitCode = run(process.argv.slice(2));
