/**
 * Every name the plan builds (plan/names.ts, listed by plan/planned-names.ts) against the rules of the service that takes it, in one
 * loop, so a name added to the plan is checked the day it is added. A name too long or with a
 * character its service refuses would fail at apply, after other resources were created.
 */
import { error, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { NAME_PREFIX_SUFFIX_LENGTH } from "../plan/names";
import { plannedNames, type NameKind, type PlannedName } from "../plan/planned-names";

interface NameRule {
  /** Who refuses it, for the message. */
  service: string;
  max: number;
  /** Length is counted in UTF-8 bytes (S3 keys), else in characters. */
  bytes?: boolean;
  /** Characters Terraform or the service appends (name_prefix). */
  appended?: number;
  pattern: RegExp;
  /** The pattern in words. */
  allowed: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL_TEXT = "lower-case letters, digits and '-', starting and ending with a letter or digit";

/**
 * Sources: IAM User Guide, IAM object quotas and CreateRole/CreateInstanceProfile (RoleName
 * [\w+=,.@-]{1,64}, InstanceProfileName 128); KMS CreateAlias (256, alias/[a-zA-Z0-9/_-]+);
 * CloudWatch Logs CreateLogGroup (512); EKS CreateNodegroup (63; the AWS provider's name_prefix leaves
 * 37 for the prefix); EC2 CreateLaunchTemplate ([a-zA-Z0-9().\-/_]; the provider's 125);
 * HCP Terraform workspace names (90, letters, digits, - and _); S3 object keys (1,024 bytes); POSIX's
 * portable file name character set (letters, digits, . _ -; NAME_MAX 255) for folders; AWS tag values
 * (256, letters, digits, spaces and _ . : / = + - @, as IAM and EKS enforce them);
 * helm (release names 53, DNS subdomain); Kubernetes object names (DNS-1123 label 63 / subdomain 253,
 * Services DNS-1035 label); a StatefulSet's pods carry controller-revision-hash = <name>-<10
 * characters>, a label value of at most 63, so the StatefulSet's name takes at most 52; EC2
 * CreateSecurityGroup (GroupName: 255 characters of a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*, not
 * starting with sg-); tags (values of 256 characters; letters, digits, spaces and _ . : / = + - @).
 */
const RULES: Record<NameKind, NameRule> = {
  securityGroup: {
    service: "EC2 (security group names)",
    max: 255,
    pattern: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    allowed: "letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *, not starting with sg-",
  },
  nameTag: {
    service: "EC2 (tag values)",
    max: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    allowed: "letters, digits, spaces and _ . : / = + - @",
  },
  iamRole: {
    service: "IAM (role names)",
    max: 64,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and + = , . @ _ -",
  },
  instanceProfile: {
    service: "IAM (instance profile names)",
    max: 128,
    pattern: /^[\w+=,.@-]+$/,
    allowed: "letters, digits and + = , . @ _ -",
  },
  kmsAlias: {
    service: "KMS (alias names)",
    max: 256,
    pattern: /^alias\/[A-Za-z0-9/_-]+$/,
    allowed: "letters, digits, / _ and -",
  },
  logGroup: {
    service: "CloudWatch Logs (log group names)",
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    allowed: "letters, digits and . - _ / #",
  },
  launchTemplateName: {
    // AWS allows 128 characters; the AWS provider caps a name at 125 and name_prefix at 99, leaving
    // 26 for the unique suffix it appends (internal/service/ec2 launch_template.go).
    service: "the AWS provider (launch template names of at most 125 characters, with its 26-character unique suffix)",
    max: 125,
    appended: 1 + NAME_PREFIX_SUFFIX_LENGTH,
    pattern: /^[A-Za-z0-9().\-/_]+$/,
    allowed: "letters, digits and ( ) . - / _",
  },
  nodeGroupNamePrefix: {
    service: "EKS (node group names, with Terraform's 26-character unique suffix)",
    max: 63,
    appended: NAME_PREFIX_SUFFIX_LENGTH,
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    allowed: "letters, digits, - and _, starting with a letter or digit",
  },
  hcpWorkspace: {
    service: "HCP Terraform (workspace names)",
    max: 90,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: "letters, digits, - and _",
  },
  s3Key: {
    service: "S3 (object keys)",
    max: 1024,
    bytes: true,
    pattern: /^[^\\{}^%`\]"'<>[~#|]+$/,
    allowed: "no \\ { } ^ % ` [ ] \" ' < > ~ # |",
  },
  localStatePath: {
    service: "the file system (a path)",
    max: 4096,
    bytes: true,
    pattern: /^[^\0]+$/,
    allowed: "no NUL",
  },
  fileName: {
    service: "the file system (a folder name, in POSIX's portable file name characters)",
    max: 255,
    bytes: true,
    pattern: /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/,
    allowed: "letters, digits, '.', '_' and '-' (not . or .. alone)",
  },
  tagValue: {
    service: "AWS (tag values)",
    max: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    allowed: "letters, digits, spaces and _ . : / = + - @",
  },
  helmRelease: {
    service: "helm (release names)",
    max: 53,
    pattern: DNS_SUBDOMAIN,
    allowed: DNS_LABEL_TEXT + " (dots between parts)",
  },
  kubernetesNamespace: { service: "Kubernetes (namespaces)", max: 63, pattern: DNS_LABEL, allowed: DNS_LABEL_TEXT },
  kubernetesLabelName: {
    service: "Kubernetes (names used as labels and host names)",
    max: 63,
    pattern: DNS_LABEL,
    allowed: DNS_LABEL_TEXT,
  },
  kubernetesServiceName: {
    service: "Kubernetes (Service names, DNS-1035 labels)",
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    allowed: "lower-case letters, digits and '-', starting with a letter",
  },
  statefulSetName: {
    service: "Kubernetes (StatefulSet names, whose pods carry controller-revision-hash=<name>-<hash>)",
    max: 52,
    pattern: DNS_LABEL,
    allowed: DNS_LABEL_TEXT,
  },
  kubernetesObjectName: {
    service: "Kubernetes (object names, DNS-1123 subdomains)",
    max: 253,
    pattern: DNS_SUBDOMAIN,
    allowed: DNS_LABEL_TEXT + " (dots between parts)",
  },
};

const lengthOf = (name: PlannedName): number =>
  (RULES[name.kind].bytes ? Buffer.byteLength(name.value, "utf8") : name.value.length) +
  (RULES[name.kind].appended ?? 0);
const unit = (rule: NameRule, n: number) => `${rule.bytes ? "byte" : "character"}${n === 1 ? "" : "s"}`;
const fieldsOf = (name: PlannedName) => (name.madeOf.length > 0 ? name.madeOf.join(" and ") : "nothing of the file");

export function checkNames(env: Environment, context: { environmentName: string }): Problem[] {
  const problems: Problem[] = [];
  const names = plannedNames(env, context.environmentName);
  const groups = new Map<string, PlannedName[]>();
  for (const name of names) {
    const key = `${name.kind} ${JSON.stringify(name.path)}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  for (const group of groups.values()) {
    const rule = RULES[group[0].kind];
    const tooLong = group.filter((n) => lengthOf(n) > rule.max).sort((a, b) => lengthOf(b) - lengthOf(a));
    if (tooLong.length > 0) {
      const [longest, ...others] = tooLong;
      const excess = lengthOf(longest) - rule.max;
      const more =
        others.length > 0
          ? `; ${others.length} more such name${others.length === 1 ? "" : "s"} too long (${others.map((n) => `"${n.value}"`).join(", ")})`
          : "";
      problems.push(
        error(
          longest.path,
          `the ${longest.what} would be "${longest.value}", ${lengthOf(longest)} ${unit(rule, lengthOf(longest))}${rule.appended ? " with what is appended" : ""}, over the ${rule.max} ${rule.service} allows; it is made of ${fieldsOf(longest)}${more}`,
          `shorten ${fieldsOf(longest)} by at least ${excess} ${unit(rule, excess)} in all`,
        ),
      );
    }
    for (const name of group.filter((n) => !rule.pattern.test(n.value))) {
      problems.push(
        error(
          name.path,
          `the ${name.what} would be "${name.value}", which ${rule.service} refuses: it takes ${rule.allowed}; it is made of ${fieldsOf(name)}`,
          `change ${fieldsOf(name)} to use only ${rule.allowed}`,
        ),
      );
    }
  }
  return problems;
}
