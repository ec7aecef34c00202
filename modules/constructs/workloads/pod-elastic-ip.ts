import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Construct } from "constructs";
import { POD_TAG, PUBLIC_IP_WORKLOAD_TAG } from "../../plan/labels";
import { ForgottenResource } from "../terraform/forgotten-resource";

export interface PodElasticIpProps {
  /** The pod that holds the address, which is also the address's name. */
  readonly podName: string;
  readonly namespace: string;
  /** The public-IP workload (StatefulSet) the pod belongs to. */
  readonly workload: string;
}

/**
 * One public Elastic IP for one pod, by the pod's stable name, kept by prevent_destroy. The pod's
 * own sidecar finds it by its tags and associates it (k8s/eip-associator.sh): nothing here reads the
 * pod, so a missing, Pending or restarting pod never fails a deploy and a change of the workload never
 * touches the address. Construct path `eip-<namespace>-<pod>/eip`, the path the address has had since
 * it was first deployed: its Terraform address must not change.
 */
export class PodElasticIp extends Construct {
  /** namespace/name of the pod. */
  readonly podKey: string;
  readonly publicIp: string;

  constructor(scope: Construct, id: string, props: PodElasticIpProps) {
    super(scope, id);
    this.podKey = `${props.namespace}/${props.podName}`;
    const eip = new Eip(this, "eip", {
      domain: "vpc",
      tags: {
        Name: props.podName,
        [POD_TAG]: this.podKey,
        [PUBLIC_IP_WORKLOAD_TAG]: `${props.namespace}/${props.workload}`,
      },
      // Only a release (the address's block leaving the configuration) lets it go.
      lifecycle: { preventDestroy: true },
    });
    // Until this version, Terraform associated the address with the pod's address it read at plan
    // time (aws_eip_association). The sidecar does it now; the old association is forgotten rather
    // than destroyed, which would disassociate the address while pods still use it.
    new ForgottenResource(this, "association", { resourceType: "aws_eip_association" });
    this.publicIp = eip.publicIp;
  }
}
