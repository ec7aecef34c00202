import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Construct } from "constructs";

/** AWS's public SSM parameter for the recommended AL2023 EKS-optimized AMI of a Kubernetes version. */
export function al2023AmiParameter(kubernetesVersion: string, arch: "amd64" | "arm64"): string {
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch === "arm64" ? "arm64" : "x86_64"}/standard/recommended/image_id`;
}

export interface Al2023AmiProps {
  readonly kubernetesVersion: string;
  readonly arch: "amd64" | "arm64";
}

/**
 * The AMI id of the current AL2023 EKS-optimized image. Naming it in the launch template is what makes
 * EKS leave user data alone (so our maxPods is the one the kubelet gets); it also means each new AMI
 * release rolls the node group on the next deploy, which is how nodes get patched.
 */
export class Al2023Ami extends Construct {
  readonly imageId: string;

  constructor(scope: Construct, id: string, props: Al2023AmiProps) {
    super(scope, id);
    this.imageId = new DataAwsSsmParameter(this, "image-id", {
      name: al2023AmiParameter(props.kubernetesVersion, props.arch),
    }).insecureValue;
  }
}
