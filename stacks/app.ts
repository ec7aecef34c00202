/**
 * The whole app for one environment: the stacks in deploy order, each taking the typed objects of
 * the stacks before it (cdktf turns those references into outputs and remote-state reads).
 */
import { App, type TerraformStack } from "cdktf";
// After "cdktf" itself: the validation module cannot be loaded on its own (circular imports).
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";
import { STATE_LOCATION_CONTEXT, type StateLocation } from "../modules/constructs/backend/state-backend";
import { loadEnvironment, type LoadedEnvironment } from "../modules/load/load";
import { ClusterStack } from "./cluster-stack";
import { CniStack } from "./cni-stack";
import { NetworkStack } from "./network-stack";
import { NodesStack } from "./nodes-stack";
import { WorkloadsStack } from "./workloads-stack";

export interface EksApp {
  app: App;
  environment: LoadedEnvironment;
  network: NetworkStack;
  cluster: ClusterStack;
  cni: CniStack;
  nodes: NodesStack;
  workloads: WorkloadsStack;
}

/** Terraform 1.10 for S3-native state locking; everything else needs less. Enforced by Terraform itself. */
export const REQUIRED_TERRAFORM = ">= 1.10";

export function buildApp(environment: LoadedEnvironment, outdir?: string, location: StateLocation = {}): EksApp {
  // cdktf's built-in validations run `terraform version` during synth (for terraform_data and the
  // cloud block), so a synth would need Terraform on the PATH and pay a process per check. They are
  // skipped; each stack declares required_version instead, and the provider check is run below.
  const app = new App({ outdir, skipValidation: true, context: { [STATE_LOCATION_CONTEXT]: location } });
  const network = new NetworkStack(app, "network", environment);
  const cluster = new ClusterStack(app, "cluster", environment, { network });
  const cni = new CniStack(app, "cni", environment, { network, cluster });
  const nodes = new NodesStack(app, "nodes", environment, { network, cluster, cni });
  const workloads = new WorkloadsStack(app, "workloads", environment, { network, cluster, nodes });
  const stacks: TerraformStack[] = [network, cluster, cni, nodes, workloads];
  for (const stack of stacks) {
    stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
    const missing = new ValidateProviderPresence(stack).validate();
    if (missing.length > 0) throw new Error(`stack ${stack.node.id}: ${missing.join("; ")}`);
  }
  return { app, environment, network, cluster, cni, nodes, workloads };
}

/**
 * Loads the environment the variables choose and synthesizes it. The environment is validated before
 * the App exists, because creating the App already creates the output directory: an invalid plan
 * throws and leaves nothing on disk.
 */
export function synthesize(vars: NodeJS.ProcessEnv = process.env, outdir?: string): EksApp {
  const built = buildApp(loadEnvironment(vars), outdir);
  built.app.synth();
  return built;
}
