import { LaunchTemplate, type LaunchTemplateNetworkInterfaces } from "@cdktf/provider-aws/lib/launch-template";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export interface NodeLaunchTemplateProps {
  name: string;
  imageId: string;
  /** Plain text; encoded here. */
  userData: string;
  diskSizeGiB: number;
  /** 1 keeps pods (one hop further) away from the node's credentials; 2 lets them reach IMDS. */
  metadataHopLimit: 1 | 2;
  detailedMonitoring: boolean;
  /** Self-managed nodes only: managed node groups set the instance profile and security group themselves. */
  instanceProfileArn?: string;
  /** Self-managed nodes only: every interface, primary first (Multus adds the extra ones). */
  networkInterfaces?: LaunchTemplateNetworkInterfaces[];
  /**
   * Tag the interfaces EC2 creates at launch (default). Off when every interface exists beforehand
   * (Multus nodes): EC2 refuses network-interface tags in a launch that creates no interface.
   */
  tagNetworkInterfaces?: boolean;
  tags: Record<string, string>;
}

/** What every node boots with: the AL2023 AMI, our nodeadm user data, an encrypted gp3 root, IMDSv2 only. */
export class NodeLaunchTemplate extends Construct {
  readonly template: LaunchTemplate;

  constructor(scope: Construct, id: string, props: NodeLaunchTemplateProps) {
    super(scope, id);
    this.template = new LaunchTemplate(this, "template", {
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
      networkInterfaces: props.networkInterfaces,
      tagSpecifications: ["instance", "volume", ...(props.tagNetworkInterfaces === false ? [] : ["network-interface"])].map((resourceType) => ({
        resourceType,
        tags: { ...props.tags, Name: props.name },
      })),
      updateDefaultVersion: true,
      tags: props.tags,
    });
  }
}
