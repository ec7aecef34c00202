/**
 * `network`: the VPC and its subnets per availability zone. Three forms, told apart by their keys
 * (checks/network-form.ts says which combinations are allowed, with the fix):
 * - the environment's own VPC: `vpcCidr` and `zones` (optionally `secondaryCidrs`, `natGateways`, `ipamPoolId`);
 * - another environment's network: `from` alone (its VPC and subnets, read through its state);
 * - an existing VPC by id: `vpcId`, `vpcCidr`, `zones` with the CIDRs, and `subnetIds` with their ids.
 */
import { z } from "zod";
import { Cidr } from "./primitives";

export const ZoneSubnets = z
  .strictObject({
    node: Cidr.meta({
      description:
        "Private subnet of the nodes' primary interfaces. Without custom networking, pods take their addresses here too.",
    }),
    pod: Cidr.optional().meta({
      description: "Subnet the VPC CNI gives pods their addresses from, with custom networking (one ENIConfig per AZ).",
    }),
    public: Cidr.optional().meta({
      description:
        "Public subnet, routed to the internet gateway: NAT gateways, internet-facing load balancers, public node groups. Required in the environment's own VPC; an existing VPC may have none.",
    }),
    controlPlane: Cidr.optional().meta({
      description: "Dedicated subnet for the EKS control-plane network interfaces. Absent: they go in the node subnet.",
    }),
    multus: z.array(Cidr).min(1).optional().meta({
      description:
        "Subnets for the extra (Multus) interfaces of nodes in this AZ, one per interface index; routed like the node subnet. Only in the environment's own VPC.",
    }),
  })
  .meta({ description: "The subnets of one availability zone, by role." });

const SubnetId = z
  .string()
  .regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" });

/** The roles an existing subnet can be named for (Multus subnets need reservations of the VPC's owner). */
export const ExistingSubnetIds = z
  .strictObject({
    node: SubnetId.optional(),
    pod: SubnetId.optional(),
    public: SubnetId.optional(),
    controlPlane: SubnetId.optional(),
  })
  .meta({ description: "Ids of the subnets of one AZ of an existing VPC, by the role given them in zones." });

export const Network = z.strictObject({
  from: z.string().min(1).optional().meta({
    description:
      "Use the network of another environment: the path of its file, relative to this one (./demo.yaml). That file is loaded and checked too; its VPC and subnets are read from its network stack's state (its backend) at plan time, and this cluster tags the subnets it uses. Nothing else goes in network then.",
  }),
  vpcId: z
    .string()
    .regex(/^vpc-[0-9a-f]{8,17}$/, { message: "must be a VPC id such as vpc-0123abcd" })
    .optional()
    .meta({
      description:
        "Use an existing VPC (created outside this project) by id. State its blocks in vpcCidr and secondaryCidrs and its subnets in zones and subnetIds; the network stack checks at plan time that the ids and CIDRs agree, and creates nothing but this cluster's subnet tags.",
    }),
  ipamPoolId: z
    .string()
    .regex(/^ipam-pool-[0-9a-f]+$/, { message: "must be an IPAM pool id such as ipam-pool-0123abcd" })
    .optional()
    .meta({
      description:
        "Allocate vpcCidr from this AWS VPC IPAM pool (the VPC is created with ipv4_ipam_pool_id and the literal cidr_block). A plan-time condition checks that the pool is an IPv4 pool of the region and that vpcCidr lies in one of its provisioned CIDRs. Absent: no IPAM. Changing it replaces the VPC.",
    }),
  vpcCidr: Cidr.optional().meta({
    description: "Primary CIDR block of the VPC. Required unless the network comes `from` another environment.",
  }),
  secondaryCidrs: z.array(Cidr).optional().meta({
    description:
      "Extra CIDR blocks associated with the VPC, typically 100.64.0.0/16 (RFC 6598) to grow the pod address pool. Default: none.",
  }),
  natGateways: z.enum(["single", "perAz"]).optional().meta({
    description:
      "One NAT gateway for the VPC (cheaper) or one per AZ (no cross-AZ dependency). Default: single. Only in the environment's own VPC.",
  }),
  zones: z
    .record(z.string(), ZoneSubnets)
    .refine((zones) => Object.keys(zones).length > 0, { message: "must list at least one availability zone" })
    .optional()
    .meta({ description: "Subnets per availability zone, keyed by AZ name (us-east-1a, ...)." }),
  subnetIds: z.record(z.string(), ExistingSubnetIds).optional().meta({
    description:
      "With vpcId: the id of every subnet listed in zones, by AZ and role (node, pod, public, controlPlane).",
  }),
});
