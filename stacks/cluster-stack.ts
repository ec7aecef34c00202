import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterAdmins } from "../modules/constructs/eks/cluster-admins";
import type { ClusterConnection } from "../modules/constructs/eks/cluster-providers";
import { ClusterRole } from "../modules/constructs/eks/cluster-role";
import { ControlPlane } from "../modules/constructs/eks/control-plane";
import { NodeRole } from "../modules/constructs/eks/node-role";
import type { ClusterJoin } from "../modules/constructs/nodes/managed-node-group";
import { ClusterOidcProvider } from "../modules/constructs/eks/oidc-provider";
import { SecretsEncryptionKey } from "../modules/constructs/eks/secrets-key";
import { controlPlaneSubnets } from "../modules/plan/placement";
import type { LoadedEnvironment } from "../modules/load/load";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface ClusterStackProps {
  network: NetworkStack;
}

/** The EKS control plane with its roles, Secrets key, admins and OIDC provider. */
export class ClusterStack extends PlanStack {
  readonly controlPlane: ControlPlane;
  readonly nodeRole: NodeRole;
  readonly oidc: ClusterOidcProvider;
  readonly admins: ClusterAdmins;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: ClusterStackProps) {
    super(scope, id, environment);
    const { cluster } = environment.env;
    const policies = new AwsManagedPolicies(this, "policies");
    const secretsKey = new SecretsEncryptionKey(this, "secrets-key", { clusterName: cluster.name });
    const role = new ClusterRole(this, "cluster-role", { clusterName: cluster.name, secretsKey, policies });
    this.controlPlane = new ControlPlane(this, "control-plane", {
      spec: cluster,
      subnetIds: props.network.subnetsFor(controlPlaneSubnets(environment.env.network)).map((s) => s.id),
      role,
      secretsKey,
    });
    const clusterName = this.controlPlane.cluster.name;
    this.admins = new ClusterAdmins(this, "admins", { clusterName, principals: cluster.adminPrincipals, policies });
    this.nodeRole = new NodeRole(this, "node-role", { clusterName: cluster.name, policies });
    this.oidc = new ClusterOidcProvider(this, "oidc", { issuerUrl: this.controlPlane.oidcIssuer });

    const eks = this.controlPlane.cluster;
    const outputs: Record<string, [string, string]> = {
      cluster_name: [eks.name, "EKS cluster name"],
      cluster_endpoint: [eks.endpoint, "Kubernetes API server endpoint"],
      cluster_certificate_authority_data: [this.controlPlane.certificateAuthorityData, "Cluster CA certificate, base64 (public)"],
      cluster_security_group_id: [eks.vpcConfig.clusterSecurityGroupId, "Security group EKS created for the control plane and nodes"],
      oidc_provider_arn: [this.oidc.provider.arn, "IAM OIDC provider of the cluster, for IRSA"],
      oidc_issuer: [this.controlPlane.oidcIssuer, "OIDC issuer URL of the cluster"],
      node_role_arn: [this.nodeRole.serviceRole.role.arn, "IAM role of the nodes"],
      node_role_name: [this.nodeRole.serviceRole.role.name, "IAM role of the nodes, by name"],
      kubernetes_version: [eks.version, "Kubernetes version of the control plane"],
      service_cidr: [eks.kubernetesNetworkConfig.serviceIpv4Cidr, "Service IPv4 range"],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) new TerraformOutput(this, name, { value, description });
  }

  /** What the kubernetes and helm providers of a later stack connect with. */
  get connection(): ClusterConnection {
    const eks = this.controlPlane.cluster;
    return { clusterName: eks.name, endpoint: eks.endpoint, certificateAuthorityData: this.controlPlane.certificateAuthorityData, region: this.environment.env.region };
  }

  /** What a node needs to join the cluster. */
  get join(): ClusterJoin {
    const eks = this.controlPlane.cluster;
    return {
      clusterName: eks.name,
      endpoint: eks.endpoint,
      certificateAuthorityData: this.controlPlane.certificateAuthorityData,
      serviceCidr: eks.kubernetesNetworkConfig.serviceIpv4Cidr,
    };
  }
}
