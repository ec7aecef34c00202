/**
 * Which AL2023 EKS-optimized AMI a node boots: architecture, variant (standard, or the accelerated
 * nvidia and neuron builds that carry the drivers of GPU and Neuron devices) and release.
 *
 * Sources: EKS User Guide "Retrieve recommended Amazon Linux AMI IDs" (retrieve-ami-id: the SSM
 * parameter paths, x86_64 standard/nvidia/neuron and arm64 standard/nvidia) and "Use EKS-optimized
 * accelerated AMIs for GPU instances" (ml-eks-optimized-ami: the instance families of each variant);
 * the pinned parameter name as Karpenter builds it (aws/karpenter-provider-aws amifamily/al2023.go);
 * awslabs/amazon-eks-ami v20250403 (first arm64 nvidia release, #853) and doc/usage/g7-ami.md with
 * #2768 (G7 needs NVIDIA driver 595, shipped from v20260917). Read 2026-11 (/work/notes/day-two.md).
 */
import { instanceTypeInfo } from "./instance-types";

export type AmiVariant = "standard" | "nvidia" | "neuron";
/** As the SSM parameter paths spell the architecture. */
export type AmiArch = "x86_64" | "arm64";

/** "latest" or a release such as v20260714 (cluster.nodeAmiRelease). */
export type AmiRelease = string;

interface VariantFamilies {
  variant: Exclude<AmiVariant, "standard">;
  arch: AmiArch;
  families: readonly string[];
  /** Releases before this one cannot drive the family's devices, by family. */
  minimumRelease?: Readonly<Record<string, string>>;
}

/** The families each accelerated variant supports (ml-eks-optimized-ami). */
const ACCELERATED_VARIANTS: readonly VariantFamilies[] = [
  {
    variant: "nvidia",
    arch: "x86_64",
    families: [
      "p6-b300",
      "p6-b200",
      "p5",
      "p5e",
      "p5en",
      "p4d",
      "p4de",
      "p3",
      "p3dn",
      "g7",
      "g7e",
      "gr6",
      "g6",
      "g6e",
      "g6f",
      "gr6f",
      "g5",
      "g4dn",
    ],
    minimumRelease: { g7: "v20260917", g7e: "v20260917" },
  },
  {
    variant: "nvidia",
    arch: "arm64",
    families: ["g5g", "p6e-gb200", "p6e-gb300"],
    minimumRelease: { g5g: "v20250403", "p6e-gb200": "v20250403", "p6e-gb300": "v20250403" },
  },
  { variant: "neuron", arch: "x86_64", families: ["inf1", "inf2", "trn1", "trn1n", "trn2"] },
];

/** GPU and Neuron families (p*, g*, gr*, inf*, trn*): they need an accelerated variant. */
const GPU_OR_NEURON = /^(p\d|g\d|gr\d|inf\d|trn\d)/;
/** Other accelerators (Gaudi, Qualcomm AI 100, FPGAs, Xilinx video): no EKS AMI carries their drivers. */
const OTHER_ACCELERATORS: Readonly<Record<string, string>> = {
  dl1: "Habana Gaudi accelerators",
  dl2q: "Qualcomm AI 100 accelerators",
  f1: "FPGAs",
  f2: "FPGAs",
  vt1: "Xilinx video transcoding accelerators",
};
/** Known accelerated families no variant supports, with what they carry. */
const UNSUPPORTED_DEVICES: Readonly<Record<string, string>> = {
  g4ad: "AMD Radeon Pro V520 GPUs",
  g3: "NVIDIA Tesla M60 GPUs",
  g3s: "NVIDIA Tesla M60 GPUs",
  p2: "NVIDIA K80 GPUs",
};

export const familyOf = (instanceType: string): string => instanceType.split(".")[0];

export type NodeAmi =
  | { kind: "ami"; arch: AmiArch; variant: AmiVariant; minimumRelease?: string }
  /** A GPU or Neuron type no AL2023 variant supports. */
  | { kind: "unsupported-accelerator"; arch: AmiArch; devices: string }
  /** Boots the standard AMI, whose drivers do not cover its accelerators. */
  | { kind: "ami-without-device-drivers"; arch: AmiArch; variant: "standard"; devices: string };

/**
 * The AMI an instance type boots. Architecture from the instance-type table (unknown types: x86_64;
 * types without an architecture EKS runs are the instance-type checks' to refuse).
 */
export function nodeAmiFor(instanceType: string): NodeAmi {
  const arch: AmiArch = instanceTypeInfo(instanceType)?.arch === "arm64" ? "arm64" : "x86_64";
  const family = familyOf(instanceType);
  const accelerated = ACCELERATED_VARIANTS.find((v) => v.arch === arch && v.families.includes(family));
  if (accelerated) {
    const minimumRelease = accelerated.minimumRelease?.[family];
    return { kind: "ami", arch, variant: accelerated.variant, ...(minimumRelease ? { minimumRelease } : {}) };
  }
  if (Object.hasOwn(OTHER_ACCELERATORS, family))
    return { kind: "ami-without-device-drivers", arch, variant: "standard", devices: OTHER_ACCELERATORS[family] };
  if (GPU_OR_NEURON.test(family)) {
    const devices =
      UNSUPPORTED_DEVICES[family] ??
      `${family.startsWith("inf") || family.startsWith("trn") ? "Neuron" : "GPU"} devices`;
    return { kind: "unsupported-accelerator", arch, devices };
  }
  return { kind: "ami", arch, variant: "standard" };
}

/** The families an accelerated variant supports, for messages. */
export function variantFamilies(variant: Exclude<AmiVariant, "standard">, arch: AmiArch): readonly string[] {
  return ACCELERATED_VARIANTS.find((v) => v.variant === variant && v.arch === arch)?.families ?? [];
}

/**
 * AWS's public SSM parameter holding the AMI id: `recommended` follows the newest release; a release
 * names its AMI, `amazon-eks-node-al2023-<arch>-<variant>-<k8s>-<release>`.
 */
export function al2023AmiParameter(
  kubernetesVersion: string,
  arch: AmiArch,
  variant: AmiVariant,
  release: AmiRelease,
): string {
  const image =
    release === "latest" ? "recommended" : `amazon-eks-node-al2023-${arch}-${variant}-${kubernetesVersion}-${release}`;
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/${variant}/${image}/image_id`;
}
