import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

export interface ClusterOidcProviderProps {
  /** The cluster's OIDC issuer URL. */
  readonly issuerUrl: string;
}

/**
 * The cluster's OIDC issuer as an IAM identity provider, so Kubernetes service accounts can assume
 * IAM roles (IRSA). AWS provider 6 needs no thumbprint: IAM trusts the issuer's CA itself. Both
 * attributes force replacement, and a replaced provider gets the same ARN (it is the issuer's URL).
 */
export class ClusterOidcProvider extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ClusterOidcProviderProps) {
    super(scope, id);
    this.arn = new IamOpenidConnectProvider(this, "provider", {
      url: props.issuerUrl,
      clientIdList: ["sts.amazonaws.com"],
    }).arn;
  }
}
