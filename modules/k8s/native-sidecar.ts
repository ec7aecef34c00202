/**
 * What the project's AWS sidecars share (multus/ip-assigner.ts, eip-associator.ts): each is a
 * native sidecar (an init container with restartPolicy Always, Kubernetes 1.29+), started before the
 * app containers and stopped after them, running a POSIX sh script from a ConfigMap in the AWS CLI
 * image, whose startup probe holds the app back until the script has touched `<state>/started`.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import { CONTAINER_SECURITY } from "./container-security";

/** What the app gets to stop after SIGTERM (Kubernetes' default grace period): it must exit by then. */
export const APP_STOP_SECONDS = 30;

/** An environment variable from the pod's own fields (downward API). */
export const fieldEnv = (name: string, fieldPath: string): IEnvVar => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});

export interface ScriptSidecarProps {
  name: string;
  image: string;
  /** Where the ConfigMap with the script is mounted, and the script's file name there. */
  configDir: string;
  script: string;
  /** Writable, in memory; the script touches `started` here. */
  stateDir: string;
  env: IEnvVar[];
  volumeMounts: NonNullable<IContainer["volumeMounts"]>;
}

export function scriptSidecar(props: ScriptSidecarProps): IContainer {
  return {
    name: props.name,
    image: props.image,
    // Native sidecar: started before the app containers, stopped after them.
    restartPolicy: "Always",
    command: ["/bin/sh", `${props.configDir}/${props.script}`],
    env: [
      ...props.env,
      { name: "STATE_DIR", value: props.stateDir },
      // The AWS CLI keeps its cache under HOME; the root filesystem is read-only.
      { name: "HOME", value: props.stateDir },
    ],
    // What may take a while is EC2 (retried): up to 5 minutes, then the container is restarted.
    startupProbe: {
      exec: { command: ["test", "-f", `${props.stateDir}/started`] },
      periodSeconds: 2,
      failureThreshold: 150,
    },
    resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    securityContext: { ...CONTAINER_SECURITY, readOnlyRootFilesystem: true },
    volumeMounts: props.volumeMounts,
  };
}
