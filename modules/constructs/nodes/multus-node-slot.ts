import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { clusterTag, MULTUS_INTERFACE_TAG, MULTUS_NOT_READY_TAINT, NO_MANAGE_TAG } from "../../plan/labels";
import type { NodeSlot } from "../../plan/node-slots";
import type { ClusterJoin } from "./managed-node-group";
import { multusNodeLabels } from "../../plan/node-groups";
import { multusNodeUserData } from "../../k8s/multus-user-data";
import { NodeLaunchTemplate } from "./node-launch-template";

/**
 * Addresses others add to an ENI after Terraform made it: the VPC CNI (pod addresses and prefixes on
 * the primary without custom networking) and the ip-assigner sidecar (Multus pod addresses). Not
 * ignored on a public network's ENI, whose one address is Terraform's (MultusPublicInterface).
 */
const ASSIGNED_ELSEWHERE = [
  "private_ips",
  "private_ips_count",
  "private_ip_list",
  "ipv4_prefixes",
  "ipv4_prefix_count",
];

/**
 * A Multus interface of the slot that belongs to a public network: its one address, fixed by the plan
 * (plan/multus-public.ts), and the network's security group instead of the cluster's.
 */
export interface MultusPublicInterface {
  /** 1 for the first Multus interface. */
  readonly deviceIndex: number;
  readonly address: string;
  readonly securityGroupId: string;
}

export interface MultusNodeSlotProps {
  readonly slot: NodeSlot;
  /** The environment's cluster name, as plain text: it names resources and is part of a tag key. */
  readonly clusterName: string;
  /** The node's name (plan/names.ts launchTemplateName): its launch template and Name tags. */
  readonly name: string;
  /** How the node joins (Terraform references to the cluster). */
  readonly cluster: ClusterJoin;
  /** The node subnet (or public subnet) of the slot's AZ. */
  readonly primarySubnetId: string;
  /** Whether that is a public subnet: the node then needs an Elastic IP to reach the internet. */
  readonly publicSubnet: boolean;
  /** The AZ's Multus subnets; index i serves extra interface i + 1. */
  readonly multusSubnetIds: readonly string[];
  /** The cluster security group, on every interface but the public ones, as managed node groups attach it. */
  readonly securityGroupId: string;
  /** The slot's interfaces on public Multus networks. Default: none. */
  readonly publicInterfaces?: readonly MultusPublicInterface[];
  readonly imageId: string;
  readonly instanceProfileArn: string;
  readonly maxPods: number;
  readonly dependsOn: readonly ITerraformDependable[];
  readonly tags: Readonly<Record<string, string>>;
}

/** A Multus ENI as the pods' ip-assigner needs it: its MAC (the pod interface's, with ipvlan) and its id. */
export interface MultusInterfaceRef {
  readonly id: string;
  readonly macAddress: string;
}

/**
 * One fixed Multus node: its interfaces, created by Terraform so that each goes in its own subnet and
 * only the extra ones carry the no_manage tag, and the instance that boots with all of them attached
 * (device index 0 = primary, i = Multus interface i). The interfaces outlive the instance: a replaced
 * instance gets the same ENIs, MACs and primary addresses back.
 */
export class MultusNodeSlot extends Construct {
  readonly slotName: string;
  readonly instanceId: string;
  readonly availabilityZone: string;
  /** Every interface id by device index: the primary first. */
  readonly interfaceIds: string[];
  /** Index i is Multus interface i + 1. */
  readonly multusInterfaces: MultusInterfaceRef[];
  /** The instance, for what must wait until the node exists (CoreDNS). */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: MultusNodeSlotProps) {
    super(scope, id);
    const { slot, cluster, name } = props;
    this.slotName = slot.name;
    const common = { securityGroups: [props.securityGroupId], lifecycle: { ignoreChanges: ASSIGNED_ELSEWHERE } };
    const primary = new NetworkInterface(this, "primary", {
      ...common,
      subnetId: props.primarySubnetId,
      description: `Primary interface of ${name}`,
      tags: { ...props.tags, Name: `${name}-primary` },
    });
    const multus = Array.from({ length: slot.group.multusInterfaces }, (_, i) => {
      const deviceIndex = i + 1;
      const publicInterface = props.publicInterfaces?.find((p) => p.deviceIndex === deviceIndex);
      // A public network's address is the ENI's own (its primary), given when the ENI is made: the
      // provider picks the primary of a new ENI from private_ips and replaces the ENI only when that
      // address leaves the set, which a set of one never does while the plan keeps the address.
      const addressing = publicInterface
        ? { securityGroups: [publicInterface.securityGroupId], privateIps: [publicInterface.address] }
        : common;
      return new NetworkInterface(this, `multus-${deviceIndex}`, {
        ...addressing,
        subnetId: props.multusSubnetIds[i],
        description: `Multus interface ${deviceIndex} of ${name}`,
        tags: {
          ...props.tags,
          Name: `${name}-multus-${deviceIndex}`,
          [NO_MANAGE_TAG]: "true",
          [MULTUS_INTERFACE_TAG]: String(deviceIndex),
        },
      });
    });
    // Interfaces that exist before the launch get no public address from the subnet's setting.
    if (props.publicSubnet) {
      new Eip(this, "public-ip", { domain: "vpc", networkInterface: primary.id, tags: { ...props.tags, Name: name } });
    }
    const interfaces = [primary, ...multus];
    const launchTemplate = new NodeLaunchTemplate(this, "launch-template", {
      name,
      imageId: props.imageId,
      userData: multusNodeUserData(
        {
          clusterName: cluster.clusterName,
          apiServerEndpoint: cluster.endpoint,
          certificateAuthority: cluster.certificateAuthorityData,
          serviceCidr: cluster.serviceCidr,
          maxPods: props.maxPods,
          labels: multusNodeLabels(slot.group, slot.name),
          // Until multus-node-readiness removes it, no Multus pod lands here (README: Multus section).
          taints: [...slot.group.taints, { key: MULTUS_NOT_READY_TAINT, effect: "NO_SCHEDULE" }],
        },
        multus.map((eni, i) => ({ deviceIndex: i + 1, macAddress: eni.macAddress })),
      ),
      diskSizeGiB: slot.group.diskSizeGiB,
      metadataHopLimit: slot.group.metadataHopLimit,
      detailedMonitoring: slot.group.detailedMonitoring,
      instanceProfileArn: props.instanceProfileArn,
      networkInterfaces: interfaces.map((eni, deviceIndex) => ({
        deviceIndex,
        networkInterfaceId: eni.id,
        deleteOnTermination: "false",
      })),
      tagNetworkInterfaces: false,
      tags: props.tags,
    });
    const instance = new Instance(this, "instance", {
      instanceType: slot.group.instanceType,
      // A changed template (new AMI, new user data) replaces the instance; the interfaces stay.
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion },
      // No Auto Scaling group replaces a failed node: EC2 recovers it instead, same ENIs and addresses.
      maintenanceOptions: { autoRecovery: "default" },
      tags: { ...props.tags, Name: name, [clusterTag(props.clusterName)]: "owned" },
      dependsOn: [...props.dependsOn],
    });
    this.instanceId = instance.id;
    this.availabilityZone = instance.availabilityZone;
    this.interfaceIds = interfaces.map((eni) => eni.id);
    this.multusInterfaces = multus.map((eni) => ({ id: eni.id, macAddress: eni.macAddress }));
    this.dependable = instance;
  }
}
