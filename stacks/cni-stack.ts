import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { vpcCniConfiguration, type PodSubnetRef } from "../modules/k8s/vpc-cni-configuration";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import type { LoadedEnvironment } from "../modules/load/load";
import { jsonencode } from "../modules/hcl/jsonencode";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { IrsaRole } from "../modules/constructs/iam/irsa-role";
import { MultusInstallation } from "../modules/constructs/multus/multus-installation";
import { multusRanges } from "../modules/plan/multus-ranges";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface CniStackProps {
  network: NetworkStack;
  cluster: ClusterStack;
}

/**
 * The pod network, configured before any node exists: the vpc-cni add-on (custom networking with its
 * ENIConfigs, prefix delegation, external SNAT) with its own IAM role, kube-proxy, and Multus with
 * its networks when the environment has them.
 */
export class CniStack extends PlanStack {
  readonly providers: ClusterProviders;
  readonly vpcCni: ManagedAddon;
  readonly kubeProxy: ManagedAddon;
  /** Multus, whereabouts and the NetworkAttachmentDefinitions, when the environment has Multus networks. */
  readonly multus?: MultusInstallation;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: CniStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { controlPlane, oidc } = props.cluster;
    const eks = controlPlane.cluster;
    this.providers = new ClusterProviders(this, "cluster", { ...props.cluster.connection, auth: env.cluster.kubernetesAuth });
    const policies = new AwsManagedPolicies(this, "policies");
    const cniRole = new IrsaRole(this, "vpc-cni-role", {
      name: `${env.cluster.name}-vpc-cni`,
      description: `VPC CNI (kube-system/aws-node) of ${env.cluster.name}`,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      oidcProviderArn: oidc.provider.arn,
      oidcIssuer: controlPlane.oidcIssuer,
      managedPolicies: ["AmazonEKS_CNI_Policy"],
      policies,
    });
    // Pods in the pod subnets share the cluster security group with the nodes (managed node groups
    // attach it), so pod-to-node and pod-to-control-plane traffic is allowed as it is for nodes.
    const podSubnets: Record<string, PodSubnetRef> = {};
    for (const zone of props.network.zoneList) {
      if (zone.podSubnet) podSubnets[zone.az] = { id: zone.podSubnet.id, securityGroups: [eks.vpcConfig.clusterSecurityGroupId] };
    }
    const configuration = vpcCniConfiguration({ cni: env.cni, region: env.region, podSubnets: env.cni.customNetworking ? podSubnets : {} });
    const addon = { clusterName: eks.name, kubernetesVersion: eks.version };
    this.vpcCni = new ManagedAddon(this, "vpc-cni", {
      ...addon,
      addonName: "vpc-cni",
      version: env.cluster.addonVersions.vpcCni,
      serviceAccountRoleArn: cniRole.serviceRole.role.arn,
      // jsonencode, not JSON.stringify: the references must stay expressions in the HCL export.
      configurationValues: jsonencode(configuration),
    });
    this.kubeProxy = new ManagedAddon(this, "kube-proxy", { ...addon, addonName: "kube-proxy", version: env.cluster.addonVersions.kubeProxy });
    if (env.multus) this.multus = new MultusInstallation(this, "multus", { spec: env.multus, region: env.region, ranges: multusRanges(env) });

    new TerraformOutput(this, "vpc_cni_addon_arn", { value: this.vpcCni.addon.arn, description: "The vpc-cni add-on; nodes wait for it" });
    new TerraformOutput(this, "kube_proxy_addon_arn", { value: this.kubeProxy.addon.arn, description: "The kube-proxy add-on; nodes wait for it" });
    new TerraformOutput(this, "vpc_cni_role_arn", { value: cniRole.serviceRole.role.arn, description: "IAM role of kube-system/aws-node" });
  }

  /** What a node must not start before: the add-ons that give it a pod network. */
  get nodePrerequisites(): ManagedAddon[] {
    return [this.vpcCni, this.kubeProxy];
  }
}
