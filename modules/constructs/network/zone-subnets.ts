import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Construct } from "constructs";
import type { ZoneSubnetPlan } from "../../environment/schema";
import type { SubnetRole } from "../../plan/subnets";
import { subnetTags } from "../../plan/subnet-tags";
import type { EksVpc } from "./vpc";

export interface ZoneSubnetsProps {
  vpc: EksVpc;
  az: string;
  plan: ZoneSubnetPlan;
  clusterName: string;
  /** Prefix of Name tags. */
  name: string;
}

/** The subnets of one availability zone, one per role the plan gives it. */
export class ZoneSubnets extends Construct {
  readonly az: string;
  readonly nodeSubnet: Subnet;
  readonly podSubnet?: Subnet;
  readonly publicSubnet: Subnet;
  readonly controlPlaneSubnet?: Subnet;
  /** Index i serves extra interface i + 1. */
  readonly multusSubnets: Subnet[];

  constructor(scope: Construct, id: string, private readonly props: ZoneSubnetsProps) {
    super(scope, id);
    this.az = props.az;
    const { plan } = props;
    this.nodeSubnet = this.subnet("node", plan.node);
    this.podSubnet = plan.pod ? this.subnet("pod", plan.pod) : undefined;
    this.publicSubnet = this.subnet("public", plan.public);
    this.controlPlaneSubnet = plan.controlPlane ? this.subnet("controlPlane", plan.controlPlane) : undefined;
    this.multusSubnets = (plan.multus ?? []).map((block, i) => this.subnet("multus", block, i + 1));
  }

  /** The subnet of a role (Multus: of interface index 1 unless given). */
  subnetFor(role: SubnetRole, interfaceIndex = 1): Subnet | undefined {
    switch (role) {
      case "node":
        return this.nodeSubnet;
      case "pod":
        return this.podSubnet;
      case "public":
        return this.publicSubnet;
      case "controlPlane":
        return this.controlPlaneSubnet;
      case "multus":
        return this.multusSubnets[interfaceIndex - 1];
    }
  }

  /** Subnets whose traffic to the internet goes through NAT. */
  get privateSubnets(): Subnet[] {
    return [this.nodeSubnet, ...(this.podSubnet ? [this.podSubnet] : []), ...(this.controlPlaneSubnet ? [this.controlPlaneSubnet] : []), ...this.multusSubnets];
  }

  private subnet(role: SubnetRole, block: string, interfaceIndex?: number): Subnet {
    const { vpc, az, clusterName, name } = this.props;
    const id = interfaceIndex ? `${role}-${interfaceIndex}` : role;
    const secondary = vpc.associationFor(block);
    return new Subnet(this, id, {
      vpcId: vpc.vpc.id,
      availabilityZone: az,
      cidrBlock: block,
      // Only public subnets hand out public addresses: nodes placed there (subnet: public) need one to
      // reach the internet without NAT.
      mapPublicIpOnLaunch: role === "public",
      tags: subnetTags(role, clusterName, `${name}-${id}-${az}`),
      // A subnet in a secondary block cannot exist before that block is associated with the VPC.
      dependsOn: secondary ? [secondary] : undefined,
    });
  }
}
