/**
 * What keeps Multus working over time: a whereabouts release that refreshes its token and matches the
 * manifests we install, a Kubernetes version whose admission policies bound the Multus helpers, and
 * routes between the AZs' Multus subnets. Pure: no cdktf, no AWS calls.
 */
import { contains, parseCidr } from "../plan/cidr";
import { compareReleases, WHEREABOUTS_TOKEN_REFRESH_VERSION, WHEREABOUTS_VERSION } from "../plan/images";
import { multusSubnetCidr } from "../plan/multus-ranges";
import { isPublicNetwork } from "../plan/multus-public";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

/** ValidatingAdmissionPolicy GA, and node names in pod-bound tokens on by default. */
export const MULTUS_MIN_KUBERNETES_MINOR = 30;

export function checkMultusOperations(env: Environment): Problem[] {
  if (!env.multus) return [];
  return [...checkWhereaboutsVersion(env), ...checkKubernetesVersion(env), ...checkZoneRoutes(env)];
}

function checkWhereaboutsVersion(env: Environment): Problem[] {
  const version = env.multus!.whereaboutsVersion;
  const path = ["multus", "whereaboutsVersion"];
  if (compareReleases(version, WHEREABOUTS_TOKEN_REFRESH_VERSION) < 0) {
    return [
      error(
        path,
        `whereabouts ${version} writes its service-account token into the plugin's kubeconfig once and never refreshes it (fixed in ${WHEREABOUTS_TOKEN_REFRESH_VERSION}, whereabouts #661); the API server stops accepting the token after 90 days at the latest, and from then on no Multus pod gets an address`,
        `set whereaboutsVersion: ${WHEREABOUTS_VERSION} (or remove it for that default)`,
      ),
    ];
  }
  if (compareReleases(version, WHEREABOUTS_VERSION) < 0) {
    return [
      error(
        path,
        `the whereabouts objects installed follow ${WHEREABOUTS_VERSION}'s manifests, whose reconciler runs /ip-reconciler in a Deployment of its own; ${version} has no such binary (its reconciler runs inside the DaemonSet), so the reconciler would never start`,
        `set whereaboutsVersion: ${WHEREABOUTS_VERSION} (or remove it for that default)`,
      ),
    ];
  }
  if (compareReleases(version, WHEREABOUTS_VERSION) > 0) {
    return [
      warning(
        path,
        `the whereabouts objects installed follow ${WHEREABOUTS_VERSION}'s manifests (doc/crds); ${version} may need others (CRDs, RBAC, the reconciler's configuration)`,
        `compare ${version}'s doc/crds with ${WHEREABOUTS_VERSION}'s and update modules/k8s/multus/whereabouts.ts and crds.ts, or set whereaboutsVersion: ${WHEREABOUTS_VERSION}`,
        "whereabouts-newer-than-manifests",
      ),
    ];
  }
  return [];
}

function checkKubernetesVersion(env: Environment): Problem[] {
  const minor = /^1\.(\d+)$/.exec(env.cluster.version);
  if (!minor || Number(minor[1]) >= MULTUS_MIN_KUBERNETES_MINOR) return []; // a malformed one is reported elsewhere
  return [
    error(
      ["cluster", "version"],
      `Multus needs Kubernetes 1.${MULTUS_MIN_KUBERNETES_MINOR} or later, not ${env.cluster.version}: the component that untaints Multus nodes and the pods' ip-assigner are held to their own node and pod by ValidatingAdmissionPolicies (GA in 1.30) that read the node's name from service-account tokens (on by default from 1.30)`,
      `set cluster.version to "1.${MULTUS_MIN_KUBERNETES_MINOR}" or later (an upgrade, one minor version at a time)`,
    ),
  ];
}

/**
 * A peer in another AZ's Multus subnet reaches a pod's interface, but without a route the reply
 * leaves through eth0, whose ENI does not own its source address, and the VPC drops it.
 */
function checkZoneRoutes(env: Environment): Problem[] {
  const problems: Problem[] = [];
  env.multus!.networks.forEach((network, i) => {
    // A public network's addresses send everything through their interface (sbr), other AZs included.
    if (isPublicNetwork(network)) return;
    const zones = Object.keys(network.ranges).filter((az) => multusSubnetCidr(env, az, network.interfaceIndex));
    if (zones.length < 2) return;
    const routes = network.routes.flatMap((text) => {
      const parsed = parseCidr(text);
      return parsed.ok ? [parsed.block] : [];
    });
    const unrouted = zones.flatMap((az) => {
      const subnet = parseCidr(multusSubnetCidr(env, az, network.interfaceIndex)!);
      return subnet.ok && !routes.some((r) => contains(r, subnet.block)) ? [`${subnet.block.text} (${az})`] : [];
    });
    if (unrouted.length === 0) return;
    problems.push(
      warning(
        ["multus", "networks", i, "routes"],
        `${network.name} has ranges in ${zones.join(", ")}, but its routes do not cover the Multus subnet${unrouted.length === 1 ? "" : "s"} ${unrouted.join(", ")}: a pod in another AZ answers a peer there through eth0, and the VPC drops the reply`,
        `add ${unrouted.map((u) => u.split(" ")[0]).join(", ")} to multus.networks[${i}].routes (each AZ's attachment routes the other AZs' subnets through its own subnet's VPC router; its own subnet is left out)`,
        "multus-routes-between-zones",
      ),
    );
  });
  return problems;
}
