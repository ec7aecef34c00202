/**
 * The networks file (networks/external.yaml): the organisation's address plan and the networks
 * outside the environments that they must respect. Not an environment: it lives apart from
 * environments/, has its own JSON Schema (networks/networks.schema.json), and only the plan across
 * environments (`npm run ip-plan -- --all`, `npm run diagram -- --all`) reads it.
 */
import { z } from "zod";
import { Cidr, Name } from "./schema/primitives";

export const EXTERNAL_NETWORK_KINDS = [
  "on-premises",
  "peered-vpc",
  "transit-gateway",
  "vpn",
  "other-cloud",
  "other",
] as const;

const AddressBlock = z
  .strictObject({
    name: Name("block name", 63).meta({ description: "What the block is for, e.g. cloud-eu." }),
    cidr: Cidr,
    description: z.string().optional(),
  })
  .meta({ description: "A block of the organisation's address plan, handed out to environments." });

const ExternalNetwork = z
  .strictObject({
    name: Name("network name", 63),
    kind: z.enum(EXTERNAL_NETWORK_KINDS).meta({ description: "What the network is." }),
    cidrs: z.array(Cidr).min(1).meta({ description: "Its ranges." }),
    routed: z.boolean().meta({
      description:
        "Whether it is routed to the environments (VPN, Direct Connect, peering, transit gateway): then no VPC block, subnet or service range of any environment may overlap it. An unrouted network that overlaps is a warning.",
    }),
    description: z.string().optional(),
  })
  .meta({ description: "A network outside the environments." });

export const NetworksSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint: the JSON Schema of this file." }),
    description: z.string().optional(),
    blocks: z.array(AddressBlock).default([]).meta({
      description:
        "The organisation's address plan: the blocks VPCs are taken from. The IP plan shows the free space left in each, and warns about a VPC block in none of them. Default: none.",
    }),
    externalNetworks: z.array(ExternalNetwork).default([]).meta({
      description:
        "Networks the environments must respect: on-premises, peered VPCs, transit gateway attachments, VPN clients, other clouds. Default: none.",
    }),
  })
  .meta({
    title: "eks-custom-networking networks",
    description: "The organisation's address plan and the networks outside the environments.",
  });

export type NetworksFile = z.output<typeof NetworksSchema>;
export type ExternalNetworkSpec = NetworksFile["externalNetworks"][number];
export type AddressBlockSpec = NetworksFile["blocks"][number];
