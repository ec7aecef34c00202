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
   * exec (the environment's default): `aws eks get-token` on every call, so the longest apply keeps a
   * valid token and none is written to state; needs the AWS CLI where Terraform runs. token: a token
   * read once per run by aws_eks_cluster_auth in this stack (valid 15 minutes, stored in this stack's
   * state as every data source result is; never crosses stacks or reaches outputs).
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
