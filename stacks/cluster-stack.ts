import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterAdmins } from "../modules/constructs/eks/cluster-admins";
import type { ClusterConnection } from "../modules/constructs/eks/cluster-providers";
import { ClusterRole } from "../modules/constructs/eks/cluster-role";
import { ControlPlane } from "../modules/constructs/eks/control-plane";
import { NodeRole } from "../modules/constructs/eks/node-role";
import { ClusterOidcProvider } from "../modules/constructs/eks/oidc-provider";
import { SecretsEncryptionKey } from "../modules/constructs/eks/secrets-key";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import type { PodCredentials } from "../modules/constructs/iam/pod-role";
import type { ClusterJoin } from "../modules/constructs/nodes/managed-node-group";
import type { LoadedEnvironment } from "../modules/load/load";
import { clusterRoleName, controlPlaneLogGroup, nodeRoleName, secretsKeyAlias } from "../modules/plan/names";
import { controlPlaneSubnets } from "../modules/plan/placement";
import { podCredentialsPlan } from "../modules/plan/pod-credentials";
import type { NetworkStack } from "./network-stack";
import { PlanStack } from "./plan-stack";

export interface ClusterStackProps {
  readonly network: NetworkStack;
}

/** The EKS control plane with its roles, Secrets key, admins and (for IRSA) OIDC provider. */
export class ClusterStack extends PlanStack {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly clusterSecurityGroupId: string;
  readonly nodeRoleArn: string;
  /** What the roles of later stacks' pods trust: the OIDC provider (IRSA) and/or Pod Identity. */
  readonly podCredentials: PodCredentials;
  /** What the kubernetes and helm providers of a later stack connect with. */
  readonly connection: ClusterConnection;
  /** What a node needs to join the cluster. */
  readonly join: ClusterJoin;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: ClusterStackProps) {
    super(scope, id, environment);
    const { cluster } = environment.env;
    const policies = new AwsManagedPolicies(this, "policies");
    const secretsKey = new SecretsEncryptionKey(this, "secrets-key", {
      clusterName: cluster.name,
      alias: secretsKeyAlias(cluster.name),
    });
    const role = new ClusterRole(this, "cluster-role", {
      name: clusterRoleName(cluster.name),
      clusterName: cluster.name,
      secretsKeyArn: secretsKey.keyArn,
      policies,
      podSecurityGroups: environment.env.cni.podSecurityGroups !== undefined,
    });
    const controlPlane = new ControlPlane(this, "control-plane", {
      spec: cluster,
      logGroupName: controlPlaneLogGroup(cluster.name),
      subnetIds: props.network.subnetIdsFor(controlPlaneSubnets(environment.env.network)),
      roleArn: role.roleArn,
      roleDependables: role.dependables,
      secretsKeyArn: secretsKey.keyArn,
    });
    this.clusterName = controlPlane.clusterName;
    this.kubernetesVersion = controlPlane.kubernetesVersion;
    this.clusterSecurityGroupId = controlPlane.clusterSecurityGroupId;
    new ClusterAdmins(this, "admins", {
      clusterName: controlPlane.clusterName,
      principals: cluster.adminPrincipals,
      formerDeployer: cluster.formerDeployerEntry,
      policies,
    });
    const nodeRole = new NodeRole(this, "node-role", {
      name: nodeRoleName(cluster.name),
      clusterName: cluster.name,
      policies,
    });
    this.nodeRoleArn = nodeRole.roleArn;
    // No OIDC provider where no role trusts it (Pod Identity); while a deployed environment switches,
    // oidcProvider: true keeps it (README, "Switching to Pod Identity").
    const credentials = podCredentialsPlan(cluster);
    const oidcProviderArn = credentials.oidcProvider
      ? new ClusterOidcProvider(this, "oidc", { issuerUrl: controlPlane.oidcIssuer }).arn
      : undefined;
    this.podCredentials = {
      clusterName: controlPlane.clusterName,
      podIdentity: credentials.podIdentity,
      oidc: oidcProviderArn ? { providerArn: oidcProviderArn, issuer: controlPlane.oidcIssuer } : undefined,
    };
    this.connection = {
      clusterName: controlPlane.clusterName,
      endpoint: controlPlane.endpoint,
      certificateAuthorityData: controlPlane.certificateAuthorityData,
      region: environment.env.region,
    };
    this.join = {
      clusterName: controlPlane.clusterName,
      endpoint: controlPlane.endpoint,
      certificateAuthorityData: controlPlane.certificateAuthorityData,
      serviceCidr: controlPlane.serviceCidr,
    };

    const outputs: Record<string, [string, string]> = {
      cluster_name: [controlPlane.clusterName, "EKS cluster name"],
      cluster_endpoint: [controlPlane.endpoint, "Kubernetes API server endpoint"],
      cluster_certificate_authority_data: [
        controlPlane.certificateAuthorityData,
        "Cluster CA certificate, base64 (public)",
      ],
      cluster_security_group_id: [
        controlPlane.clusterSecurityGroupId,
        "Security group EKS created for the control plane and nodes",
      ],
      ...(oidcProviderArn
        ? { oidc_provider_arn: [oidcProviderArn, "IAM OIDC provider of the cluster, for IRSA"] as [string, string] }
        : {}),
      oidc_issuer: [controlPlane.oidcIssuer, "OIDC issuer URL of the cluster"],
      node_role_arn: [nodeRole.roleArn, "IAM role of the nodes"],
      node_role_name: [nodeRole.roleName, "IAM role of the nodes, by name"],
      kubernetes_version: [controlPlane.kubernetesVersion, "Kubernetes version of the control plane"],
      service_cidr: [controlPlane.serviceCidr, "Service IPv4 range"],
    };
    for (const [name, [value, description]] of Object.entries(outputs))
      new TerraformOutput(this, name, { value, description });
  }
}
