/** `network`: the VPC and its subnets per availability zone. */
import { z } from "zod";
import { Cidr } from "./primitives";

const ZoneSubnets = z
  .strictObject({
    node: Cidr.meta({
      description:
        "Private subnet of the nodes' primary interfaces. Without custom networking, pods take their addresses here too.",
    }),
    pod: Cidr.optional().meta({
      description: "Subnet the VPC CNI gives pods their addresses from, with custom networking (one ENIConfig per AZ).",
    }),
    public: Cidr.meta({
      description:
        "Public subnet, routed to the internet gateway: NAT gateways, internet-facing load balancers, public node groups.",
    }),
    controlPlane: Cidr.optional().meta({
      description: "Dedicated subnet for the EKS control-plane network interfaces. Absent: they go in the node subnet.",
    }),
    multus: z.array(Cidr).min(1).optional().meta({
      description:
        "Subnets for the extra (Multus) interfaces of nodes in this AZ, one per interface index; routed like the node subnet.",
    }),
  })
  .meta({ description: "The subnets of one availability zone, by role." });

export const Network = z.strictObject({
  vpcCidr: Cidr.meta({ description: "Primary CIDR block of the VPC." }),
  secondaryCidrs: z.array(Cidr).default([]).meta({
    description:
      "Extra CIDR blocks associated with the VPC, typically 100.64.0.0/16 (RFC 6598) to grow the pod address pool.",
  }),
  natGateways: z.enum(["single", "perAz"]).default("single").meta({
    description: "One NAT gateway for the VPC (cheaper) or one per AZ (no cross-AZ dependency).",
  }),
  zones: z
    .record(z.string(), ZoneSubnets)
    .refine((zones) => Object.keys(zones).length > 0, { message: "must list at least one availability zone" })
    .meta({ description: "Subnets per availability zone, keyed by AZ name (us-east-1a, ...)." }),
});
