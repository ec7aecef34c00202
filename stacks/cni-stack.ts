import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { IrsaRole } from "../modules/constructs/iam/irsa-role";
import { MultusInstallation } from "../modules/constructs/multus/multus-installation";
import { jsonencode } from "../modules/hcl/jsonencode";
import { vpcCniConfiguration, type PodSubnetRef } from "../modules/k8s/vpc-cni-configuration";
import type { LoadedEnvironment } from "../modules/load/load";
import { multusRanges } from "../modules/plan/multus-ranges";
import { multusSlotAddresses } from "../modules/plan/multus-public";
import { vpcCniRoleName } from "../modules/plan/names";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface CniStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/**
 * The pod network, configured before any node exists: the vpc-cni add-on (custom networking with its
 * ENIConfigs, prefix delegation, external SNAT) with its own IAM role, kube-proxy, and Multus with
 * its networks when the environment has them.
 */
export class CniStack extends PlanStack {
  /** What a node must not start before: the add-ons that give it a pod network. */
  readonly nodePrerequisites: ManagedAddon[];

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: CniStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { cluster } = props;
    new ClusterProviders(this, "cluster", { ...cluster.connection, auth: env.cluster.kubernetesAuth });
    const policies = new AwsManagedPolicies(this, "policies");
    const cniRole = new IrsaRole(this, "vpc-cni-role", {
      name: vpcCniRoleName(env.cluster.name),
      description: `VPC CNI (kube-system/aws-node) of ${env.cluster.name}`,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      managedPolicies: ["AmazonEKS_CNI_Policy"],
      policies,
    });
    // Pods in the pod subnets share the cluster security group with the nodes (managed node groups
    // attach it), so pod-to-node and pod-to-control-plane traffic is allowed as it is for nodes.
    const podSubnets: Record<string, PodSubnetRef> = {};
    for (const zone of props.network.zoneList) {
      const podSubnetId = zone.subnetIdFor("pod");
      if (podSubnetId) podSubnets[zone.az] = { id: podSubnetId, securityGroups: [cluster.clusterSecurityGroupId] };
    }
    const configuration = vpcCniConfiguration({
      cni: env.cni,
      region: env.region,
      podSubnets: env.cni.customNetworking ? podSubnets : {},
    });
    const addon = { clusterName: cluster.clusterName, kubernetesVersion: cluster.kubernetesVersion };
    const vpcCni = new ManagedAddon(this, "vpc-cni", {
      ...addon,
      addonName: "vpc-cni",
      version: env.cluster.addonVersions.vpcCni,
      serviceAccountRoleArn: cniRole.roleArn,
      // jsonencode, not JSON.stringify: the references must stay expressions in the HCL export.
      configurationValues: jsonencode(configuration),
    });
    const kubeProxy = new ManagedAddon(this, "kube-proxy", {
      ...addon,
      addonName: "kube-proxy",
      version: env.cluster.addonVersions.kubeProxy,
    });
    this.nodePrerequisites = [vpcCni, kubeProxy];
    if (env.multus)
      new MultusInstallation(this, "multus", {
        spec: env.multus,
        region: env.region,
        ranges: multusRanges(env),
        slotAddresses: multusSlotAddresses(env),
      });

    new TerraformOutput(this, "vpc_cni_addon_arn", {
      value: vpcCni.arn,
      description: "The vpc-cni add-on; nodes wait for it",
    });
    new TerraformOutput(this, "kube_proxy_addon_arn", {
      value: kubeProxy.arn,
      description: "The kube-proxy add-on; nodes wait for it",
    });
    new TerraformOutput(this, "vpc_cni_role_arn", {
      value: cniRole.roleArn,
      description: "IAM role of kube-system/aws-node",
    });
  }
}
