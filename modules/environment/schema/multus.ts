/** `multus`: Multus, whereabouts and the networks pods attach to. */
import { z } from "zod";
import { AwsCliVersion, Cidr, KubeName } from "./primitives";

const IngressRule = z
  .strictObject({
    cidr: Cidr.meta({ description: "Source addresses allowed in, e.g. a partner's range." }),
    protocol: z.enum(["tcp", "udp", "icmp", "all"]).default("all").meta({
      description: "Protocol allowed from the source. Default: all (every protocol and port).",
    }),
    fromPort: z.number().int().min(0).max(65535).optional().meta({
      description: "First port allowed (tcp and udp only). Absent: every port of the protocol.",
    }),
    toPort: z.number().int().min(0).max(65535).optional().meta({
      description: "Last port allowed (tcp and udp only). Default: fromPort.",
    }),
    description: z.string().max(255).optional().meta({ description: "Why the source is allowed, shown on the rule." }),
  })
  .meta({ description: "One inbound rule of a public Multus network's security group." });

const PublicNetwork = z.strictObject({
  allowFrom: z.array(IngressRule).default([]).meta({
    description:
      "Inbound rules of the network's own security group, the only one on its interfaces: who may reach the pods' public addresses. Default: none (replies to the pods' own traffic only). 0.0.0.0/0 is warned about (multus-public-ingress-from-anywhere).",
  }),
  release: z
    .array(
      z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
        message: "must be an Elastic IP's name such as sbc-edge-1-0-transit-a, or namespace/name",
      }),
    )
    .default([])
    .meta({
      description:
        "Elastic IPs of this network to release on purpose, by name (<pod>-<network>, e.g. sbc-edge-1-0-transit-a; namespace/name to name one namespace's only). Every other Elastic IP of the network is protected by prevent_destroy, and the address lock beside the environment remembers every name planned, so a plan that loses one (a Multus node group made smaller, fewer multusInterfaces, a range or node group removed or renamed) is refused until its name is listed here. A released name's Elastic IP leaves the configuration, so the next deploy releases it (the name of a pod that still runs takes its public address on this network away: warned, multus-public-address-released); a name may leave this list once a synth has recorded the release in the lock file. Default: none.",
    }),
  keepAddresses: z.boolean().optional().meta({
    description:
      "Replaced by release: every Elastic IP of the network is protected by prevent_destroy until it is released by name. false is refused; true is the only behaviour and can be removed.",
  }),
});

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
  awsCliVersion: AwsCliVersion.meta({
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
            "Destinations the pods reach through this interface (via the subnet's VPC router). The Multus subnet itself is always reachable; everything else leaves through eth0. Not for public networks, whose addresses route everything through their interface.",
        }),
        public: PublicNetwork.optional().meta({
          description:
            "Makes the network public: its subnets (the Multus subnet of interfaceIndex in each AZ of its ranges) route to the internet gateway, every node slot that carries its interface gets a fixed address of its range (its ENI's own address, managed by Terraform), and the one workload on the network runs one pod per such slot with that address and an Elastic IP of its own. Replies and traffic from the address leave through the interface (the CNI sbr plugin). The interface index is the network's alone. Absent: a private network, whose pods take addresses from whereabouts.",
        }),
      }),
    )
    .min(1),
});
