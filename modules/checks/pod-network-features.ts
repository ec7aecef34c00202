/**
 * The pod network features of issue 18 against the rest of the environment: a Kubernetes version
 * that runs them, and Pod Identity's OIDC provider decision. The vpc-cni builds they need are in
 * addon-versions.ts's one table.
 *
 * Kubernetes versions: network policy with the VPC CNI, 1.25 (EKS user guide cni-network-policy);
 * EKS Pod Identity, 1.24 (EKS user guide pod-identities).
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

/** Kubernetes minor versions below which a feature does not run. */
const KUBERNETES_MINIMUM: ReadonlyArray<{ what: string; on: (env: Environment) => boolean; minor: number }> = [
  { what: "network policy with the VPC CNI", on: (env) => env.cni.networkPolicy, minor: 25 },
  { what: "EKS Pod Identity", on: (env) => env.cluster.podIdentity, minor: 24 },
];

export function checkPodNetworkFeatures(env: Environment): Problem[] {
  return [...checkKubernetesVersion(env), ...checkOidcProvider(env)];
}

function checkKubernetesVersion(env: Environment): Problem[] {
  const minor = /^1\.(\d+)$/.exec(env.cluster.version)?.[1];
  if (minor === undefined) return []; // checkCluster reports it
  return KUBERNETES_MINIMUM.filter((f) => f.on(env) && Number(minor) < f.minor).map((f) =>
    error(
      ["cluster", "version"],
      `${f.what} needs Kubernetes 1.${f.minor} or later; the cluster runs ${env.cluster.version}`,
      `upgrade the cluster to 1.${f.minor} or later, or turn ${f.what} off`,
    ),
  );
}

/**
 * The OIDC provider goes only when asked: with Pod Identity the environment says whether it stays,
 * since only its owner knows whether the environment is deployed with IRSA (README, "Switching to
 * Pod Identity").
 */
function checkOidcProvider(env: Environment): Problem[] {
  const { podIdentity, oidcProvider } = env.cluster;
  if (podIdentity && oidcProvider === undefined) {
    return [
      error(
        ["cluster", "podIdentity"],
        "cluster.podIdentity is on, but cluster.oidcProvider does not say whether the IAM OIDC provider stays; removing it from a deployed environment before its pods run on Pod Identity cuts them off from AWS",
        "a new environment: oidcProvider: false. An environment deployed with IRSA: oidcProvider: true for the first deploy (the roles trust both), then false once every pod has restarted (README, 'Switching to Pod Identity')",
      ),
    ];
  }
  if (!podIdentity && oidcProvider === false) {
    return [
      error(
        ["cluster", "oidcProvider"],
        "cluster.oidcProvider is false, but without cluster.podIdentity the project's pod roles (the VPC CNI's, the Multus sidecars') are assumed through it (IRSA), so aws-node would get no AWS credentials",
        "remove oidcProvider (or set it true), or turn cluster.podIdentity on",
      ),
    ];
  }
  if (podIdentity && oidcProvider === true) {
    return [
      warning(
        ["cluster", "oidcProvider"],
        "the IAM OIDC provider is kept while cluster.podIdentity is on, and every pod role trusts both it and Pod Identity: the first deploy of a switch to Pod Identity",
        "once every pod has restarted under Pod Identity (the deploy restarts the project's own), set oidcProvider: false and deploy again; keep it only for IRSA roles of your own",
        "pod-identity-switch-in-progress",
      ),
    ];
  }
  return [];
}
