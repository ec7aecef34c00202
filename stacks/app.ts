/**
 * The whole app for one environment: the stacks in deploy order, each taking the typed objects of
 * the stacks before it (cdktf turns those references into outputs and remote-state reads).
 */
import { App } from "cdktf";
import { loadEnvironment, type LoadedEnvironment } from "../modules/environment/load";
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

export function buildApp(environment: LoadedEnvironment, outdir?: string): EksApp {
  const app = new App({ outdir });
  const network = new NetworkStack(app, "network", environment);
  const cluster = new ClusterStack(app, "cluster", environment, { network });
  const cni = new CniStack(app, "cni", environment, { network, cluster });
  const nodes = new NodesStack(app, "nodes", environment, { network, cluster, cni });
  const workloads = new WorkloadsStack(app, "workloads", environment, { network, cluster, nodes });
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
