/**
 * Security groups for pods: policies the VPC resource controller and EC2 accept (a selector, unique
 * names, rules with one peer each, no ingress from anywhere), and node groups whose instance types
 * can carry pods with security groups of their own (a trunk ENI: the VPC resource controller's
 * table, shipped in plan/instance-types.data.json).
 */
import { parseCidr } from "../plan/cidr";
import { instanceTypeInfo } from "../plan/instance-types";
import { PUBLIC_IP_LABEL, publicIpPodLabels } from "../plan/labels";
import { CLUSTER_SECURITY_GROUP_PEER, peerText, podSecurityGroupsPlan, portsText } from "../plan/pod-security-groups";
import { error, warning, type FieldPath, type Problem } from "../environment/problems";
import type { Environment, SecurityGroupRuleSpec } from "../environment/schema";

/** EC2's characters for security group rule descriptions (CreateSecurityGroup, AuthorizeSecurityGroupIngress). */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

export function checkPodSecurityGroups(env: Environment): Problem[] {
  const spec = env.cni.podSecurityGroups;
  if (!spec) return [];
  const problems: Problem[] = [...checkInstanceTypes(env), ...checkPublicIpPods(env)];
  const names = spec.policies.map((p) => p.name);
  spec.policies.forEach((policy, i) => {
    const at = (...path: Array<string | number>): FieldPath => ["cni", "podSecurityGroups", "policies", i, ...path];
    const earlier = names.indexOf(policy.name);
    if (earlier !== i) {
      problems.push(
        error(
          at("name"),
          `policy name ${policy.name} is also used by policies[${earlier}]; each policy's security group is named after it (${env.cluster.name}-pods-${policy.name}), which must be unique in the VPC`,
          "give every policy its own name",
        ),
      );
    }
    if (policy.name === CLUSTER_SECURITY_GROUP_PEER) {
      problems.push(
        error(
          at("name"),
          `a policy may not be called "${CLUSTER_SECURITY_GROUP_PEER}": rules name the cluster security group so`,
          "rename the policy",
        ),
      );
    }
    if (!policy.podSelector && !policy.serviceAccountSelector) {
      problems.push(
        error(
          at(),
          `policy ${policy.name} selects no pods: it has neither podSelector nor serviceAccountSelector, and the VPC resource controller applies a policy only through one`,
          "add podSelector (the pods' labels; {} for every pod of the namespace) or serviceAccountSelector",
        ),
      );
    }
    const seen = new Map<string, number>();
    (["ingress", "egress"] as const).forEach((direction) =>
      policy[direction].forEach((rule, r) =>
        problems.push(...checkRule(rule, direction, at(direction, r), policy.name, names)),
      ),
    );
    const group = podSecurityGroupsPlan(env)[i];
    group.rules.forEach((rule) => {
      const count = (seen.get(rule.key) ?? 0) + 1;
      seen.set(rule.key, count);
      if (count === 2) {
        problems.push(
          error(
            at(rule.direction),
            `policy ${policy.name} lists the ${rule.direction} rule ${portsText(rule)} ${rule.direction === "ingress" ? "from" : "to"} ${peerText(rule.peer)} twice; EC2 refuses a duplicate rule`,
            "list each rule once",
          ),
        );
      }
    });
    const dns = group.rules.some(
      (r) =>
        r.direction === "egress" &&
        "clusterSecurityGroup" in r.peer &&
        (r.ipProtocol === "-1" || (r.ipProtocol === "udp" && (r.fromPort ?? 0) <= 53 && 53 <= (r.toPort ?? 0))),
    );
    if (!policy.clusterSecurityGroup && !dns) {
      problems.push(
        warning(
          at("clusterSecurityGroup"),
          `policy ${policy.name}: its pods get only ${group.name}, not the cluster security group, and no egress rule lets them reach CoreDNS (udp 53 to the cluster security group), so they cannot resolve names`,
          "add an egress rule { protocol: udp, port: 53, securityGroup: cluster } (and tcp 53), or set clusterSecurityGroup: true",
          "pod-security-group-without-dns",
        ),
      );
    }
  });
  return problems;
}

function checkRule(
  rule: SecurityGroupRuleSpec,
  direction: "ingress" | "egress",
  at: FieldPath,
  policy: string,
  policies: string[],
): Problem[] {
  const problems: Problem[] = [];
  const where = `policy ${policy}, ${direction} rule`;
  if ((rule.cidr === undefined) === (rule.securityGroup === undefined)) {
    problems.push(
      error(
        at,
        `${where}: ${rule.cidr === undefined ? "no peer" : `both cidr ${rule.cidr} and securityGroup ${rule.securityGroup}`}; a rule has exactly one`,
        `give either cidr (an IPv4 range) or securityGroup ("${CLUSTER_SECURITY_GROUP_PEER}" or a policy's name)`,
      ),
    );
  }
  if (rule.cidr !== undefined) {
    const parsed = parseCidr(rule.cidr);
    if (!parsed.ok) {
      problems.push(
        error(
          [...at, "cidr"],
          `${where}: ${parsed.reason}`,
          parsed.suggestion ? `write ${parsed.suggestion}` : "write a network address and prefix length",
        ),
      );
    } else if (direction === "ingress" && parsed.block.prefix === 0) {
      problems.push(
        error(
          [...at, "cidr"],
          `${where}: ingress from ${rule.cidr} would let any address on the internet reach these pods`,
          "name the ranges that must reach them (your VPC, a load balancer's subnets, an office), or a security group",
        ),
      );
    }
  }
  if (
    rule.securityGroup !== undefined &&
    rule.securityGroup !== CLUSTER_SECURITY_GROUP_PEER &&
    !policies.includes(rule.securityGroup)
  ) {
    problems.push(
      error(
        [...at, "securityGroup"],
        `${where}: securityGroup ${rule.securityGroup} is neither "${CLUSTER_SECURITY_GROUP_PEER}" nor a policy of cni.podSecurityGroups.policies (${policies.join(", ")})`,
        `name "${CLUSTER_SECURITY_GROUP_PEER}" or one of the policies; for another group, use its range as cidr`,
      ),
    );
  }
  if (rule.protocol === "all" && (rule.port !== undefined || rule.toPort !== undefined)) {
    problems.push(
      error(
        [...at, "port"],
        `${where}: protocol all covers every port, so port ${rule.port ?? rule.toPort} means nothing`,
        "remove port and toPort, or use tcp or udp",
      ),
    );
  }
  if (rule.protocol !== "all" && rule.port === undefined) {
    problems.push(
      error(
        [...at, "port"],
        `${where}: ${rule.protocol} needs a port`,
        "add port (and toPort for a range), or use protocol: all",
      ),
    );
  }
  if (rule.port !== undefined && rule.toPort !== undefined && rule.toPort < rule.port) {
    problems.push(
      error(
        [...at, "toPort"],
        `${where}: toPort ${rule.toPort} is below port ${rule.port}`,
        "make toPort the last port of the range, at least port",
      ),
    );
  }
  if (rule.description !== undefined && !RULE_DESCRIPTION.test(rule.description)) {
    problems.push(
      error(
        [...at, "description"],
        `${where}: EC2 refuses the description "${rule.description}"`,
        "use letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ * only",
      ),
    );
  }
  return problems;
}

/** Node groups against the trunking table: pods with security groups run only where a trunk ENI can be. */
function checkInstanceTypes(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const support = env.nodeGroups.map((group) => instanceTypeInfo(group.instanceType)?.trunking);
  env.nodeGroups.forEach((group, i) => {
    const trunking = support[i];
    if (trunking === false) {
      problems.push(
        warning(
          ["nodeGroups", i, "instanceType"],
          `${group.name}: ${group.instanceType} takes no trunk ENI (the VPC resource controller's table), so pods a SecurityGroupPolicy selects never run on its nodes`,
          "use a type that supports security groups for pods (most Nitro types: m5, c6i, r7g, ...; not t3, t3a, t4g or Xen types) where such pods must run",
          "pod-security-groups-unsupported-instance-type",
        ),
      );
    } else if (trunking === null) {
      problems.push(
        warning(
          ["nodeGroups", i, "instanceType"],
          `${group.name}: ${group.instanceType} is not in the VPC resource controller's trunking table shipped here, so whether its nodes take pods with security groups is unknown; max pods counts one ENI as the trunk`,
          "check https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html#supported-instance-types, or use a listed type",
          "pod-security-groups-unknown-instance-type",
        ),
      );
    }
  });
  const policies = env.cni.podSecurityGroups?.policies ?? [];
  if (policies.length > 0 && support.length > 0 && support.every((t) => t === false)) {
    problems.push(
      error(
        ["cni", "podSecurityGroups", "policies"],
        `no node group can run the pods of ${policies.map((p) => p.name).join(", ")}: ${env.nodeGroups.map((g) => `${g.name} (${g.instanceType})`).join(", ")} take no trunk ENI, and a pod a SecurityGroupPolicy selects waits for one`,
        "add a node group of a type that supports security groups for pods (m5, c6i, r7g, ...)",
      ),
    );
  }
  return problems;
}

/** Whether every label a matchLabels selector asks for is on the object; an absent selector asks nothing. */
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);

/**
 * A policy may not select the pods of a public-IP workload (issue 15a): such a pod would get a branch
 * ENI, while its Elastic IP is associated by the eip-associator with the node's own interface that
 * holds the pod's address (it looks among the interfaces attached to the node's instance, and a
 * branch ENI hangs on the trunk), and security groups for pods are for nodes in private subnets
 * (EKS user guide, security-groups-for-pods: "Applies to: Private subnets"). The eip-associator's
 * service account has no labels, so only an empty serviceAccountSelector selects it.
 */
function checkPublicIpPods(env: Environment): Problem[] {
  const policies = env.cni.podSecurityGroups?.policies ?? [];
  return (env.workloads.publicIpPods ?? []).flatMap((workload) =>
    policies.flatMap((policy, i) => {
      const selected =
        policy.namespace === workload.namespace &&
        (policy.podSelector !== undefined || policy.serviceAccountSelector !== undefined) &&
        matches(policy.podSelector, publicIpPodLabels(workload.name)) &&
        matches(policy.serviceAccountSelector, {});
      if (!selected) return [];
      return [
        error(
          ["cni", "podSecurityGroups", "policies", i],
          `policy ${policy.name} selects the pods of public-IP workload ${workload.namespace}/${workload.name} (app=${workload.name}, ${PUBLIC_IP_LABEL}=true): each would get a branch ENI, but its Elastic IP goes on the node's own interface that holds the pod's address, which the eip-associator looks for among the interfaces attached to the node and a branch ENI is not; and security groups for pods are for nodes in private subnets (EKS user guide)`,
          `narrow the policy's podSelector to labels those pods do not have (they carry app=${workload.name} and ${PUBLIC_IP_LABEL}=true), or run the workload in another namespace; public-IP pods keep their node's security groups`,
        ),
      ];
    }),
  );
}
