import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

/**
 * The customer managed KMS key EKS encrypts Kubernetes Secrets with (envelope encryption), rotated
 * yearly. The default key policy (the account administers the key) applies; the cluster role gets
 * use of this one key through its own policy.
 */
export class SecretsEncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: { clusterName: string }) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "alias", { name: `alias/eks/${props.clusterName}`, targetKeyId: this.key.keyId });
  }
}
