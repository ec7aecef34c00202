/**
 * Entry point of the cdktf app: picks the environment (EKS_ENV=<name>, default demo, or
 * EKS_ENV_FILE=<path>), validates it, synthesizes every stack and records the Elastic IPs it plans
 * in the address lock beside the environment file. On an invalid environment it prints every problem
 * and exits 1 without writing anything.
 */
import { EnvironmentSelectionError, recordAddressLock } from "./modules/load/load";
import { InvalidEnvironmentError } from "./modules/environment/problems";
import { synthesize } from "./stacks/app";

try {
  const { environment } = synthesize();
  if (environment.report) console.error(environment.report);
  if (recordAddressLock(environment))
    console.error(`${environment.addressLockPath}: recorded the planned Elastic IPs; commit it with the environment`);
} catch (e) {
  if (!(e instanceof InvalidEnvironmentError || e instanceof EnvironmentSelectionError)) throw e;
  console.error(e.message);
  process.exit(1);
}
