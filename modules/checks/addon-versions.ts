/**
 * Pinned add-on versions against what the environment turns on. The vpc-cni add-on gets its whole
 * configuration from us (k8s/vpc-cni-configuration.ts); a build older than a feature either ignores
 * the setting (prefix delegation before 1.9.0: nodes quietly fall back to one address per pod, so
 * maxPods is wrong) or refuses a key its configuration schema lacks (eniConfig), failing the apply.
 *
 * Minimum versions, with sources (/work/notes/vpc-cni.md section 5):
 * - external SNAT (AWS_VPC_K8S_CNI_EXTERNALSNAT): 1.1.0, first tag with the setting;
 * - custom networking: 1.4.0, EKS user guide "Custom networking" ("version 1.4.0 or later");
 * - prefix delegation (ENABLE_PREFIX_DELEGATION, WARM_PREFIX_TARGET): 1.9.0, CHANGELOG v1.9.0 and README;
 * - the add-on's eniConfig configuration (ENIConfigs created by the add-on, which custom networking
 *   here relies on): 1.15.0, the oldest build whose published configuration schema is known to have
 *   it (v1.15.0-eksbuild.2; the shipped reference schema v1.15.1-eksbuild.1 has it, a February 2023
 *   build did not). Older builds may have it too; none is known to.
 */
import { error, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";

type Version = [number, number, number];

const parse = (text: string): Version | undefined => {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
};
const below = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

interface Feature {
  what: string;
  on: (env: Environment) => boolean;
  minimum: Version;
  /** What a too-old build does with it. */
  consequence: string;
}

export const VPC_CNI_FEATURES: readonly Feature[] = [
  {
    what: "external SNAT (cni.externalSnat)",
    on: (env) => env.cni.externalSnat,
    minimum: [1, 1, 0],
    consequence: "the build does not know the setting, and pods leave the VPC through the node's address",
  },
  {
    what: "custom networking (cni.customNetworking)",
    on: (env) => env.cni.customNetworking,
    minimum: [1, 4, 0],
    consequence: "the build does not know the setting, and pods take node-subnet addresses",
  },
  {
    what: "prefix delegation (cni.prefixDelegation)",
    on: (env) => env.cni.prefixDelegation,
    minimum: [1, 9, 0],
    consequence:
      "the build ignores it: nodes get one address per pod, and max pods falls back to the secondary-IP figure while the kubelet is told otherwise",
  },
  {
    what: "the add-on's eniConfig configuration (ENIConfigs per AZ, for custom networking)",
    on: (env) => env.cni.customNetworking,
    minimum: [1, 15, 0],
    consequence:
      "the build's configuration schema has no eniConfig key, so EKS refuses the add-on configuration at apply",
  },
];

export function checkAddonVersions(env: Environment): Problem[] {
  const pin = env.cluster.addonVersions.vpcCni;
  const version = pin === undefined ? undefined : parse(pin);
  if (pin === undefined || version === undefined) return [];
  const tooOld = VPC_CNI_FEATURES.filter((f) => f.on(env) && below(version, f.minimum) < 0);
  if (tooOld.length === 0) return [];
  const needed = tooOld.reduce((max, f) => (below(f.minimum, max) > 0 ? f.minimum : max), tooOld[0].minimum);
  return [
    error(
      ["cluster", "addonVersions", "vpcCni"],
      `vpc-cni ${pin} is older than what this environment turns on: ${tooOld
        .map((f) => `${f.what} needs ${f.minimum.join(".")} or later (${f.consequence})`)
        .join("; ")}`,
      `pin vpc-cni ${needed.join(".")} or later (aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version ${env.cluster.version} lists the builds), or remove the pin to get the default build for the cluster's version`,
    ),
  ];
}
