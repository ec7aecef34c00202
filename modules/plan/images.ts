/**
 * The images of the Multus pieces. Multus comes from the registry AWS replicates its EKS add-on
 * images to, whose account differs by region; whereabouts and the AWS CLI from their public
 * registries, each pinned by the environment.
 */

/**
 * Amazon ECR registry of EKS add-on images per region: "View Amazon container image registries for
 * Amazon EKS add-ons" (EKS user guide, add-ons-images; awsdocs/amazon-eks-user-guide
 * latest/ug/workloads/add-ons-images.adoc, read 2026-11). The registry host is
 * <account>.dkr.ecr.<region>.<suffix>; ap-east-2 is served from ap-east-1, as the guide lists it.
 */
export const EKS_IMAGE_REGISTRIES: Readonly<Record<string, string>> = {
  "af-south-1": "877085696533.dkr.ecr.af-south-1.amazonaws.com",
  "ap-east-1": "800184023465.dkr.ecr.ap-east-1.amazonaws.com",
  "ap-east-2": "533267051163.dkr.ecr.ap-east-1.amazonaws.com",
  "ap-northeast-1": "602401143452.dkr.ecr.ap-northeast-1.amazonaws.com",
  "ap-northeast-2": "602401143452.dkr.ecr.ap-northeast-2.amazonaws.com",
  "ap-northeast-3": "602401143452.dkr.ecr.ap-northeast-3.amazonaws.com",
  "ap-south-1": "602401143452.dkr.ecr.ap-south-1.amazonaws.com",
  "ap-south-2": "900889452093.dkr.ecr.ap-south-2.amazonaws.com",
  "ap-southeast-1": "602401143452.dkr.ecr.ap-southeast-1.amazonaws.com",
  "ap-southeast-2": "602401143452.dkr.ecr.ap-southeast-2.amazonaws.com",
  "ap-southeast-3": "296578399912.dkr.ecr.ap-southeast-3.amazonaws.com",
  "ap-southeast-4": "491585149902.dkr.ecr.ap-southeast-4.amazonaws.com",
  "ap-southeast-6": "333609536671.dkr.ecr.ap-southeast-6.amazonaws.com",
  "ap-southeast-7": "121268973566.dkr.ecr.ap-southeast-7.amazonaws.com",
  "ca-central-1": "602401143452.dkr.ecr.ca-central-1.amazonaws.com",
  "ca-west-1": "761377655185.dkr.ecr.ca-west-1.amazonaws.com",
  "cn-north-1": "918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn",
  "cn-northwest-1": "961992271922.dkr.ecr.cn-northwest-1.amazonaws.com.cn",
  "eu-central-1": "602401143452.dkr.ecr.eu-central-1.amazonaws.com",
  "eu-central-2": "900612956339.dkr.ecr.eu-central-2.amazonaws.com",
  "eu-north-1": "602401143452.dkr.ecr.eu-north-1.amazonaws.com",
  "eu-south-1": "590381155156.dkr.ecr.eu-south-1.amazonaws.com",
  "eu-south-2": "455263428931.dkr.ecr.eu-south-2.amazonaws.com",
  "eu-west-1": "602401143452.dkr.ecr.eu-west-1.amazonaws.com",
  "eu-west-2": "602401143452.dkr.ecr.eu-west-2.amazonaws.com",
  "eu-west-3": "602401143452.dkr.ecr.eu-west-3.amazonaws.com",
  "eusc-de-east-1": "877088126301.dkr.ecr.eusc-de-east-1.amazonaws.eu",
  "il-central-1": "066635153087.dkr.ecr.il-central-1.amazonaws.com",
  "me-central-1": "759879836304.dkr.ecr.me-central-1.amazonaws.com",
  "me-south-1": "558608220178.dkr.ecr.me-south-1.amazonaws.com",
  "mx-central-1": "730335286997.dkr.ecr.mx-central-1.amazonaws.com",
  "sa-east-1": "602401143452.dkr.ecr.sa-east-1.amazonaws.com",
  "us-east-1": "602401143452.dkr.ecr.us-east-1.amazonaws.com",
  "us-east-2": "602401143452.dkr.ecr.us-east-2.amazonaws.com",
  "us-gov-east-1": "151742754352.dkr.ecr.us-gov-east-1.amazonaws.com",
  "us-gov-west-1": "013241004608.dkr.ecr.us-gov-west-1.amazonaws.com",
  "us-west-1": "602401143452.dkr.ecr.us-west-1.amazonaws.com",
  "us-west-2": "602401143452.dkr.ecr.us-west-2.amazonaws.com",
};

export function eksImageRegistry(region: string): string | undefined {
  return Object.hasOwn(EKS_IMAGE_REGISTRIES, region) ? EKS_IMAGE_REGISTRIES[region] : undefined;
}

/**
 * The thick Multus plugin AWS builds for EKS (aws/amazon-vpc-cni-k8s config/multus): the tag is
 * the release with `_thick` appended. Nodes pull it with their role's AmazonEC2ContainerRegistryReadOnly.
 */
export function multusImage(region: string, version: string): string {
  const registry = eksImageRegistry(region);
  if (!registry) throw new Error(`no EKS image registry known for region ${region}`);
  return `${registry}/eks/multus-cni:${version}_thick`;
}

export const whereaboutsImage = (version: string): string => `ghcr.io/k8snetworkplumbingwg/whereabouts:${version}`;

/**
 * The whereabouts release whose manifests k8s/multus/whereabouts.ts and crds.ts follow (tag v0.9.4,
 * 2026-06-02, the newest): the reconciler moved into a Deployment of its own (/ip-reconciler, first in
 * v0.9.4), and the token watcher that keeps the plugin's kubeconfig current works (fixed in v0.9.3,
 * #661: v0.9.0-v0.9.2 rewrote the kubeconfig with the token read at start, and only when the CA
 * changed too). The environment's default, and the oldest release the checks accept.
 */
export const WHEREABOUTS_VERSION = "v0.9.4";
/** The first whereabouts release that refreshes its service-account token (PR #661). */
export const WHEREABOUTS_TOKEN_REFRESH_VERSION = "v0.9.3";

/** Compares two vX.Y.Z release tags: negative, zero or positive. */
export function compareReleases(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export const awsCliImage = (version: string): string => `public.ecr.aws/aws-cli/aws-cli:${version}`;
