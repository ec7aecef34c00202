import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { ClusterSpec } from "../../environment/schema";
import { publicAccessCidrs } from "../../plan/cluster-endpoint";

export interface ControlPlaneProps {
  readonly spec: ClusterSpec;
  /** The log group EKS writes to (plan/names.ts: fixed by EKS). */
  readonly logGroupName: string;
  /** Where EKS puts the control-plane network interfaces: at least two AZs. */
  readonly subnetIds: readonly string[];
  readonly roleArn: string;
  /** What the role needs before EKS may use it (its policies). */
  readonly roleDependables: readonly ITerraformDependable[];
  readonly secretsKeyArn: string;
}

/** The EKS control plane and the log group it writes to. */
export class ControlPlane extends Construct {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly kubernetesVersion: string;
  readonly certificateAuthorityData: string;
  readonly oidcIssuer: string;
  /** The security group EKS creates for the control plane and the nodes. */
  readonly clusterSecurityGroupId: string;
  readonly serviceCidr: string;

  constructor(scope: Construct, id: string, props: ControlPlaneProps) {
    super(scope, id);
    const { spec } = props;
    // Created before the cluster, so EKS writes into a group with our retention instead of creating
    // one that keeps logs forever; destroyed after it. The cluster role may not create it (ClusterRole),
    // so logs EKS still writes while the cluster is being deleted cannot bring it back.
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: props.logGroupName,
      retentionInDays: spec.logging.retentionDays,
    });
    const cluster = new EksCluster(this, "cluster", {
      name: spec.name,
      version: spec.version,
      roleArn: props.roleArn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: spec.endpoint.publicAccess,
        publicAccessCidrs: publicAccessCidrs(spec.endpoint),
      },
      // Fixed for the life of the cluster: Services get their cluster IPs from this range.
      kubernetesNetworkConfig: { serviceIpv4Cidr: spec.serviceCidr, ipFamily: "ipv4" },
      enabledClusterLogTypes: spec.logging.types,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKeyArn } },
      // Access entries only, no aws-auth ConfigMap; admins are granted explicitly (ClusterAdmins), and
      // the creator only when the environment asks EKS to (ForceNew in the provider: the checks warn).
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: spec.bootstrapCreatorAdmin },
      // No unmanaged aws-node, kube-proxy or CoreDNS: the cni stack installs them as managed add-ons,
      // configured before any node starts.
      bootstrapSelfManagedAddons: false,
      deletionProtection: spec.deletionProtection,
      dependsOn: [logGroup, ...props.roleDependables],
    });
    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.kubernetesVersion = cluster.version;
    this.certificateAuthorityData = cluster.certificateAuthority.get(0).data;
    this.oidcIssuer = cluster.identity.get(0).oidc.get(0).issuer;
    this.clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.serviceCidr = cluster.kubernetesNetworkConfig.serviceIpv4Cidr;
  }
}
