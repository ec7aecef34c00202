/** `nodeGroups`: node capacity. */
import { z } from "zod";
import { Name } from "./primitives";

export const Taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

export const NodeGroup = z.strictObject({
  name: Name("node group name", 63),
  instanceType: z
    .string()
    .regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, { message: "must be an EC2 instance type such as m5.xlarge" }),
  desiredSize: z.number().int().min(0),
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  diskSizeGiB: z.number().int().min(20).max(16384).default(20).meta({ description: "Root volume (gp3, encrypted)." }),
  subnet: z.enum(["node", "public"]).default("node").meta({
    description: "Where the nodes' primary interfaces go: the private node subnets or the public subnets.",
  }),
  zones: z.array(z.string()).min(1).optional().meta({ description: "AZs this group spans. Absent: every AZ." }),
  maxPods: z.number().int().min(1).optional().meta({
    description: "Kubelet maxPods. Absent: the recommended value for the instance type and CNI settings.",
  }),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(Taint).default([]),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  maxUnavailable: z.number().int().min(1).default(1).meta({ description: "Nodes replaced at once during updates." }),
  metadataHopLimit: z
    .union([z.literal(1), z.literal(2)])
    .default(1)
    .meta({
      description:
        "IMDSv2 hop limit: 1 keeps pods away from the node's instance role; 2 only if a pod truly needs IMDS.",
    }),
  detailedMonitoring: z.boolean().default(false),
  multusInterfaces: z.number().int().min(0).default(0).meta({
    description:
      "Extra network interfaces per node for Multus, in the AZ's Multus subnets (interface i in multus[i - 1]). Above 0 the group becomes desiredSize fixed self-managed nodes spread over its AZs (minSize and maxSize do not apply), because managed node groups cannot place extra interfaces in their own subnets.",
  }),
});
