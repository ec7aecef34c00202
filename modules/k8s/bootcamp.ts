/**
 * The article's sample workload, kubernetes-bootcamp: a Deployment whose pods answer HTTP. With
 * custom networking its pods take addresses of the pod subnets (through the ENIConfig of their node's
 * AZ), which is what the sample shows. The image is the environment's (default: agnhost, which runs
 * on amd64 and arm64 nodes alike; the article's image is amd64 only).
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { Environment } from "../environment/schema";
import { agnhostArgs } from "../environment/schema/workloads";
import { BOOTCAMP_NAME } from "../plan/names";
import { CONTAINER_SECURITY } from "./container-security";

/** The labels of the sample's pods, which its Deployment and NetworkPolicy select. */
export const BOOTCAMP_LABELS: Readonly<Record<string, string>> = { app: "kubernetes-bootcamp" };

type BootcampSpec = NonNullable<Environment["workloads"]["bootcamp"]>;

/** registry/.../agnhost:<tag> or @<digest>: its entrypoint is /agnhost, which needs a subcommand. */
const isAgnhost = (image: string): boolean => /(^|\/)agnhost([:@]|$)/.test(image);

/** The container's arguments: the environment's, else serve-hostname for agnhost, else the image's own. */
export function bootcampArgs(spec: Pick<BootcampSpec, "image" | "args" | "port">): string[] | undefined {
  return spec.args ?? (isAgnhost(spec.image) ? agnhostArgs(spec.port) : undefined);
}

export function bootcampDeployment(spec: BootcampSpec): IDeployment {
  const labels = { ...BOOTCAMP_LABELS };
  const args = bootcampArgs(spec);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: BOOTCAMP_NAME, namespace: spec.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: BOOTCAMP_NAME,
              image: spec.image,
              ...(args ? { args } : {}),
              ports: [{ name: "http", containerPort: spec.port }],
              resources: { requests: { ...spec.requests }, limits: { ...spec.limits } },
              securityContext: CONTAINER_SECURITY,
            },
          ],
        },
      },
    },
  };
}
