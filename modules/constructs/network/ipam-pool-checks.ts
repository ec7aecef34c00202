import { DataAwsVpcIpamPool } from "@cdktf/provider-aws/lib/data-aws-vpc-ipam-pool";
import { DataAwsVpcIpamPoolCidrs } from "@cdktf/provider-aws/lib/data-aws-vpc-ipam-pool-cidrs";
import { Construct } from "constructs";
import { cidr } from "../../plan/cidr";

export interface IpamPoolChecksProps {
  readonly ipamPoolId: string;
  /** The VPC's literal primary block, to be allocated from the pool. */
  readonly vpcCidr: string;
  readonly region: string;
}

/**
 * Plan-time conditions on the IPAM pool a VPC's block is allocated from: an IPv4 pool of the VPC's
 * region whose allocation rules admit the block's size, with a provisioned CIDR that holds the block.
 * Terraform has no CIDR-containment function, so containment is written as: the pool CIDR's prefix
 * is at most the block's, and the block's address masked to that prefix is the pool CIDR's address
 * (cidrhost(..., 0) masks: it takes the network of a CIDR with host bits set).
 */
export class IpamPoolChecks extends Construct {
  constructor(scope: Construct, id: string, props: IpamPoolChecksProps) {
    super(scope, id);
    const { ipamPoolId, vpcCidr, region } = props;
    const block = cidr(vpcCidr);
    const address = vpcCidr.split("/")[0];
    new DataAwsVpcIpamPool(this, "pool", {
      ipamPoolId,
      lifecycle: {
        postcondition: [
          {
            condition: '${self.address_family == "ipv4"}',
            errorMessage: `IPAM pool ${ipamPoolId} is an \${self.address_family} pool; network.vpcCidr ${vpcCidr} needs an IPv4 pool.`,
          },
          {
            condition: `\${self.locale == "${region}"}`,
            errorMessage: `IPAM pool ${ipamPoolId} allocates in \${self.locale}, not in ${region}, where this VPC is: use a pool whose locale is ${region}.`,
          },
          {
            condition: `\${(self.allocation_min_netmask_length == 0 || self.allocation_min_netmask_length <= ${block.prefix}) && (self.allocation_max_netmask_length == 0 || self.allocation_max_netmask_length >= ${block.prefix})}`,
            errorMessage: `IPAM pool ${ipamPoolId} allocates /\${self.allocation_min_netmask_length} to /\${self.allocation_max_netmask_length} blocks; network.vpcCidr ${vpcCidr} is a /${block.prefix}.`,
          },
        ],
      },
    });
    new DataAwsVpcIpamPoolCidrs(this, "pool-cidrs", {
      ipamPoolId,
      lifecycle: {
        postcondition: [
          {
            condition: `\${anytrue([for c in self.ipam_pool_cidrs : c.state == "provisioned" && tonumber(split("/", c.cidr)[1]) <= ${block.prefix} && cidrhost(format("${address}/%s", split("/", c.cidr)[1]), 0) == cidrhost(c.cidr, 0)])}`,
            errorMessage: `network.vpcCidr ${vpcCidr} lies in none of the provisioned CIDRs of IPAM pool ${ipamPoolId}: take the block from the pool's CIDRs, or provision one that holds it.`,
          },
        ],
      },
    });
  }
}
