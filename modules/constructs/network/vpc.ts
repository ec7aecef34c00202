import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { cidr, contains } from "../../plan/cidr";
import { IpamPoolChecks } from "./ipam-pool-checks";

export interface EksVpcProps {
  /** Prefix of Name tags. */
  readonly name: string;
  readonly cidr: string;
  /** Extra blocks, typically for pods (100.64.0.0/16). */
  readonly secondaryCidrs: readonly string[];
  /** The IPAM pool `cidr` is allocated from (with plan-time checks that it lies in the pool). Default: none. */
  readonly ipamPoolId?: string;
  /** The region, for the IPAM pool's locale. */
  readonly region: string;
}

/** The VPC with its secondary CIDR blocks and internet gateway. */
export class EksVpc extends Construct {
  readonly vpcId: string;
  readonly internetGatewayId: string;
  /** The internet gateway, for what only works once it exists (public NAT gateways). */
  readonly internetGateway: ITerraformDependable;
  private readonly associations: Array<{ cidr: string; association: VpcIpv4CidrBlockAssociation }>;

  constructor(scope: Construct, id: string, props: EksVpcProps) {
    super(scope, id);
    if (props.ipamPoolId)
      new IpamPoolChecks(this, "ipam", { ipamPoolId: props.ipamPoolId, vpcCidr: props.cidr, region: props.region });
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      // With IPAM, the literal block is allocated from the pool (ForceNew: adding it replaces the VPC).
      ipv4IpamPoolId: props.ipamPoolId,
      // EKS needs both: nodes register by their private DNS names and the endpoint resolves privately.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    this.vpcId = vpc.id;
    this.associations = props.secondaryCidrs.map((block, i) => ({
      cidr: block,
      association: new VpcIpv4CidrBlockAssociation(this, `secondary-cidr-${i}`, { vpcId: vpc.id, cidrBlock: block }),
    }));
    const gateway = new InternetGateway(this, "internet-gateway", { vpcId: vpc.id, tags: { Name: props.name } });
    this.internetGatewayId = gateway.id;
    this.internetGateway = gateway;
    // The default security group allows all traffic between its members; nothing here uses it, so it
    // is emptied (CIS AWS 5.4) rather than left open for whoever picks it by default.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });
  }

  /** The secondary association a subnet must wait for, if the subnet lies in a secondary block. */
  associationFor(subnetCidr: string): ITerraformDependable | undefined {
    const block = cidr(subnetCidr);
    return this.associations.find((a) => contains(cidr(a.cidr), block))?.association;
  }
}
