/**
 * The sample workload's image: the article's kubernetes-bootcamp image stays available, with its
 * limits said before a deploy waits ten minutes on pods that never start.
 */
import { warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { ARTICLE_SAMPLE_IMAGE, SAMPLE_IMAGE } from "../environment/schema/workloads";
import { nodeAmiFor } from "../plan/node-ami";

/** AL2023 EKS AMIs run containerd 2 for Kubernetes 1.34 and later (amazon-eks-ami v20250915). */
const FIRST_VERSION_WITH_CONTAINERD_2 = 34;

export function checkSampleWorkload(env: Environment): Problem[] {
  const bootcamp = env.workloads.bootcamp;
  if (!bootcamp || bootcamp.image !== ARTICLE_SAMPLE_IMAGE || bootcamp.replicas === 0) return [];
  const limits: string[] = [];
  const minor = Number(env.cluster.version.split(".")[1]);
  if (minor >= FIRST_VERSION_WITH_CONTAINERD_2)
    limits.push(
      `it is a Docker schema 1 image, which containerd 2 (on the AL2023 nodes of Kubernetes ${env.cluster.version}) refuses to pull`,
    );
  const arm = env.nodeGroups.filter((g) => nodeAmiFor(g.instanceType).arch === "arm64").map((g) => g.name);
  if (arm.length > 0)
    limits.push(
      `it is built for amd64 only, and node group${arm.length > 1 ? "s" : ""} ${arm.join(", ")} run${arm.length > 1 ? "" : "s"} arm64`,
    );
  if (limits.length === 0) return [];
  return [
    warning(
      ["workloads", "bootcamp", "image"],
      `the sample runs the article's ${ARTICLE_SAMPLE_IMAGE}, but ${limits.join("; and ")}: pods that cannot run it never start, and the workloads deploy fails after helm's 600-second wait`,
      `remove image to use ${SAMPLE_IMAGE} (multi-architecture), or name another multi-architecture OCI image`,
      "article-sample-image",
    ),
  ];
}
