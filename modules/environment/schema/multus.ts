/** `multus`: Multus, whereabouts and the networks pods attach to. */
import { z } from "zod";
import { Cidr, KubeName } from "./primitives";

export const Multus = z.strictObject({
  version: z
    .string()
    .regex(/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, { message: "must be a Multus image tag such as v4.1.4-eksbuild.3" })
    .meta({
      description:
        "Multus release of the image AWS publishes for EKS (<account>.dkr.ecr.<region>.amazonaws.com/eks/multus-cni:<version>_thick, the thick plugin), e.g. v4.1.4-eksbuild.3.",
    }),
  whereaboutsVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+$/, { message: "must be a whereabouts release such as v0.9.4" })
    .default("v0.9.4")
    .meta({
      description:
        "whereabouts IPAM release (ghcr.io/k8snetworkplumbingwg/whereabouts:<version>). Default: v0.9.4, the release whose manifests the installed objects follow (the reconciler as a Deployment of its own). Releases before v0.9.3 never refresh their service-account token, so every address assignment fails once it expires (90 days at the latest); the checks refuse them.",
    }),
  awsCliVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { message: "must be an AWS CLI v2 release such as 2.32.9" })
    .default("2.32.9")
    .meta({
      description:
        "AWS CLI release of the image (public.ecr.aws/aws-cli/aws-cli:<version>) the ip-assigner sidecar of Multus pods runs in; it assigns each pod's Multus addresses to the node's ENI in EC2.",
    }),
  networks: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default").meta({
          description:
            "Namespace of the NetworkAttachmentDefinitions (<name>-<az>); pods in any namespace may use them.",
        }),
        type: z.enum(["ipvlan", "macvlan"]).meta({
          description:
            "CNI plugin of the extra interface. ipvlan shares the ENI's MAC address, which is what the VPC delivers to; macvlan gives each pod its own MAC, which the VPC drops outside the node.",
        }),
        interfaceIndex: z.number().int().min(1).default(1).meta({
          description: "Which extra interface (1 = the first Multus ENI, device index 1) this network rides on.",
        }),
        master: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}$/, {
            message: "must be a Linux interface name: at most 15 letters, digits, '_', '.', ':' or '-'",
          })
          .optional()
          .meta({
            description:
              "The node's interface the pods' interfaces hang on. Absent: ens<5 + interfaceIndex> (ens6 for interface 1): AL2023 names ENA interfaces by PCI slot, and on Nitro the interface attached at launch at device index N sits in slot 5 + N. Check a node with `ip -br link`.",
          }),
        ranges: z.record(z.string(), Cidr).meta({
          description:
            "Per AZ, the block inside that AZ's Multus subnet (of interfaceIndex) that pods take addresses from. It becomes an explicit subnet CIDR reservation, so EC2 never gives those addresses to interfaces.",
        }),
        routes: z.array(Cidr).default([]).meta({
          description:
            "Destinations the pods reach through this interface (via the subnet's VPC router). The Multus subnet itself is always reachable; everything else leaves through eth0.",
        }),
      }),
    )
    .min(1),
});
