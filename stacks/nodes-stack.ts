import { DataResource, TerraformOutput, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { Al2023Ami } from "../modules/constructs/nodes/al2023-ami";
import { ManagedNodeGroup } from "../modules/constructs/nodes/managed-node-group";
import { MultusNodes } from "../modules/constructs/nodes/multus-nodes";
import type { LoadedEnvironment } from "../modules/load/load";
import { NODE_GROUP_LABEL, NODE_SLOT_LABEL } from "../modules/plan/labels";
import { launchTemplateName, multusNodeRoleName, nodeGroupNamePrefix } from "../modules/plan/names";
import { nodeAmiFor, type NodeAmi } from "../modules/plan/node-ami";
import { nodeGroupMaxPods } from "../modules/plan/node-group-max-pods";
import { isMultusGroup, zonesOf } from "../modules/plan/node-groups";
import { nodeSlots } from "../modules/plan/node-slots";
import { multusSlotAddresses } from "../modules/plan/multus-public";
import type { ClusterStack } from "./cluster-stack";
import type { CniStack } from "./cni-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

/** The AMI to boot: an unsupported accelerator never gets here (the checks refuse it); its arch's standard image otherwise. */
const amiOf = (ami: NodeAmi) => ({
  arch: ami.arch,
  variant: ami.kind === "unsupported-accelerator" ? "standard" : ami.variant,
});

export interface NodesStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly cni: CniStack;
}

/**
 * The node groups, started only once the CNI is configured, and CoreDNS, which needs nodes. Groups
 * with Multus interfaces become fixed self-managed nodes (MultusNodes) instead of managed node groups.
 */
export class NodesStack extends PlanStack {
  /** Every Multus ENI, for the ip-assigner's MAC map (empty without Multus nodes). */
  readonly multusInterfaces: Array<{ macAddress: string; id: string }>;
  private readonly multusNodes?: MultusNodes;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: NodesStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { cluster } = props;
    // The add-ons live in the cni stack; reading their ARNs here makes cdktf deploy that stack first,
    // and depending on this gate keeps every node group behind them within this stack too.
    const cniReady = new DataResource(this, "cni-ready", {
      input: Object.fromEntries(props.cni.nodePrerequisites.map((a) => [a.addonName, a.arn])),
    });
    const amis = new Map<string, Al2023Ami>();
    const imageIdFor = (instanceType: string) => {
      // The checks refuse accelerated types no AL2023 variant supports; the rest boot this one.
      const { arch, variant } = amiOf(nodeAmiFor(instanceType));
      const id = `al2023-${arch === "arm64" ? "arm64" : "amd64"}${variant === "standard" ? "" : `-${variant}`}`;
      if (!amis.has(id))
        amis.set(
          id,
          new Al2023Ami(this, id, {
            kubernetesVersion: cluster.kubernetesVersion,
            arch,
            variant,
            release: env.cluster.nodeAmiRelease,
          }),
        );
      return amis.get(id)!.imageId;
    };
    const maxPods: Record<string, number> = Object.fromEntries(
      env.nodeGroups.map((spec) => [spec.name, nodeGroupMaxPods(spec, env).maxPods]),
    );
    const nodeGroups: ManagedNodeGroup[] = [];
    for (const spec of env.nodeGroups) {
      if (isMultusGroup(spec)) continue;
      nodeGroups.push(
        new ManagedNodeGroup(this, `node-group-${spec.name}`, {
          spec,
          cluster: cluster.join,
          launchTemplateName: launchTemplateName(env.cluster.name, spec.name),
          namePrefix: nodeGroupNamePrefix(spec.name),
          nodeRoleArn: cluster.nodeRoleArn,
          subnetIds: zonesOf(env, spec).map((az) => props.network.subnetIdFor({ role: spec.subnet, az })),
          imageId: imageIdFor(spec.instanceType),
          maxPods: maxPods[spec.name],
          dependsOn: [cniReady],
          tags: { [NODE_GROUP_LABEL]: spec.name },
        }),
      );
    }
    const slotAddresses = multusSlotAddresses(env);
    const multusNodes = env.nodeGroups.some(isMultusGroup)
      ? new MultusNodes(this, "multus-nodes", {
          slots: nodeSlots(env),
          clusterName: env.cluster.name,
          roleName: multusNodeRoleName(env.cluster.name),
          nodeNameFor: (slot) => launchTemplateName(env.cluster.name, slot.name),
          cluster: cluster.join,
          zones: props.network.zones,
          securityGroupId: cluster.clusterSecurityGroupId,
          publicInterfacesFor: (slot) =>
            slotAddresses
              .filter((a) => a.slot.name === slot.name)
              .map((a) => ({
                deviceIndex: a.interfaceIndex,
                address: a.address,
                securityGroupId: props.network.multusPublicAccess!.securityGroupIdFor(a.network.name)!,
              })),
          imageIdFor: (slot) => imageIdFor(slot.group.instanceType),
          maxPodsFor: (slot) => maxPods[slot.group.name],
          policies: new AwsManagedPolicies(this, "policies"),
          dependsOn: [cniReady],
          tags: (slot) => ({ [NODE_GROUP_LABEL]: slot.group.name, [NODE_SLOT_LABEL]: slot.name }),
        })
      : undefined;
    this.multusInterfaces = multusNodes?.multusInterfaces ?? [];
    this.multusNodes = multusNodes;
    // CoreDNS only becomes active once it can schedule on nodes.
    const nodes: ITerraformDependable[] = [
      ...nodeGroups.map((g) => g.dependable),
      ...(multusNodes?.slots.map((s) => s.dependable) ?? []),
    ];
    new ManagedAddon(this, "coredns", {
      clusterName: cluster.clusterName,
      kubernetesVersion: cluster.kubernetesVersion,
      addonName: "coredns",
      version: env.cluster.addonVersions.coreDns,
      dependsOn: nodes,
    });

    new TerraformOutput(this, "node_groups", {
      value: Object.fromEntries(
        env.nodeGroups
          .filter((g) => !isMultusGroup(g))
          .map((spec, i) => [spec.name, { arn: nodeGroups[i].arn, name: nodeGroups[i].nodeGroupName }]),
      ),
      description: "Managed node groups by name",
    });
    if (multusNodes) {
      const slots = multusNodes.slots.map((s) => [
        s.slotName,
        { instance_id: s.instanceId, availability_zone: s.availabilityZone, interfaces: s.interfaceIds },
      ]);
      new TerraformOutput(this, "multus_nodes", {
        value: Object.fromEntries(slots),
        description: "Multus nodes by slot: instance, AZ, interfaces by device index",
      });
    }
    new TerraformOutput(this, "max_pods", { value: maxPods, description: "Kubelet maxPods per node group" });
  }

  /** The id of a Multus node slot's interface at a device index (the plan and this stack agree on both). */
  multusInterfaceIdFor(slot: string, deviceIndex: number): string {
    const id = this.multusNodes?.interfaceIdFor(slot, deviceIndex);
    if (!id) throw new Error(`internal error: no interface ${deviceIndex} on Multus node ${slot}`);
    return id;
  }
}
