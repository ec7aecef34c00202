/** `workloads`: the sample workload, public-IP pods and Multus pods. */
import { z } from "zod";
import { AwsCliVersion, KubeName } from "./primitives";

/**
 * Kubernetes' own multi-architecture test image (linux/amd64, arm64, ppc64le, s390x: agnhost's
 * BASEIMAGE in kubernetes/kubernetes), the one the Kubernetes "Hello Minikube" tutorial runs;
 * `serve-hostname` answers every HTTP request with the pod's name, as kubernetes-bootcamp did.
 */
export const SAMPLE_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53";
export const agnhostArgs = (port: number): string[] => ["serve-hostname", `--port=${port}`];
/** The article's image: amd64 only, Docker schema 1 (kubernetes/website#44379; containerd #9765, #11681). */
export const ARTICLE_SAMPLE_IMAGE = "gcr.io/google-samples/kubernetes-bootcamp:v1";

const Resources = z.strictObject({
  cpu: z.string().optional(),
  memory: z.string().optional(),
});

export const Workloads = z.strictObject({
  bootcamp: z
    .strictObject({
      namespace: KubeName.default("bootcamp"),
      replicas: z.number().int().min(0).default(2),
      image: z
        .string()
        .min(1)
        .default(SAMPLE_IMAGE)
        .meta({
          description: `The sample's image. Default: ${SAMPLE_IMAGE} (Kubernetes' own test image, multi-architecture, OCI), serving its pod's name over HTTP. The article's ${ARTICLE_SAMPLE_IMAGE} still works where its limits allow: amd64 nodes only, and a Docker schema 1 image, which containerd 2 (AL2023 EKS AMIs for Kubernetes 1.34 and later) refuses to pull.`,
        }),
      args: z.array(z.string()).optional().meta({
        description:
          "The container's arguments. Absent: `serve-hostname --port=<port>` for an agnhost image (the default), the image's own for any other.",
      }),
      port: z.number().int().min(1).max(65535).default(8080).meta({
        description: "The port the sample serves HTTP on (both the default image and the article's use 8080).",
      }),
      requests: Resources.default({ cpu: "100m", memory: "64Mi" }),
      limits: Resources.default({ memory: "128Mi" }),
    })
    .optional()
    .meta({ description: "The sample Deployment (the article's kubernetes-bootcamp)." }),
  publicIpPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        replicas: z.number().int().min(0).meta({
          description:
            "Pods of the StatefulSet, <name>-0 to <name>-<replicas - 1>. Changing it never allocates or releases an address: addresses does.",
        }),
        port: z.number().int().min(1).max(65535),
        nodeGroups: z.array(z.string()).min(1).optional().meta({
          description:
            "Node groups the pods run on; they must be in public subnets. Absent: every node group with subnet: public.",
        }),
        addresses: z
          .array(
            z.union([
              KubeName,
              z.strictObject({
                name: KubeName,
                release: z.boolean().default(false).meta({
                  description:
                    "Release this Elastic IP on the next deploy (the only way its prevent_destroy goes). The entry stays in the list until a synth has recorded the release in the lock file.",
                }),
              }),
            ]),
          )
          .optional()
          .meta({
            description:
              "The Elastic IPs of these pods, one per entry, each named after the pod that holds it (<name>-<ordinal>); a name alone or { name, release }. Addresses beyond replicas stay allocated as spares. An address is never dropped from the list: it is released with release: true (the lock file beside the environment remembers every name). Absent: one per replica, <name>-0 to <name>-<replicas - 1>.",
          }),
        keepAddresses: z.boolean().optional().meta({
          description:
            "Replaced by addresses[].release: every address is protected by prevent_destroy until it is released. false is refused; true is the only behaviour and can be removed.",
        }),
        awsCliVersion: AwsCliVersion.meta({
          description:
            "AWS CLI release of the image (public.ecr.aws/aws-cli/aws-cli:<version>) the eip-associator sidecar runs in; it associates each pod's Elastic IP with the pod's address.",
        }),
      }),
    )
    .default([])
    .meta({ description: "StatefulSets whose pods each own a fixed public Elastic IP." }),
  multusPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        command: z.array(z.string()).min(1).optional().meta({
          description: "The container's command (entrypoint and arguments). Absent: the image's own.",
        }),
        replicas: z.number().int().min(1).meta({
          description:
            "Pods per AZ. A Multus network's address range differs per AZ, so each AZ where the pods can run (every listed network has a range there and Multus nodes carry its interface) gets its own Deployment, <name>-<az>. A workload on a public network runs one pod on each node slot that carries its networks instead (a StatefulSet <name>-<slot> each, pinned to the slot whose fixed addresses it takes), so its replicas must be 1.",
        }),
        networks: z.array(KubeName).min(1).meta({
          description:
            "Names of multus.networks; each pod gets one extra interface (net1, net2, ...) per network, in this order.",
        }),
      }),
    )
    .default([])
    .meta({ description: "Deployments whose pods get one extra interface per listed Multus network." }),
});
