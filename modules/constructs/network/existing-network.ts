import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Construct } from "constructs";
import type { ExistingSubnetRole, Network } from "../../environment/schema";
import { SUBNET_DISCOVERY_TAG } from "../../plan/labels";
import { plannedSubnets } from "../../plan/subnets";
import { KnownZoneSubnets, type ZoneSubnetIds } from "./zone-subnet-ids";

export interface ExistingNetworkProps {
  readonly vpcId: string;
  /** The blocks and subnets the environment file states for it. */
  readonly network: Network;
  /** Ids by AZ and role, as the file names them. */
  readonly subnetIds: Readonly<Record<string, Partial<Record<ExistingSubnetRole, string>>>>;
  /** AZs whose public subnet holds nodes: those must give instances a public address. */
  readonly publicNodeZones: readonly string[];
  /** Subnet discovery: the pod subnets must carry the discovery tag, which is the VPC owner's to set. */
  readonly podSubnetsDiscovered: boolean;
  /** The environment, for messages. */
  readonly environment: string;
}

const literal = (text: string) => JSON.stringify(text);

/**
 * A VPC created outside this project, read by id (data sources, nothing created or destroyed). Every
 * read carries postconditions, checked at plan time: the VPC has the blocks the file states and the
 * DNS settings EKS needs; each subnet is in that VPC, in its AZ, with its CIDR; a public subnet with
 * nodes maps public addresses on launch; with subnet discovery, a pod subnet carries its tag. So the
 * checks and the IP plan, which work on the stated CIDRs, hold for what is there.
 */
export class ExistingNetwork extends Construct {
  readonly vpcId: string;
  readonly zones: Record<string, ZoneSubnetIds> = {};

  constructor(scope: Construct, id: string, props: ExistingNetworkProps) {
    super(scope, id);
    const { vpcId, network, environment } = props;
    const stated = (field: string) => `environment ${environment} states in ${field}`;
    const vpc = new DataAwsVpc(this, "vpc", {
      id: vpcId,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.cidr_block == ${literal(network.vpcCidr)}}`,
            errorMessage: `VPC ${vpcId} has the primary block \${self.cidr_block}, not ${network.vpcCidr} as ${stated("network.vpcCidr")}.`,
          },
          ...network.secondaryCidrs.map((block, i) => ({
            condition: `\${contains([for a in self.cidr_block_associations : a.cidr_block if a.state == "associated"], ${literal(block)})}`,
            errorMessage: `VPC ${vpcId} has no associated block ${block}, which ${stated(`network.secondaryCidrs[${i}]`)}.`,
          })),
          {
            condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
            errorMessage: `VPC ${vpcId} must have DNS support and DNS hostnames turned on: nodes register by their private DNS names and the cluster endpoint resolves privately.`,
          },
        ],
      },
    });
    this.vpcId = vpc.id;
    for (const az of Object.keys(network.zones)) {
      const ids: Partial<Record<string, string>> = {};
      for (const subnet of plannedSubnets(network).filter((s) => s.az === az && s.role !== "multus")) {
        const role = subnet.role as ExistingSubnetRole;
        const subnetId = props.subnetIds[az]?.[role];
        if (!subnetId) continue; // checks/network-form.ts requires every id
        const field = `network.subnetIds.${az}.${role}`;
        const read = new DataAwsSubnet(this, `${role}-${az}`, {
          id: subnetId,
          lifecycle: {
            postcondition: [
              {
                condition: `\${self.vpc_id == ${literal(vpcId)}}`,
                errorMessage: `Subnet ${subnetId} (${field}) is in \${self.vpc_id}, not in network.vpcId ${vpcId}.`,
              },
              {
                condition: `\${self.availability_zone == ${literal(az)}}`,
                errorMessage: `Subnet ${subnetId} (${field}) is in \${self.availability_zone}, not in ${az}.`,
              },
              {
                condition: `\${self.cidr_block == ${literal(subnet.cidr)}}`,
                errorMessage: `Subnet ${subnetId} has the range \${self.cidr_block}, not ${subnet.cidr} as ${stated(`network.zones.${az}.${role}`)}.`,
              },
              ...(role === "public" && props.publicNodeZones.includes(az)
                ? [
                    {
                      condition: "${self.map_public_ip_on_launch}",
                      errorMessage: `Subnet ${subnetId} (${field}) holds nodes of a public node group but gives instances no public address: turn on auto-assign public IPv4 addresses for it, or put the nodes in the node subnets.`,
                    },
                  ]
                : []),
              ...(role === "pod" && props.podSubnetsDiscovered
                ? [
                    {
                      condition: `\${lookup(self.tags, ${literal(SUBNET_DISCOVERY_TAG)}, "") == "1"}`,
                      errorMessage: `Subnet ${subnetId} (${field}) is a pod subnet of subnet discovery but is not tagged ${SUBNET_DISCOVERY_TAG}=1: the VPC CNI would not put pod interfaces in it. Ask the VPC's owner to tag it.`,
                    },
                  ]
                : []),
            ],
          },
        });
        ids[role] = read.id;
      }
      this.zones[az] = new KnownZoneSubnets(az, ids);
    }
  }
}
