import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

export interface SecretsEncryptionKeyProps {
  readonly clusterName: string;
  /** alias/... (plan/names.ts). */
  readonly alias: string;
}

/**
 * The customer managed KMS key EKS encrypts Kubernetes Secrets with (envelope encryption), rotated
 * yearly. The default key policy (the account administers the key) applies; the cluster role gets
 * use of this one key through its own policy.
 */
export class SecretsEncryptionKey extends Construct {
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: SecretsEncryptionKeyProps) {
    super(scope, id);
    const key = new KmsKey(this, "key", {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, "alias", { name: props.alias, targetKeyId: key.keyId });
    this.keyArn = key.arn;
  }
}
