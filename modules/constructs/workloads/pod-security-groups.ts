import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { portsText, type PlannedPodSecurityGroup, type PlannedSecurityGroupRule } from "../../plan/pod-security-groups";

export interface PodSecurityGroupsProps {
  /** Every policy's security group, with its rules (plan/pod-security-groups.ts). */
  readonly groups: readonly PlannedPodSecurityGroup[];
  readonly vpcId: string;
  /** The EKS cluster security group, which rules may name and policies may add. */
  readonly clusterSecurityGroupId: string;
}

/**
 * The security groups of the SecurityGroupPolicy objects, one per policy, each with exactly the
 * rules its policy lists, one resource per rule (aws_vpc_security_group_ingress_rule and _egress_rule,
 * keyed by what the rule is, so reordering the list replaces nothing). The AWS provider removes the
 * allow-all egress rule EC2 gives a new group, so a group allows no outbound traffic but its rules.
 * An egress rule to the cluster security group comes with the matching ingress rule on that group,
 * which otherwise takes traffic from its own members only.
 */
export class PodSecurityGroups extends Construct {
  private readonly ids = new Map<string, string>();
  private readonly clusterSecurityGroupId: string;
  private readonly groups: readonly PlannedPodSecurityGroup[];

  constructor(scope: Construct, id: string, props: PodSecurityGroupsProps) {
    super(scope, id);
    this.clusterSecurityGroupId = props.clusterSecurityGroupId;
    this.groups = props.groups;
    // Every group first: a rule may name any policy's group.
    for (const group of props.groups) {
      const sg = new SecurityGroup(this, group.policy.name, {
        name: group.name,
        description: group.description,
        vpcId: props.vpcId,
        tags: { Name: group.name },
      });
      this.ids.set(group.policy.name, sg.id);
    }
    for (const group of props.groups) {
      const securityGroupId = this.ids.get(group.policy.name) as string;
      for (const rule of group.rules) {
        const common = {
          securityGroupId,
          description: rule.description,
          ipProtocol: rule.ipProtocol,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
          ...this.peer(rule),
        };
        const ruleId = `${group.policy.name}-${rule.key}`;
        if (rule.direction === "ingress") new VpcSecurityGroupIngressRule(this, ruleId, common);
        else new VpcSecurityGroupEgressRule(this, ruleId, common);
        // The cluster security group takes ingress from itself only: for egress to it to arrive
        // (CoreDNS, the API server's ENIs, nodes), it must also take this group's traffic.
        if (rule.direction === "egress" && "clusterSecurityGroup" in rule.peer) {
          new VpcSecurityGroupIngressRule(this, `cluster-from-${ruleId}`, {
            ...common,
            securityGroupId: this.clusterSecurityGroupId,
            referencedSecurityGroupId: securityGroupId,
            description: `${portsText(rule)} from ${group.name}`,
          });
        }
      }
    }
  }

  /** The groups a policy's pods get: its own, and the cluster security group when it asks for it. */
  groupIdsFor(policyName: string): string[] {
    const group = this.groups.find((g) => g.policy.name === policyName);
    const own = this.ids.get(policyName);
    if (!group || own === undefined) return [];
    return group.clusterSecurityGroup ? [own, this.clusterSecurityGroupId] : [own];
  }

  /** namespace/name of each policy -> its security group id. */
  get securityGroupIds(): Record<string, string> {
    return Object.fromEntries(
      this.groups.map((g) => [`${g.policy.namespace}/${g.policy.name}`, this.ids.get(g.policy.name) as string]),
    );
  }

  private peer(rule: PlannedSecurityGroupRule): { cidrIpv4?: string; referencedSecurityGroupId?: string } {
    if ("cidr" in rule.peer) return { cidrIpv4: rule.peer.cidr };
    if ("policy" in rule.peer) return { referencedSecurityGroupId: this.ids.get(rule.peer.policy) };
    return { referencedSecurityGroupId: this.clusterSecurityGroupId };
  }
}
