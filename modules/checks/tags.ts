/**
 * The environment's `tags`, which go on every AWS resource (the AWS provider's default_tags).
 *
 * Sources: AWS tagging rules as IAM, EKS and the Tagging API enforce them ("Tag naming limits and
 * requirements"): keys 1-128 and values 0-256 Unicode characters of letters, digits, spaces and
 * + - = . _ : / @; the aws: prefix, in any case, is reserved for AWS on keys and values; 50 tags per
 * resource. The keys the project sets itself (plan/labels.ts) would silently win over the file's, so
 * they are refused rather than overwritten.
 */
import {
  AWS_TAGS_PER_RESOURCE,
  CLUSTER_NAME_TAG,
  ENVIRONMENT_TAG,
  MANAGED_BY_TAG,
  NAME_TAG,
  NO_MANAGE_TAG,
  OWN_PREFIX,
  PROJECT_TAGS_PER_RESOURCE,
} from "../plan/labels";
import { error, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED = "letters, digits, spaces and + - = . _ : / @";
const PROJECT_KEYS = [ENVIRONMENT_TAG, CLUSTER_NAME_TAG, MANAGED_BY_TAG, NAME_TAG, NO_MANAGE_TAG];
/** Kubernetes' own (kubernetes.io/cluster/<name>, kubernetes.io/role/elb) and ours: subnets are found by them. */
const PROJECT_PREFIXES = ["kubernetes.io/", `${OWN_PREFIX}/`];

export function checkTags(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const entries = Object.entries(env.tags);
  const room = AWS_TAGS_PER_RESOURCE - PROJECT_TAGS_PER_RESOURCE;
  if (entries.length > room)
    problems.push(
      error(
        ["tags"],
        `${entries.length} tags; AWS takes ${AWS_TAGS_PER_RESOURCE} per resource and this project sets up to ${PROJECT_TAGS_PER_RESOURCE} itself, leaving ${room}`,
        `keep at most ${room} tags`,
      ),
    );
  for (const [key, value] of entries) {
    const at = ["tags", key];
    if (/^aws:/i.test(key) || /^aws:/i.test(value))
      problems.push(
        error(
          at,
          `tag ${key}: ${/^aws:/i.test(key) ? "keys" : "values"} starting with "aws:" are reserved for AWS, which refuses them on every resource`,
          "use a key and value of your own, without the aws: prefix",
        ),
      );
    const own = PROJECT_KEYS.includes(key) || PROJECT_PREFIXES.some((p) => key.startsWith(p));
    if (own)
      problems.push(
        error(
          at,
          `tag ${key} is one this project sets itself (${PROJECT_KEYS.join(", ")}, and keys under ${PROJECT_PREFIXES.join(" and ")}); the file's value would be overwritten, or would mislead the load balancer controller`,
          key === ENVIRONMENT_TAG
            ? "remove it: Environment is the environment's name (set name: to change it)"
            : "use another key, e.g. prefixed with your organisation",
        ),
      );
    if (key.length === 0 || key.length > 128 || !TAG_TEXT.test(key))
      problems.push(error(at, `tag key "${key}" is not 1 to 128 of ${ALLOWED}`, `write the key with ${ALLOWED} only`));
    if (value.length > 256 || !TAG_TEXT.test(value))
      problems.push(
        error(
          at,
          `the value "${value}" of tag ${key} is not up to 256 of ${ALLOWED}`,
          `write the value with ${ALLOWED} only`,
        ),
      );
  }
  return problems;
}
