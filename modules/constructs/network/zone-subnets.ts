import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Construct } from "constructs";
import type { ZoneSubnetPlan } from "../../environment/schema";
import type { PodNetworkMode } from "../../plan/pod-network";
import { subnetTags } from "../../plan/subnet-tags";
import { isPublicRole, type SubnetRole } from "../../plan/subnets";
import type { EksVpc } from "./vpc";
import type { ZoneSubnetIds } from "./zone-subnet-ids";

export interface ZoneSubnetsProps {
  readonly vpc: EksVpc;
  readonly az: string;
  readonly plan: ZoneSubnetPlan;
  /** Prefix of Name tags. */
  readonly name: string;
  /**
   * Interface indexes whose Multus subnet here is a public network's: routed to the internet
   * gateway instead of NAT. Default: none.
   */
  readonly publicMultusIndexes?: readonly number[];
  /** The pod network mode: with subnet discovery the pod subnets carry the CNI's discovery tag. */
  readonly podNetwork: PodNetworkMode;
}

/** A subnet of the zone by its key: the role, with the interface index for Multus (multus-1). */
export interface ZoneSubnet {
  readonly key: string;
  readonly role: SubnetRole;
  readonly id: string;
  /** Routed to the internet gateway: the public subnet, and the Multus subnets of public networks. */
  readonly public: boolean;
}

/** The subnets of one availability zone, one per role the plan gives it. */
export class ZoneSubnets extends Construct implements ZoneSubnetIds {
  readonly az: string;
  /** Every subnet of the zone, in plan order: node, pod, public, controlPlane, multus by index. */
  readonly subnets: ZoneSubnet[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ZoneSubnetsProps,
  ) {
    super(scope, id);
    this.az = props.az;
    const { plan } = props;
    this.subnet("node", plan.node);
    if (plan.pod) this.subnet("pod", plan.pod);
    if (plan.public) this.subnet("public", plan.public);
    if (plan.controlPlane) this.subnet("controlPlane", plan.controlPlane);
    (plan.multus ?? []).forEach((block, i) => this.subnet("multus", block, i + 1));
  }

  /** The id of the subnet of a role (Multus: of interface index 1 unless given), if the zone has one. */
  subnetIdFor(role: SubnetRole, interfaceIndex = 1): string | undefined {
    return this.subnets.find((s) => s.key === subnetKey(role, interfaceIndex))?.id;
  }

  /** The Multus subnets' ids; index i serves extra interface i + 1. */
  get multusSubnetIds(): string[] {
    return this.subnets.filter((s) => s.role === "multus").map((s) => s.id);
  }

  /** Subnets whose traffic to the internet goes through NAT: every one but the public ones. */
  get privateSubnets(): ZoneSubnet[] {
    return this.subnets.filter((s) => !s.public);
  }

  /** The Multus subnets of public networks, which route to the internet gateway like the public subnet. */
  get publicMultusSubnets(): ZoneSubnet[] {
    return this.subnets.filter((s) => s.public && s.role === "multus");
  }

  private subnet(role: SubnetRole, block: string, interfaceIndex?: number): void {
    const { vpc, az, name, podNetwork } = this.props;
    const key = subnetKey(role, interfaceIndex ?? 1);
    const secondary = vpc.associationFor(block);
    const subnet = new Subnet(this, key, {
      vpcId: vpc.vpcId,
      availabilityZone: az,
      cidrBlock: block,
      // Only public subnets hand out public addresses: nodes placed there (subnet: public) need one to
      // reach the internet without NAT. A public Multus network's addresses get Elastic IPs instead.
      mapPublicIpOnLaunch: isPublicRole(role),
      // The cluster tag is an aws_ec2_tag of its own (ClusterSubnetTags), like every other cluster's here.
      tags: subnetTags(role, `${name}-${key}-${az}`, podNetwork),
      // A subnet in a secondary block cannot exist before that block is associated with the VPC.
      dependsOn: secondary ? [secondary] : undefined,
    });
    const routedPublic =
      isPublicRole(role) || (role === "multus" && (this.props.publicMultusIndexes ?? []).includes(interfaceIndex ?? 1));
    this.subnets.push({ key, role, id: subnet.id, public: routedPublic });
  }
}

/** The construct id of a subnet: its role, and for Multus the interface index (multus-1). */
export function subnetKey(role: SubnetRole, interfaceIndex: number): string {
  switch (role) {
    case "multus":
      return `multus-${interfaceIndex}`;
    case "node":
    case "pod":
    case "public":
    case "controlPlane":
      return role;
  }
}
