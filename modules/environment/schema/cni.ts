/** `cni`: the VPC CNI's pod network mode and settings. */
import { z } from "zod";
import { PodSecurityGroups } from "./pod-security-groups";

export const Cni = z.strictObject({
  customNetworking: z.boolean().default(false).meta({
    description: "Pods take addresses from the pod subnets (ENIConfig per AZ) instead of the node subnets.",
  }),
  subnetDiscovery: z.boolean().default(false).meta({
    description:
      "Enhanced subnet discovery (VPC CNI 1.18.0+, on by default there): the pod subnets are tagged kubernetes.io/role/cni=1 and pods take addresses from the node's primary ENI in its own subnet and, for further ENIs, from the node and pod subnets of its AZ as one pool (no ENIConfig). Excludes customNetworking, which takes precedence in the CNI.",
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
  networkPolicy: z.boolean().default(false).meta({
    description:
      "Kubernetes NetworkPolicy enforced by the VPC CNI itself (enableNetworkPolicy: its node agent in aws-node, the policy controller in the control plane). Default: false.",
  }),
  podSecurityGroups: PodSecurityGroups.optional(),
});
