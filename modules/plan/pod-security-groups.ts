/**
 * Security groups for pods as the plan makes them: per `cni.podSecurityGroups.policies` entry, one
 * security group the project creates (named in names.ts), its rules in the form EC2 takes them, and
 * the groups its SecurityGroupPolicy hands the selected pods. Pure; the checks judge the same rules
 * (refusing ingress from 0.0.0.0/0, unknown peers, duplicates) before anything is built.
 */
import type { Environment, SecurityGroupPolicySpec, SecurityGroupRuleSpec } from "../environment/schema";
import { podSecurityGroupName } from "./names";

/** What `securityGroup` names in a rule for the EKS cluster security group. */
export const CLUSTER_SECURITY_GROUP_PEER = "cluster";

export type RulePeer = { cidr: string } | { clusterSecurityGroup: true } | { policy: string };

export interface PlannedSecurityGroupRule {
  direction: "ingress" | "egress";
  /** EC2's ip_protocol: tcp, udp, or -1 for every protocol. */
  ipProtocol: "tcp" | "udp" | "-1";
  /** Absent for every protocol (-1). */
  fromPort?: number;
  toPort?: number;
  peer: RulePeer;
  description: string;
  /**
   * Made of what the rule is (direction, protocol, ports, peer), not where it is in the list or how
   * it is described, so reordering or rewording rules replaces none. It names the rule's resource.
   */
  key: string;
}

export interface PlannedPodSecurityGroup {
  policy: SecurityGroupPolicySpec;
  policyIndex: number;
  name: string;
  /** EC2 replaces a group whose description changes, so it is made of what names the group only. */
  description: string;
  rules: PlannedSecurityGroupRule[];
  /** The selected pods get the cluster security group too. */
  clusterSecurityGroup: boolean;
}

export function podSecurityGroupsPlan(env: Pick<Environment, "cni" | "cluster">): PlannedPodSecurityGroup[] {
  return (env.cni.podSecurityGroups?.policies ?? []).map((policy, policyIndex) => ({
    policy,
    policyIndex,
    name: podSecurityGroupName(env.cluster.name, policy.name),
    description: `Pods of ${policy.namespace} selected by SecurityGroupPolicy ${policy.name} in ${env.cluster.name}`,
    rules: [
      ...policy.ingress.map((rule) => plannedRule("ingress", rule)),
      ...policy.egress.map((rule) => plannedRule("egress", rule)),
    ],
    clusterSecurityGroup: policy.clusterSecurityGroup,
  }));
}

export function rulePeer(rule: Pick<SecurityGroupRuleSpec, "cidr" | "securityGroup">): RulePeer | undefined {
  if (rule.cidr !== undefined) return { cidr: rule.cidr };
  if (rule.securityGroup === CLUSTER_SECURITY_GROUP_PEER) return { clusterSecurityGroup: true };
  if (rule.securityGroup !== undefined) return { policy: rule.securityGroup };
  return undefined;
}

export function peerText(peer: RulePeer): string {
  if ("cidr" in peer) return peer.cidr;
  if ("policy" in peer) return `security group of policy ${peer.policy}`;
  return "the cluster security group";
}

/** "tcp 8080", "udp 5000-5010", "all traffic". */
export function portsText(rule: Pick<PlannedSecurityGroupRule, "ipProtocol" | "fromPort" | "toPort">): string {
  if (rule.ipProtocol === "-1") return "all traffic";
  return `${rule.ipProtocol} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
}

function plannedRule(direction: "ingress" | "egress", rule: SecurityGroupRuleSpec): PlannedSecurityGroupRule {
  const ipProtocol = rule.protocol === "all" ? "-1" : rule.protocol;
  const ports = ipProtocol === "-1" ? {} : { fromPort: rule.port ?? 0, toPort: rule.toPort ?? rule.port ?? 65535 };
  // A rule without a peer is the checks' to refuse; here it must only not throw.
  const peer = rulePeer(rule) ?? { cidr: "" };
  const withPorts = { ipProtocol, ...ports } as const;
  const summary = `${portsText(withPorts)} ${direction === "ingress" ? "from" : "to"} ${peerText(peer)}`;
  const peerKey = "cidr" in peer ? peer.cidr : "policy" in peer ? `policy-${peer.policy}` : CLUSTER_SECURITY_GROUP_PEER;
  const portsKey = ipProtocol === "-1" ? "all" : `${ipProtocol}-${ports.fromPort}-${ports.toPort}`;
  return {
    direction,
    ...withPorts,
    peer,
    description: rule.description ?? summary,
    key: `${direction}-${portsKey}-${peerKey}`,
  };
}
