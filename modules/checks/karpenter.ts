/**
 * Karpenter's node pools: instance families, categories and sizes the instance-type table knows and
 * the pool can run, AZs of the plan, unique names, limits that let a node start, labels Karpenter
 * accepts, a managed node group for the controller, and a release that runs the cluster's Kubernetes.
 * The pools' demand on the subnets is judged with the node groups' (subnet-capacity.ts).
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment, NodePoolSpec } from "../environment/schema";
import { knownInstanceTypes } from "../plan/instance-types";
import {
  exclusionOf,
  instanceCategory,
  instanceFamily,
  instanceSize,
  KARPENTER_CONTROLLER_REPLICAS,
  karpenterControllerNodeGroups,
  namedInstanceTypes,
  nodePoolInstanceTypes,
  nodePoolMaxPods,
  type Excluded,
} from "../plan/node-pools";
import { instanceTypeInfo } from "../plan/instance-types";
import { editDistance } from "../spelling/edit-distance";

/**
 * The oldest Karpenter release that supports each Kubernetes version (karpenter.sh v1.14
 * upgrading/compatibility.md). Versions not listed are older than every release the project builds for.
 */
export const KARPENTER_MINIMUM_FOR_KUBERNETES: Readonly<Record<string, string>> = {
  "1.34": "1.6.0",
  "1.35": "1.9.0",
  "1.36": "1.13.0",
};
/** The first v1 API release: the EC2NodeClass and NodePool the project writes are karpenter.sh/v1. */
export const KARPENTER_MINIMUM = "1.0.0";

/** Label domains Karpenter's NodePool CRD refuses in template labels (its CEL rules), and the kubelet's own. */
const RESTRICTED_LABEL_DOMAINS = ["karpenter.sh", "karpenter.k8s.aws", "kubernetes.io", "k8s.io"];

const EXCLUDED: Record<Excluded, string> = {
  metal: "bare metal (name its size in sizes to include it)",
  architecture: "another architecture than the pool's",
  accelerator: "accelerated (the pool's nodes boot the standard AL2023 AMI)",
  notNitro: "not Nitro, so prefix delegation would not apply",
  vcpusUnknown: "its vCPUs are not published",
};

const closest = (wanted: string, candidates: string[]): string[] =>
  candidates
    .map((c) => ({ c, d: editDistance(wanted, c) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map(({ c }) => c);

const didYouMean = (matches: string[]) => (matches.length > 0 ? `; did you mean ${matches.join(", ")}?` : "");

export function checkKarpenter(env: Environment): Problem[] {
  if (!env.karpenter) return [];
  const problems: Problem[] = [];
  const { karpenter } = env;
  const minimum = KARPENTER_MINIMUM_FOR_KUBERNETES[env.cluster.version] ?? KARPENTER_MINIMUM;
  if (versionBelow(karpenter.version, minimum)) {
    problems.push(
      error(
        ["karpenter", "version"],
        `Karpenter ${karpenter.version} does not support Kubernetes ${env.cluster.version} (it needs ${minimum} or later)`,
        `set karpenter.version to ${minimum} or later (the project is validated against 1.14.1)`,
      ),
    );
  }
  const hosts = karpenterControllerNodeGroups(env);
  const room = hosts.reduce((n, g) => n + g.minSize, 0);
  if (room < KARPENTER_CONTROLLER_REPLICAS) {
    problems.push(
      error(
        ["karpenter"],
        hosts.length === 0
          ? "Karpenter's controller runs on the managed node groups, never on the nodes it launches, and this environment has none it can run on (Multus groups and groups with NoSchedule or NoExecute taints other than CriticalAddonsOnly are left out)"
          : `Karpenter's controller runs ${KARPENTER_CONTROLLER_REPLICAS} replicas, each on its own node of the managed node groups, but ${hosts.map((g) => g.name).join(", ")} may shrink to ${room} node${room === 1 ? "" : "s"} (minSize); a replica would stay Pending and the deploy time out`,
        `give the managed node groups it can run on a minSize of ${KARPENTER_CONTROLLER_REPLICAS} or more in all (an untainted group, or one tainted CriticalAddonsOnly)`,
      ),
    );
  }
  const seen = new Map<string, number>();
  karpenter.nodePools.forEach((pool, i) => {
    const earlier = seen.get(pool.name);
    if (earlier !== undefined)
      problems.push(
        error(
          ["karpenter", "nodePools", i, "name"],
          `node pool name ${pool.name} is also used by karpenter.nodePools[${earlier}]`,
          "give every node pool its own name (it names its NodePool and EC2NodeClass)",
        ),
      );
    seen.set(pool.name, i);
    problems.push(...poolProblems(env, pool, i));
  });
  return problems;
}

function poolProblems(env: Environment, pool: NodePoolSpec, i: number): Problem[] {
  const problems: Problem[] = [];
  const at = (...path: Array<string | number>) => ["karpenter", "nodePools", i, ...path];
  const known = knownInstanceTypes();
  if (pool.families === undefined && pool.categories === undefined) {
    problems.push(
      error(
        at("families"),
        `${pool.name} names neither families nor categories, so it would allow every instance type`,
        "list the instance families (families: [m6i, c6i]) or categories (categories: [c, m]) the pool may launch",
      ),
    );
    return problems;
  }
  const families = [...new Set(known.map(instanceFamily))];
  const categories = [...new Set(known.map(instanceCategory))];
  let unknown = false;
  pool.families?.forEach((family, f) => {
    if (families.includes(family)) return;
    unknown = true;
    problems.push(
      error(
        at("families", f),
        `${pool.name}: unknown instance family "${family}"${didYouMean(closest(family, families))}`,
        "use a family of the VPC CNI's limits table (npm run --silent max-pods -- --instance-type TYPE checks one type)",
      ),
    );
  });
  pool.categories?.forEach((category, c) => {
    if (categories.includes(category)) return;
    unknown = true;
    problems.push(
      error(
        at("categories", c),
        `${pool.name}: unknown instance category "${category}"${didYouMean(closest(category, categories))}`,
        `use a category such as ${["c", "m", "r", "t"].join(", ")} (the letters of a family before its generation)`,
      ),
    );
  });
  const sizesOfNamed = new Set(namedInstanceTypes({ ...pool, sizes: undefined }).map(instanceSize));
  pool.sizes?.forEach((size, s) => {
    if (sizesOfNamed.has(size)) return;
    unknown = true;
    problems.push(
      error(
        at("sizes", s),
        `${pool.name}: no instance type of the pool's families or categories has size "${size}"${didYouMean(closest(size, [...sizesOfNamed]))}`,
        `use sizes those families have: ${[...sizesOfNamed].sort().join(", ")}`,
      ),
    );
  });
  if (unknown) return problems;

  const types = nodePoolInstanceTypes(pool, env);
  pool.families?.forEach((family, f) => {
    const named = namedInstanceTypes({ ...pool, families: [family] });
    if (named.length === 0 || named.some((t) => types.includes(t))) return;
    const reasons = [...new Set(named.map((t) => exclusionOf(pool, t, env.cni.prefixDelegation)!))];
    problems.push(
      error(
        at("families", f),
        `${pool.name}: no ${family} type can join the pool: ${reasons.map((r) => EXCLUDED[r]).join("; ")}`,
        "pick another family, or change the pool's architectures or sizes",
      ),
    );
  });
  if (types.length === 0) {
    problems.push(
      error(
        at("families"),
        `${pool.name}: no instance type matches the pool's families, categories, sizes and architectures (${pool.architectures.join(", ")})`,
        "widen the pool's families, categories or sizes",
      ),
    );
    return problems;
  }
  const smallest = Math.min(...types.map((t) => instanceTypeInfo(t)?.vcpus ?? Infinity));
  if (pool.limits.cpu < smallest) {
    problems.push(
      error(
        at("limits", "cpu"),
        `${pool.name}: limits.cpu ${pool.limits.cpu} is below the ${smallest} vCPUs of its smallest instance type (${types[0]}), so Karpenter could never launch a node`,
        `raise limits.cpu to at least ${smallest}`,
      ),
    );
  }
  const { kubeletMaxPods, types: maxPods } = nodePoolMaxPods(pool, env);
  const best = Math.max(...maxPods.map((t) => t.computed.recommended));
  // One EC2NodeClass, one kubelet maxPods: below half of what the larger types run, the pool wastes them.
  if (kubeletMaxPods !== undefined && kubeletMaxPods * 2 <= best) {
    const floor = maxPods.filter((t) => t.computed.recommended === kubeletMaxPods).map((t) => t.instanceType);
    problems.push(
      warning(
        at("sizes"),
        `${pool.name}: every node gets kubelet maxPods ${kubeletMaxPods}, set by its smallest type${floor.length === 1 ? "" : "s"} ${listOf(floor)}, while its largest types could run ${best}`,
        `leave the small sizes out of the pool (sizes), or split it into pools of similar sizes; npm run --silent max-pods -- --node-pool ${pool.name} lists every type`,
        "node-pool-max-pods-floor",
      ),
    );
  }
  const zones = Object.keys(env.network.zones);
  pool.zones?.forEach((az, z) => {
    if (!zones.includes(az))
      problems.push(
        error(
          at("zones", z),
          `${pool.name} names AZ ${az}, which network.zones does not plan`,
          `use one of ${zones.join(", ")}, or add ${az} to network.zones`,
        ),
      );
  });
  for (const key of Object.keys(pool.labels)) {
    const domain = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
    const restricted = RESTRICTED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`));
    if (restricted)
      problems.push(
        error(
          at("labels", key),
          `${pool.name}: label ${key} is in the ${restricted} domain, which Karpenter (and the kubelet) keep for themselves; the NodePool would be refused`,
          "use a label of your own domain, such as example.com/role",
        ),
      );
  }
  return problems;
}

const listOf = (items: string[]) => (items.length > 3 ? `${items.slice(0, 3).join(", ")}, ...` : items.join(", "));

/** Whether release a (1.9.0) is below b, by major.minor.patch. */
function versionBelow(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] < y[k];
  return false;
}
