/**
 * The pod network features of issue 18 against the rest of the environment: a pinned vpc-cni build
 * that has them, a Kubernetes version that runs them, and Pod Identity's OIDC provider decision.
 *
 * Minimum versions (sources in /work/notes/vpc-cni.md, sections 2 to 5):
 * - network policy (enableNetworkPolicy): managed add-on v1.14.0-eksbuild.3, EKS user guide
 *   cni-network-policy-configure ("Select a v1.14.0-eksbuild.3 or later version"); Kubernetes 1.25,
 *   EKS user guide cni-network-policy;
 * - security groups for pods (ENABLE_POD_ENI): 1.7.7, EKS user guide security-groups-pods-deployment;
 *   POD_SECURITY_GROUP_ENFORCING_MODE, which the configuration always sets with it: 1.11.0, VPC CNI README;
 * - Pod Identity for the vpc-cni add-on: v1.15.5-eksbuild.1, EKS user guide add-ons-iam ("Pod
 *   Identity Support Reference"); EKS Pod Identity itself: Kubernetes 1.24, EKS user guide pod-identities.
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

/** [major, minor, patch, eksbuild]; a pin without a build counts as build 0. */
type Build = [number, number, number, number];

function parseBuild(text: string): Build | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : undefined;
}

const compare = (a: Build, b: Build): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];

interface Feature {
  what: string;
  on: (env: Environment) => boolean;
  /** The first build that has it. */
  minimum: string;
  consequence: string;
}

export const POD_NETWORK_FEATURES: readonly Feature[] = [
  {
    what: "network policy (cni.networkPolicy)",
    on: (env) => env.cni.networkPolicy,
    minimum: "v1.14.0-eksbuild.3",
    consequence:
      "the build's configuration schema has no enableNetworkPolicy, so EKS refuses the configuration at apply",
  },
  {
    what: "security groups for pods (cni.podSecurityGroups)",
    on: (env) => env.cni.podSecurityGroups !== undefined,
    minimum: "v1.11.0-eksbuild.1",
    consequence:
      "the build has no POD_SECURITY_GROUP_ENFORCING_MODE (1.11.0), and before 1.7.7 no ENABLE_POD_ENI that EKS supports",
  },
  {
    what: "Pod Identity for the vpc-cni add-on (cluster.podIdentity)",
    on: (env) => env.cluster.podIdentity,
    minimum: "v1.15.5-eksbuild.1",
    consequence:
      "EKS does not offer Pod Identity associations for that build, and aws-node would get no AWS credentials",
  },
];

/** Kubernetes minor versions below which a feature does not run. */
const KUBERNETES_MINIMUM: ReadonlyArray<{ what: string; on: (env: Environment) => boolean; minor: number }> = [
  { what: "network policy with the VPC CNI", on: (env) => env.cni.networkPolicy, minor: 25 },
  { what: "EKS Pod Identity", on: (env) => env.cluster.podIdentity, minor: 24 },
];

export function checkPodNetworkFeatures(env: Environment): Problem[] {
  return [...checkVpcCniPin(env), ...checkKubernetesVersion(env), ...checkOidcProvider(env)];
}

function checkVpcCniPin(env: Environment): Problem[] {
  const pin = env.cluster.addonVersions.vpcCni;
  const version = pin === undefined ? undefined : parseBuild(pin);
  if (pin === undefined || version === undefined) return [];
  const tooOld = POD_NETWORK_FEATURES.filter((f) => f.on(env) && compare(version, parseBuild(f.minimum) as Build) < 0);
  if (tooOld.length === 0) return [];
  const needed = tooOld
    .map((f) => f.minimum)
    .reduce((max, m) => (compare(parseBuild(m) as Build, parseBuild(max) as Build) > 0 ? m : max));
  return [
    error(
      ["cluster", "addonVersions", "vpcCni"],
      `vpc-cni ${pin} is older than what this environment turns on: ${tooOld
        .map((f) => `${f.what} needs ${f.minimum} or later (${f.consequence})`)
        .join("; ")}`,
      `pin vpc-cni ${needed} or later (aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version ${env.cluster.version} lists the builds), or remove the pin to get the default build for the cluster's version`,
    ),
  ];
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
