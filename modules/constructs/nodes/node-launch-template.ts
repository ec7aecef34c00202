import { LaunchTemplate, type LaunchTemplateNetworkInterfaces } from "@cdktf/provider-aws/lib/launch-template";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export interface NodeLaunchTemplateProps {
  /** The template's name (plan/names.ts launchTemplateName); AWS gets it as a name prefix. */
  readonly name: string;
  readonly imageId: string;
  /** Plain text; encoded here. */
  readonly userData: string;
  readonly diskSizeGiB: number;
  /** 1 keeps pods (one hop further) away from the node's credentials; 2 lets them reach IMDS. */
  readonly metadataHopLimit: 1 | 2;
  readonly detailedMonitoring: boolean;
  /** Self-managed nodes only. Default: none (managed node groups set the instance profile themselves). */
  readonly instanceProfileArn?: string;
  /** Self-managed nodes only: every interface, primary first. Default: none (EC2 creates the primary). */
  readonly networkInterfaces?: readonly LaunchTemplateNetworkInterfaces[];
  /**
   * Tag the interfaces EC2 creates at launch. Default: true. Off when every interface exists
   * beforehand (Multus nodes): EC2 refuses network-interface tags in a launch that creates no interface.
   */
  readonly tagNetworkInterfaces?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** What every node boots with: the AL2023 AMI, our nodeadm user data, an encrypted gp3 root, IMDSv2 only. */
export class NodeLaunchTemplate extends Construct {
  readonly id: string;
  /** The newest version, as a string (what node groups and instances name). */
  readonly latestVersion: string;

  constructor(scope: Construct, id: string, props: NodeLaunchTemplateProps) {
    super(scope, id);
    const template = new LaunchTemplate(this, "template", {
      namePrefix: `${props.name}-`,
      description: `Nodes of ${props.name}`,
      imageId: props.imageId,
      userData: Fn.base64encode(props.userData),
      // AL2023 EKS AMIs boot from /dev/xvda.
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeSize: props.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: props.metadataHopLimit,
        instanceMetadataTags: "disabled",
      },
      monitoring: { enabled: props.detailedMonitoring },
      iamInstanceProfile: props.instanceProfileArn ? { arn: props.instanceProfileArn } : undefined,
      networkInterfaces: props.networkInterfaces ? [...props.networkInterfaces] : undefined,
      tagSpecifications: [
        "instance",
        "volume",
        ...(props.tagNetworkInterfaces === false ? [] : ["network-interface"]),
      ].map((resourceType) => ({
        resourceType,
        tags: { ...props.tags, Name: props.name },
      })),
      updateDefaultVersion: true,
      tags: { ...props.tags },
    });
    this.id = template.id;
    this.latestVersion = String(template.latestVersion);
  }
}
