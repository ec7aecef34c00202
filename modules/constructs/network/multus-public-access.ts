import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { IngressPermission } from "../../plan/multus-public";

export interface PublicNetworkAccess {
  /** The network's name: the key of securityGroupIdFor. */
  readonly network: string;
  /** Its security group's name (plan/names.ts multusPublicSecurityGroupName). */
  readonly securityGroupName: string;
  /** Said once in the group's description, which EC2 cannot change in place. */
  readonly description: string;
  /** Who may reach the network's addresses (plan/multus-public.ts ingressPermission). */
  readonly ingress: readonly IngressPermission[];
}

export interface MultusPublicAccessProps {
  readonly vpcId: string;
  readonly networks: readonly PublicNetworkAccess[];
}

/**
 * One security group per public Multus network, the only group on the network's interfaces: inbound
 * only from the sources the environment allows for the network, outbound to anywhere (the pods'
 * own traffic leaves from their public addresses; the group is stateful, so replies come back).
 * Rules are resources of their own, keyed by what they allow, so adding or removing one leaves the
 * others in place; Terraform removes the allow-all egress rule EC2 gives a new group, and the
 * explicit one here takes its place.
 */
export class MultusPublicAccess extends Construct {
  private readonly groups = new Map<string, string>();

  constructor(scope: Construct, id: string, props: MultusPublicAccessProps) {
    super(scope, id);
    for (const network of props.networks) {
      const group = new SecurityGroup(this, network.network, {
        name: network.securityGroupName,
        description: network.description,
        vpcId: props.vpcId,
        tags: { Name: network.securityGroupName },
      });
      new VpcSecurityGroupEgressRule(this, `${network.network}-egress`, {
        securityGroupId: group.id,
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: "Traffic of the pods from their public addresses",
      });
      for (const rule of network.ingress) {
        new VpcSecurityGroupIngressRule(this, `${network.network}-in-${rule.key.replace(/[./]/g, "_")}`, {
          securityGroupId: group.id,
          cidrIpv4: rule.cidr,
          ipProtocol: rule.ipProtocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          description: rule.description,
        });
      }
      this.groups.set(network.network, group.id);
    }
  }

  /** The security group of a public network, by name. */
  securityGroupIdFor(network: string): string | undefined {
    return this.groups.get(network);
  }
}
