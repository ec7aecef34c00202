/**
 * Entry point of the cdktf app: picks the environment (EKS_ENV, or EKS_ENV_FILE), validates it, and
 * synthesizes every stack. An invalid environment stops here, before any output directory exists.
 */
import { loadEnvironment } from "./modules/environment/load";
import { InvalidEnvironmentError } from "./modules/environment/problems";
import { buildApp } from "./stacks/app";

function main(): void {
  let environment;
  try {
    environment = loadEnvironment();
  } catch (e) {
    if (!(e instanceof InvalidEnvironmentError) && !(e instanceof Error && e.message.startsWith("EKS_ENV"))) throw e;
    console.error(e.message);
    process.exit(1);
  }
  if (environment.report) console.error(environment.report);
  buildApp(environment).app.synth();
}

main();
