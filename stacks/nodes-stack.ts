import { DataResource, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import type { LoadedEnvironment } from "../modules/load/load";
import { instanceTypeInfo } from "../modules/plan/instance-types";
import { isMultusGroup, zonesOf } from "../modules/plan/node-groups";
import { nodeGroupMaxPods } from "../modules/plan/node-group-max-pods";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { NODE_GROUP_LABEL, NODE_SLOT_LABEL } from "../modules/plan/labels";
import { nodeSlots } from "../modules/plan/node-slots";
import { Al2023Ami } from "../modules/constructs/nodes/al2023-ami";
import { ManagedNodeGroup } from "../modules/constructs/nodes/managed-node-group";
import { MultusNodes } from "../modules/constructs/nodes/multus-nodes";
import type { ClusterStack } from "./cluster-stack";
import type { CniStack } from "./cni-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface NodesStackProps {
  network: NetworkStack;
  cluster: ClusterStack;
  cni: CniStack;
}

/**
 * The node groups, started only once the CNI is configured, and CoreDNS, which needs nodes. Groups
 * with Multus interfaces become fixed self-managed nodes (MultusNodes) instead of managed node groups.
 */
export class NodesStack extends PlanStack {
  /** The managed node groups, in environment order (Multus groups left out). */
  readonly nodeGroups: ManagedNodeGroup[] = [];
  readonly multusNodes?: MultusNodes;
  readonly coreDns: ManagedAddon;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: NodesStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { controlPlane, nodeRole } = props.cluster;
    const eks = controlPlane.cluster;
    // The add-ons live in the cni stack; reading their ARNs here makes cdktf deploy that stack first,
    // and depending on this gate keeps every node group behind them within this stack too.
    const cniReady = new DataResource(this, "cni-ready", {
      input: Object.fromEntries(props.cni.nodePrerequisites.map((a) => [a.addonName, a.addon.arn])),
    });
    const amis = new Map<string, Al2023Ami>();
    const amiFor = (arch: "amd64" | "arm64") => {
      if (!amis.has(arch)) amis.set(arch, new Al2023Ami(this, `al2023-${arch}`, { kubernetesVersion: eks.version, arch }));
      return amis.get(arch)!;
    };
    const join = props.cluster.join;
    const maxPods: Record<string, number> = {};
    const archOf = (instanceType: string, group: string) => {
      const info = instanceTypeInfo(instanceType);
      if (!info?.arch) throw new Error(`${group}: no EKS AMI for ${instanceType}`);
      return info.arch;
    };
    for (const spec of env.nodeGroups) {
      const arch = archOf(spec.instanceType, spec.name);
      maxPods[spec.name] = nodeGroupMaxPods(spec, env).maxPods;
      if (isMultusGroup(spec)) continue;
      const subnets = zonesOf(env, spec).map((az) => props.network.zones[az].subnetFor(spec.subnet)!);
      this.nodeGroups.push(
        new ManagedNodeGroup(this, `node-group-${spec.name}`, {
          spec,
          cluster: join,
          nodeRoleArn: nodeRole.serviceRole.role.arn,
          subnetIds: subnets.map((s) => s.id),
          imageId: amiFor(arch).imageId,
          maxPods: maxPods[spec.name],
          dependsOn: [cniReady],
          tags: { [NODE_GROUP_LABEL]: spec.name },
        }),
      );
    }
    if (env.nodeGroups.some(isMultusGroup)) {
      this.multusNodes = new MultusNodes(this, "multus-nodes", {
        slots: nodeSlots(env),
        clusterName: env.cluster.name,
        cluster: join,
        zones: props.network.zones,
        securityGroupId: eks.vpcConfig.clusterSecurityGroupId,
        imageIdFor: (slot) => amiFor(archOf(slot.group.instanceType, slot.group.name)).imageId,
        maxPodsFor: (slot) => maxPods[slot.group.name],
        policies: new AwsManagedPolicies(this, "policies"),
        dependsOn: [cniReady],
        tags: (slot) => ({ [NODE_GROUP_LABEL]: slot.group.name, [NODE_SLOT_LABEL]: slot.name }),
      });
    }
    // CoreDNS only becomes active once it can schedule on nodes.
    this.coreDns = new ManagedAddon(this, "coredns", {
      clusterName: eks.name,
      kubernetesVersion: eks.version,
      addonName: "coredns",
      version: env.cluster.addonVersions.coreDns,
      dependsOn: [...this.nodeGroups.map((g) => g.nodeGroup), ...(this.multusNodes?.slots.map((s) => s.instance) ?? [])],
    });

    new TerraformOutput(this, "node_groups", {
      value: Object.fromEntries(
        env.nodeGroups.filter((g) => !isMultusGroup(g)).map((spec, i) => [spec.name, { arn: this.nodeGroups[i].nodeGroup.arn, name: this.nodeGroups[i].nodeGroup.nodeGroupName }]),
      ),
      description: "Managed node groups by name",
    });
    if (this.multusNodes) {
      const slots = this.multusNodes.slots.map((s) => [
        s.node.id,
        { instance_id: s.instance.id, availability_zone: s.instance.availabilityZone, interfaces: [s.primaryInterface, ...s.multusInterfaces].map((eni) => eni.id) },
      ]);
      new TerraformOutput(this, "multus_nodes", { value: Object.fromEntries(slots), description: "Multus nodes by slot: instance, AZ, interfaces by device index" });
    }
    new TerraformOutput(this, "max_pods", { value: maxPods, description: "Kubelet maxPods per node group" });
  }
}
