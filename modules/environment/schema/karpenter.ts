/** `karpenter`: Karpenter and its node pools, node capacity planned like the node groups. */
import { z } from "zod";
import { KubeName } from "./primitives";
import { Taint } from "./node-groups";

/** The Karpenter release the project was built and tested against (karpenter-provider-aws v1.14.1). */
export const KARPENTER_VERSION = "1.14.1";

/** A memory quantity as Kubernetes writes it, in binary units: 512Mi, 256Gi, 2Ti. */
export const MemoryQuantity = z
  .string()
  .regex(/^[1-9]\d*(Mi|Gi|Ti)$/, { message: "must be a memory quantity such as 512Gi (Mi, Gi or Ti)" });

const NodePool = z.strictObject({
  name: KubeName.meta({ description: "The NodePool's name; its EC2NodeClass takes the same name." }),
  families: z.array(z.string().min(1)).min(1).optional().meta({
    description:
      "Instance families the pool may launch (m6i, c7g, ...). Give families or categories (or both: a type must match both).",
  }),
  categories: z
    .array(z.string().regex(/^[a-z]+$/, { message: "must be an instance category such as c, m or r" }))
    .min(1)
    .optional()
    .meta({ description: "Instance categories (the letters before the generation: c, m, r, ...)." }),
  sizes: z
    .array(z.string().regex(/^[a-z0-9-]+$/, { message: "must be an instance size such as xlarge or 4xlarge" }))
    .min(1)
    .optional()
    .meta({ description: "Instance sizes (large, xlarge, 4xlarge, ...). Absent: every size but metal." }),
  architectures: z
    .array(z.enum(["amd64", "arm64"]))
    .min(1)
    .default(["amd64"])
    .meta({
      description: "CPU architectures. Default: amd64.",
    }),
  capacityTypes: z
    .array(z.enum(["on-demand", "spot"]))
    .min(1)
    .default(["on-demand"])
    .meta({
      description: "EC2 capacity types, as Karpenter names them. Default: on-demand.",
    }),
  zones: z.array(z.string()).min(1).optional().meta({ description: "AZs the pool may launch in. Absent: every AZ." }),
  diskSizeGiB: z.number().int().min(20).max(16384).default(20).meta({
    description: "Root volume of each node (gp3, encrypted), in GiB. Default: 20.",
  }),
  subnet: z.enum(["node", "public"]).default("node").meta({
    description: "Where the nodes' primary interfaces go: the private node subnets (default) or the public subnets.",
  }),
  limits: z
    .strictObject({
      cpu: z.number().int().min(1).meta({ description: "vCPUs all the pool's nodes may have together." }),
      memory: MemoryQuantity.meta({ description: "Memory all the pool's nodes may have together (256Gi)." }),
      nodes: z.number().int().min(1).optional().meta({
        description:
          "Nodes the pool may have. Passed to Karpenter, but the IP plan does not rely on it: it counts what cpu allows.",
      }),
    })
    .meta({
      description:
        "Required: Karpenter stops launching at these (eventually consistent); the IP plan counts the nodes cpu allows with the pool's smallest type, one provisioning batch over, plus the disruption surge.",
    }),
  disruption: z
    .strictObject({
      consolidationPolicy: z.enum(["WhenEmptyOrUnderutilized", "WhenEmpty"]).default("WhenEmptyOrUnderutilized"),
      consolidateAfter: z
        .string()
        .regex(/^(Never|(\d+(s|m|h))+)$/, { message: "must be a duration such as 30s, 5m or 1h, or Never" })
        .default("1m"),
      expireAfter: z
        .string()
        .regex(/^(Never|(\d+(s|m|h))+)$/, { message: "must be a duration such as 720h, or Never" })
        .default("720h")
        .meta({ description: "Nodes older than this are replaced (Karpenter's default 720h)." }),
      budgetNodes: z
        .string()
        .regex(/^(\d+|\d+%)$/, { message: 'must be a node count such as "2" or a percentage such as "10%"' })
        .default("10%")
        .meta({
          description:
            'Nodes Karpenter may disrupt at once (one budget). Default "10%", Karpenter\'s own. The IP plan counts as many replacement nodes beside the old ones.',
        }),
    })
    .default({
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: "1m",
      expireAfter: "720h",
      budgetNodes: "10%",
    })
    .meta({ description: "How Karpenter replaces and removes the pool's nodes." }),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(Taint).default([]),
  weight: z.number().int().min(1).max(100).optional().meta({
    description: "Priority among pools Karpenter considers first (higher first). Absent: none.",
  }),
});

export const Karpenter = z.strictObject({
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { message: "must be a Karpenter release such as 1.14.1 (no v)" })
    .default(KARPENTER_VERSION)
    .meta({
      description: `Karpenter release (its helm chart and CRDs). Default: ${KARPENTER_VERSION}, the one the project's objects are validated against.`,
    }),
  nodePools: z.array(NodePool).min(1),
});
