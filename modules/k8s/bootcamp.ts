/**
 * The article's sample workload: kubernetes-bootcamp. With custom networking its pods take addresses
 * of the pod subnets (through the ENIConfig of their node's AZ), which is what the sample shows.
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { Environment } from "../environment/schema";
import { BOOTCAMP_NAME } from "../plan/names";
import { CONTAINER_SECURITY } from "./container-security";

export const BOOTCAMP_IMAGE = "gcr.io/google-samples/kubernetes-bootcamp:v1";
export const BOOTCAMP_PORT = 8080;

type BootcampSpec = NonNullable<Environment["workloads"]["bootcamp"]>;

export function bootcampDeployment(spec: BootcampSpec): IDeployment {
  const labels = { app: "kubernetes-bootcamp" };
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
              image: BOOTCAMP_IMAGE,
              ports: [{ name: "http", containerPort: BOOTCAMP_PORT }],
              resources: { requests: { ...spec.requests }, limits: { ...spec.limits } },
              securityContext: CONTAINER_SECURITY,
            },
          ],
        },
      },
    },
  };
}
