import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { Construct } from "constructs";
import type { ClusterSpec } from "../../environment/schema";
import type { ClusterRole } from "./cluster-role";
import type { SecretsEncryptionKey } from "./secrets-key";

export interface ControlPlaneProps {
  spec: ClusterSpec;
  /** Where EKS puts the control-plane network interfaces: at least two AZs. */
  subnetIds: string[];
  role: ClusterRole;
  secretsKey: SecretsEncryptionKey;
}

/** The EKS control plane and the log group it writes to. */
export class ControlPlane extends Construct {
  readonly cluster: EksCluster;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ControlPlaneProps) {
    super(scope, id);
    const { spec, role, secretsKey } = props;
    // Created before the cluster, so EKS writes into a group with our retention instead of creating
    // one that keeps logs forever.
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/eks/${spec.name}/cluster`,
      retentionInDays: spec.logging.retentionDays,
    });
    this.cluster = new EksCluster(this, "cluster", {
      name: spec.name,
      version: spec.version,
      roleArn: role.serviceRole.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: spec.endpoint.publicAccess,
        publicAccessCidrs: spec.endpoint.publicAccess ? spec.endpoint.publicAccessCidrs : undefined,
      },
      // Fixed for the life of the cluster: Services get their cluster IPs from this range.
      kubernetesNetworkConfig: { serviceIpv4Cidr: spec.serviceCidr, ipFamily: "ipv4" },
      enabledClusterLogTypes: spec.logging.types,
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.key.arn } },
      // Access entries only, no aws-auth ConfigMap; admins are granted explicitly (ClusterAdmins).
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      // No unmanaged aws-node, kube-proxy or CoreDNS: the cni stack installs them as managed add-ons,
      // configured before any node starts.
      bootstrapSelfManagedAddons: false,
      deletionProtection: spec.deletionProtection,
      dependsOn: [this.logGroup, ...role.serviceRole.attachments, role.keyPolicy],
    });
  }

  get certificateAuthorityData(): string {
    return this.cluster.certificateAuthority.get(0).data;
  }

  get oidcIssuer(): string {
    return this.cluster.identity.get(0).oidc.get(0).issuer;
  }
}
