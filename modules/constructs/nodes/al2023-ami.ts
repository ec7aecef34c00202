import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Construct } from "constructs";
import { al2023AmiParameter, type AmiArch, type AmiRelease, type AmiVariant } from "../../plan/node-ami";

export interface Al2023AmiProps {
  readonly kubernetesVersion: string;
  readonly arch: AmiArch;
  /** standard, or the accelerated build with the drivers of the instance type's devices (plan/node-ami.ts). */
  readonly variant: AmiVariant;
  /** "latest" (AWS's recommended image) or a pinned release such as v20260714. */
  readonly release: AmiRelease;
}

/**
 * The AMI id of an AL2023 EKS-optimized image, read from AWS's public SSM parameter at plan time.
 * Naming it in the launch template is what makes EKS leave user data alone (so our maxPods is the one
 * the kubelet gets). With release "latest" each new AMI release rolls the nodes on the next deploy,
 * which is how nodes get patched; a pinned release moves only when the environment changes it.
 */
export class Al2023Ami extends Construct {
  readonly imageId: string;

  constructor(scope: Construct, id: string, props: Al2023AmiProps) {
    super(scope, id);
    this.imageId = new DataAwsSsmParameter(this, "image-id", {
      name: al2023AmiParameter(props.kubernetesVersion, props.arch, props.variant, props.release),
    }).insecureValue;
  }
}
