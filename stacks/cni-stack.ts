import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { PodRole } from "../modules/constructs/iam/pod-role";
import { MultusInstallation } from "../modules/constructs/multus/multus-installation";
import { jsonencode } from "../modules/hcl/jsonencode";
import { vpcCniConfiguration, type PodSubnetRef } from "../modules/k8s/vpc-cni-configuration";
import type { LoadedEnvironment } from "../modules/load/load";
import { multusRanges } from "../modules/plan/multus-ranges";
import { multusSlotAddresses } from "../modules/plan/multus-public";
import { vpcCniRoleName } from "../modules/plan/names";
import { POD_IDENTITY_AGENT_ADDON } from "../modules/plan/pod-credentials";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface CniStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/**
 * The pod network, configured before any node exists: the vpc-cni add-on (custom networking with its
 * ENIConfigs, prefix delegation, external SNAT, network policy, branch ENIs) with its own IAM role,
 * kube-proxy, the Pod Identity agent when pods get their credentials through it, and Multus with its
 * networks when the environment has them.
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
    const addon = { clusterName: cluster.clusterName, kubernetesVersion: cluster.kubernetesVersion };
    // Pod Identity: the agent first, on every node, so aws-node (and every later pod with an
    // association) finds it when it asks for credentials.
    const podIdentityAgent = cluster.podCredentials.podIdentity
      ? new ManagedAddon(this, "pod-identity-agent", {
          ...addon,
          addonName: POD_IDENTITY_AGENT_ADDON,
          version: env.cluster.addonVersions.podIdentityAgent,
        })
      : undefined;
    const cniRole = new PodRole(this, "vpc-cni-role", {
      name: vpcCniRoleName(env.cluster.name),
      description: `VPC CNI (kube-system/aws-node) of ${env.cluster.name}`,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicies: ["AmazonEKS_CNI_Policy"],
      policies,
      credentials: cluster.podCredentials,
      associatedBy: "addon",
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
    const vpcCni = new ManagedAddon(this, "vpc-cni", {
      ...addon,
      addonName: "vpc-cni",
      version: env.cluster.addonVersions.vpcCni,
      // With the agent installed EKS ignores serviceAccountRoleArn and uses the association (EKS user
      // guide, add-ons-iam), which the add-on owns: it goes with the add-on.
      ...(podIdentityAgent
        ? { podIdentityAssociations: [{ serviceAccount: "aws-node", roleArn: cniRole.roleArn }] }
        : { serviceAccountRoleArn: cniRole.roleArn }),
      // jsonencode, not JSON.stringify: the references must stay expressions in the HCL export.
      configurationValues: jsonencode(configuration),
      dependsOn: podIdentityAgent ? [podIdentityAgent.dependable] : undefined,
    });
    const kubeProxy = new ManagedAddon(this, "kube-proxy", {
      ...addon,
      addonName: "kube-proxy",
      version: env.cluster.addonVersions.kubeProxy,
    });
    this.nodePrerequisites = [vpcCni, kubeProxy, ...(podIdentityAgent ? [podIdentityAgent] : [])];
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
    if (podIdentityAgent) {
      new TerraformOutput(this, "pod_identity_agent_addon_arn", {
        value: podIdentityAgent.arn,
        description: "The eks-pod-identity-agent add-on; nodes wait for it",
      });
    }
    new TerraformOutput(this, "vpc_cni_role_arn", {
      value: cniRole.roleArn,
      description: "IAM role of kube-system/aws-node",
    });
  }
}
