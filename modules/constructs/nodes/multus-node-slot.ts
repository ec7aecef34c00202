import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { clusterTag, MULTUS_INTERFACE_TAG, MULTUS_NODE_LABEL, NO_MANAGE_TAG, NODE_SLOT_LABEL } from "../../plan/labels";
import type { NodeSlot } from "../../plan/node-slots";
import type { ClusterJoin } from "./managed-node-group";
import { nodeLabels } from "../../plan/node-groups";
import { multusNodeUserData } from "../../k8s/multus-user-data";
import { NodeLaunchTemplate } from "./node-launch-template";

/**
 * Addresses others add to an ENI after Terraform made it: the VPC CNI (pod addresses and prefixes on
 * the primary without custom networking) and the ip-assigner sidecar (Multus pod addresses).
 */
const ASSIGNED_ELSEWHERE = ["private_ips", "private_ips_count", "private_ip_list", "ipv4_prefixes", "ipv4_prefix_count"];

export interface MultusNodeSlotProps {
  slot: NodeSlot;
  /** The environment's cluster name, as plain text: it names resources and is part of a tag key. */
  clusterName: string;
  /** How the node joins (Terraform references to the cluster). */
  cluster: ClusterJoin;
  /** The node subnet (or public subnet) of the slot's AZ. */
  primarySubnetId: string;
  /** Whether that is a public subnet: the node then needs an Elastic IP to reach the internet. */
  publicSubnet: boolean;
  /** The AZ's Multus subnets; index i serves extra interface i + 1. */
  multusSubnetIds: string[];
  /** The cluster security group, on every interface, as managed node groups attach it. */
  securityGroupId: string;
  imageId: string;
  instanceProfileArn: string;
  maxPods: number;
  dependsOn: ITerraformDependable[];
  tags: Record<string, string>;
}

/**
 * One fixed Multus node: its interfaces, created by Terraform so that each goes in its own subnet and
 * only the extra ones carry the no_manage tag, and the instance that boots with all of them attached
 * (device index 0 = primary, i = Multus interface i). The interfaces outlive the instance: a replaced
 * instance gets the same ENIs, MACs and primary addresses back.
 */
export class MultusNodeSlot extends Construct {
  readonly primaryInterface: NetworkInterface;
  /** Index i is Multus interface i + 1. */
  readonly multusInterfaces: NetworkInterface[];
  readonly launchTemplate: NodeLaunchTemplate;
  readonly instance: Instance;
  readonly publicIp?: Eip;

  constructor(scope: Construct, id: string, props: MultusNodeSlotProps) {
    super(scope, id);
    const { slot, cluster } = props;
    const name = `${props.clusterName}-${slot.name}`;
    const common = { securityGroups: [props.securityGroupId], lifecycle: { ignoreChanges: ASSIGNED_ELSEWHERE } };
    this.primaryInterface = new NetworkInterface(this, "primary", {
      ...common,
      subnetId: props.primarySubnetId,
      description: `Primary interface of ${name}`,
      tags: { ...props.tags, Name: `${name}-primary` },
    });
    this.multusInterfaces = Array.from({ length: slot.group.multusInterfaces }, (_, i) => {
      const deviceIndex = i + 1;
      return new NetworkInterface(this, `multus-${deviceIndex}`, {
        ...common,
        subnetId: props.multusSubnetIds[i],
        description: `Multus interface ${deviceIndex} of ${name}`,
        tags: { ...props.tags, Name: `${name}-multus-${deviceIndex}`, [NO_MANAGE_TAG]: "true", [MULTUS_INTERFACE_TAG]: String(deviceIndex) },
      });
    });
    // Interfaces that exist before the launch get no public address from the subnet's setting.
    if (props.publicSubnet) {
      this.publicIp = new Eip(this, "public-ip", { domain: "vpc", networkInterface: this.primaryInterface.id, tags: { ...props.tags, Name: name } });
    }
    const interfaces = [this.primaryInterface, ...this.multusInterfaces];
    this.launchTemplate = new NodeLaunchTemplate(this, "launch-template", {
      name,
      imageId: props.imageId,
      userData: multusNodeUserData(
        {
          clusterName: cluster.clusterName,
          apiServerEndpoint: cluster.endpoint,
          certificateAuthority: cluster.certificateAuthorityData,
          serviceCidr: cluster.serviceCidr,
          maxPods: props.maxPods,
          labels: { ...nodeLabels(slot.group), [MULTUS_NODE_LABEL]: "true", [NODE_SLOT_LABEL]: slot.name },
          taints: slot.group.taints,
        },
        this.multusInterfaces.map((eni, i) => ({ deviceIndex: i + 1, macAddress: eni.macAddress })),
      ),
      diskSizeGiB: slot.group.diskSizeGiB,
      metadataHopLimit: slot.group.metadataHopLimit,
      detailedMonitoring: slot.group.detailedMonitoring,
      instanceProfileArn: props.instanceProfileArn,
      networkInterfaces: interfaces.map((eni, deviceIndex) => ({ deviceIndex, networkInterfaceId: eni.id, deleteOnTermination: "false" })),
      tagNetworkInterfaces: false,
      tags: props.tags,
    });
    this.instance = new Instance(this, "instance", {
      instanceType: slot.group.instanceType,
      // A changed template (new AMI, new user data) replaces the instance; the interfaces stay.
      launchTemplate: { id: this.launchTemplate.template.id, version: String(this.launchTemplate.template.latestVersion) },
      // No Auto Scaling group replaces a failed node: EC2 recovers it instead, same ENIs and addresses.
      maintenanceOptions: { autoRecovery: "default" },
      tags: { ...props.tags, Name: name, [clusterTag(props.clusterName)]: "owned" },
      dependsOn: props.dependsOn,
    });
  }
}
