/** `cni`: the VPC CNI's pod network mode and settings. */
import { z } from "zod";

export const Cni = z.strictObject({
  customNetworking: z.boolean().default(false).meta({
    description: "Pods take addresses from the pod subnets (ENIConfig per AZ) instead of the node subnets.",
  }),
  prefixDelegation: z.boolean().default(false).meta({
    description: "Assign /28 prefixes to ENIs instead of single addresses: 110+ pods per node (Nitro instances).",
  }),
  warmPrefixTarget: z.number().int().min(0).optional().meta({ description: "WARM_PREFIX_TARGET (prefix delegation)." }),
  warmIpTarget: z.number().int().min(0).optional().meta({ description: "WARM_IP_TARGET." }),
  minimumIpTarget: z.number().int().min(0).optional().meta({ description: "MINIMUM_IP_TARGET." }),
  externalSnat: z.boolean().default(false).meta({
    description:
      "AWS_VPC_K8S_CNI_EXTERNALSNAT: pod traffic leaving the VPC keeps the pod's address (needed for per-pod Elastic IPs).",
  }),
});
