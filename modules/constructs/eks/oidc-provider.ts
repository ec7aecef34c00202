import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

/**
 * The cluster's OIDC issuer as an IAM identity provider, so Kubernetes service accounts can assume
 * IAM roles (IRSA). AWS provider 6 needs no thumbprint: IAM trusts the issuer's CA itself.
 */
export class ClusterOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: { issuerUrl: string }) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, "provider", { url: props.issuerUrl, clientIdList: ["sts.amazonaws.com"] });
  }
}
