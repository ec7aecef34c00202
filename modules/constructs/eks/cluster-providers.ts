import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";

export interface ClusterConnection {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64, as EKS returns it. */
  readonly certificateAuthorityData: string;
  readonly region: string;
}

export interface ClusterProvidersProps extends ClusterConnection {
  /**
   * token: a token read at plan time by aws_eks_cluster_auth in this stack (valid 15 minutes, never
   * crosses stacks or reaches outputs). exec: `aws eks get-token` on every call, for long runs;
   * needs the AWS CLI where Terraform runs.
   */
  readonly auth: "token" | "exec";
}

/** The kubernetes and helm providers of a stack, pointed at the cluster. */
export class ClusterProviders extends Construct {
  constructor(scope: Construct, id: string, props: ClusterProvidersProps) {
    super(scope, id);
    const connection = { host: props.endpoint, clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData) };
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", props.clusterName, "--region", props.region, "--output", "json"],
    };
    const token =
      props.auth === "token" ? new DataAwsEksClusterAuth(this, "token", { name: props.clusterName }).token : undefined;
    new KubernetesProvider(this, "kubernetes", {
      ...connection,
      ...(token ? { token } : { exec: [exec] }),
    });
    new HelmProvider(this, "helm", {
      kubernetes: { ...connection, ...(token ? { token } : { exec }) },
    });
  }
}
