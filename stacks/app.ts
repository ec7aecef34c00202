/**
 * The whole app for one environment: the stacks in deploy order, each taking the typed objects of
 * the stacks before it (cdktf turns those references into outputs and remote-state reads).
 */
import { App } from "cdktf";
import type { LoadedEnvironment } from "../modules/environment/load";
import { NetworkStack } from "./network-stack";

export interface EksApp {
  app: App;
  network: NetworkStack;
}

export function buildApp(environment: LoadedEnvironment, outdir?: string): EksApp {
  const app = new App({ outdir, skipValidation: false });
  const network = new NetworkStack(app, "network", environment);
  return { app, network };
}
