/**
 * Pinned add-on versions against what the environment turns on: the one table of vpc-cni features
 * and the first build that has each. The vpc-cni add-on gets its whole configuration from us
 * (k8s/vpc-cni-configuration.ts); a build older than a feature either ignores the setting (prefix
 * delegation before 1.9.0: nodes quietly fall back to one address per pod, so maxPods is wrong) or
 * refuses a key its configuration schema lacks (eniConfig, enableNetworkPolicy), failing the apply.
 *
 * Minimum versions, with sources (/work/notes/vpc-cni.md sections 2 to 5):
 * - external SNAT (AWS_VPC_K8S_CNI_EXTERNALSNAT): 1.1.0, first tag with the setting;
 * - custom networking: 1.4.0, EKS user guide "Custom networking" ("version 1.4.0 or later");
 * - prefix delegation (ENABLE_PREFIX_DELEGATION, WARM_PREFIX_TARGET): 1.9.0, CHANGELOG v1.9.0 and README;
 * - the add-on's eniConfig configuration (ENIConfigs created by the add-on, which custom networking
 *   here relies on): 1.15.0, the oldest build whose published configuration schema is known to have
 *   it (v1.15.0-eksbuild.2; the shipped reference schema v1.15.1-eksbuild.1 has it, a February 2023
 *   build did not). Older builds may have it too; none is known to;
 * - enhanced subnet discovery: 1.18.0, on by default from there (CHANGELOG v1.18.0; README
 *   "ENABLE_SUBNET_DISCOVERY (v1.18.0+)"; EKS user guide cni-subnet-selection);
 * - network policy (enableNetworkPolicy): managed add-on v1.14.0-eksbuild.3, EKS user guide
 *   cni-network-policy-configure ("Select a v1.14.0-eksbuild.3 or later version");
 * - security groups for pods (ENABLE_POD_ENI): 1.7.7, EKS user guide security-groups-pods-deployment;
 *   POD_SECURITY_GROUP_ENFORCING_MODE, which the configuration always sets with it: 1.11.0, VPC CNI README;
 * - Pod Identity for the vpc-cni add-on: v1.15.5-eksbuild.1, EKS user guide add-ons-iam ("Pod
 *   Identity Support Reference").
 * The Kubernetes versions the features need are pod-network-features.ts's.
 */
import { error, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { SUBNET_DISCOVERY_MIN_CNI_VERSION } from "../plan/pod-network";

/** [major, minor, patch, eksbuild]; a version without a build counts as build 0. */
type Build = [number, number, number, number];

const parse = (text: string): Build | undefined => {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)] : undefined;
};
const compare = (a: Build, b: Build) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];

interface Feature {
  what: string;
  on: (env: Environment) => boolean;
  /** The first build that has it: "1.9.0", or "1.14.0-eksbuild.3" where EKS's build number matters. */
  minimum: string;
  /** What a too-old build does with it. */
  consequence: string;
}

export const VPC_CNI_FEATURES: readonly Feature[] = [
  {
    what: "external SNAT (cni.externalSnat)",
    on: (env) => env.cni.externalSnat,
    minimum: "1.1.0",
    consequence: "the build does not know the setting, and pods leave the VPC through the node's address",
  },
  {
    what: "custom networking (cni.customNetworking)",
    on: (env) => env.cni.customNetworking,
    minimum: "1.4.0",
    consequence: "the build does not know the setting, and pods take node-subnet addresses",
  },
  {
    what: "prefix delegation (cni.prefixDelegation)",
    on: (env) => env.cni.prefixDelegation,
    minimum: "1.9.0",
    consequence:
      "the build ignores it: nodes get one address per pod, and max pods falls back to the secondary-IP figure while the kubelet is told otherwise",
  },
  {
    what: "the add-on's eniConfig configuration (ENIConfigs per AZ, for custom networking)",
    on: (env) => env.cni.customNetworking,
    minimum: "1.15.0",
    consequence:
      "the build's configuration schema has no eniConfig key, so EKS refuses the add-on configuration at apply",
  },
  {
    what: "enhanced subnet discovery (cni.subnetDiscovery)",
    on: (env) => env.cni.subnetDiscovery,
    minimum: SUBNET_DISCOVERY_MIN_CNI_VERSION,
    consequence: "the build has no subnet discovery, and every ENI stays in the node's subnet",
  },
  {
    what: "network policy (cni.networkPolicy)",
    on: (env) => env.cni.networkPolicy,
    minimum: "1.14.0-eksbuild.3",
    consequence:
      "the build's configuration schema has no enableNetworkPolicy, so EKS refuses the configuration at apply",
  },
  {
    what: "security groups for pods (cni.podSecurityGroups)",
    on: (env) => env.cni.podSecurityGroups !== undefined,
    minimum: "1.11.0",
    consequence:
      "the build has no POD_SECURITY_GROUP_ENFORCING_MODE (1.11.0), and before 1.7.7 no ENABLE_POD_ENI that EKS supports",
  },
  {
    what: "Pod Identity for the vpc-cni add-on (cluster.podIdentity)",
    on: (env) => env.cluster.podIdentity,
    minimum: "1.15.5-eksbuild.1",
    consequence:
      "EKS does not offer Pod Identity associations for that build, and aws-node would get no AWS credentials",
  },
];

export function checkAddonVersions(env: Environment): Problem[] {
  const pin = env.cluster.addonVersions.vpcCni;
  const version = pin === undefined ? undefined : parse(pin);
  if (pin === undefined || version === undefined) return [];
  const minimumOf = (f: Feature) => parse(f.minimum) as Build;
  const tooOld = VPC_CNI_FEATURES.filter((f) => f.on(env) && compare(version, minimumOf(f)) < 0);
  if (tooOld.length === 0) return [];
  const needed = tooOld.reduce((max, f) => (compare(minimumOf(f), minimumOf(max)) > 0 ? f : max), tooOld[0]);
  return [
    error(
      ["cluster", "addonVersions", "vpcCni"],
      `vpc-cni ${pin} is older than what this environment turns on: ${tooOld
        .map((f) => `${f.what} needs ${f.minimum} or later (${f.consequence})`)
        .join("; ")}`,
      `pin vpc-cni ${needed.minimum} or later (aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version ${env.cluster.version} lists the builds), or remove the pin to get the default build for the cluster's version`,
    ),
  ];
}
