import { DataResource, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ManagedAddon } from "../modules/eks/managed-addon";
import type { LoadedEnvironment } from "../modules/environment/load";
import { instanceTypeInfo } from "../modules/max-pods/instance-types";
import { nodeGroupMaxPods } from "../modules/max-pods/node-group";
import { zonesOf } from "../modules/ip-plan/subnet-plan";
import { Al2023Ami } from "../modules/nodes/al2023-ami";
import { ManagedNodeGroup } from "../modules/nodes/managed-node-group";
import type { ClusterStack } from "./cluster-stack";
import type { CniStack } from "./cni-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface NodesStackProps {
  network: NetworkStack;
  cluster: ClusterStack;
  cni: CniStack;
}

/** The node groups, started only once the CNI is configured, and CoreDNS, which needs nodes. */
export class NodesStack extends PlanStack {
  readonly nodeGroups: ManagedNodeGroup[] = [];
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
    const maxPods: Record<string, number> = {};
    for (const spec of env.nodeGroups) {
      const info = instanceTypeInfo(spec.instanceType);
      if (!info?.arch) throw new Error(`${spec.name}: no EKS AMI for ${spec.instanceType}`);
      maxPods[spec.name] = nodeGroupMaxPods(spec, env.cni, env.cluster.addonVersions.vpcCni).maxPods;
      const subnets = zonesOf(env, spec).map((az) => props.network.zones[az].subnetFor(spec.subnet)!);
      this.nodeGroups.push(
        new ManagedNodeGroup(this, `node-group-${spec.name}`, {
          spec,
          cluster: {
            clusterName: eks.name,
            endpoint: eks.endpoint,
            certificateAuthorityData: controlPlane.certificateAuthorityData,
            serviceCidr: eks.kubernetesNetworkConfig.serviceIpv4Cidr,
          },
          nodeRoleArn: nodeRole.serviceRole.role.arn,
          subnetIds: subnets.map((s) => s.id),
          imageId: amiFor(info.arch).imageId,
          maxPods: maxPods[spec.name],
          dependsOn: [cniReady],
          tags: { "eks-custom-networking/node-group": spec.name },
        }),
      );
    }
    // CoreDNS only becomes active once it can schedule on nodes.
    this.coreDns = new ManagedAddon(this, "coredns", {
      clusterName: eks.name,
      kubernetesVersion: eks.version,
      addonName: "coredns",
      version: env.cluster.addonVersions.coreDns,
      dependsOn: this.nodeGroups.map((g) => g.nodeGroup),
    });

    new TerraformOutput(this, "node_groups", {
      value: Object.fromEntries(this.nodeGroups.map((g, i) => [env.nodeGroups[i].name, { arn: g.nodeGroup.arn, name: g.nodeGroup.nodeGroupName }])),
      description: "Managed node groups by name",
    });
    new TerraformOutput(this, "max_pods", { value: maxPods, description: "Kubelet maxPods per node group" });
  }
}
