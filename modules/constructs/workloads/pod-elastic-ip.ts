import { DataAwsNetworkInterface } from "@cdktf/provider-aws/lib/data-aws-network-interface";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import { DataKubernetesResource } from "@cdktf/provider-kubernetes/lib/data-kubernetes-resource";
import { Fn, Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { POD_TAG } from "../../plan/labels";

export interface PodElasticIpProps {
  readonly podName: string;
  readonly namespace: string;
  readonly vpcId: string;
  /** Terraform prevent_destroy on the address, so it is never released by accident. */
  readonly keepAddress: boolean;
  /** The workload that runs the pod: the pod is read only once it has rolled out. */
  readonly workload: ITerraformDependable;
}

/**
 * One public Elastic IP for one pod, by the pod's stable name. On every run the pod is read for its
 * current address, the interface holding that address (as a secondary private IP) is looked up, and
 * the Elastic IP is associated with that interface and address, taking it over from any earlier one.
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
      tags: { Name: props.podName, [POD_TAG]: this.podKey },
      lifecycle: props.keepAddress ? { preventDestroy: true } : undefined,
    });
    // kubernetes_pod_v1 exposes neither the pod IP nor the host IP; the generic reader returns the object.
    const pod = new DataKubernetesResource(this, "pod", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: props.podName, namespace: props.namespace },
      dependsOn: [props.workload],
    });
    const podIp = Token.asString(Fn.lookupNested(pod.object, ["status", "podIP"]));
    const networkInterface = new DataAwsNetworkInterface(this, "interface", {
      filter: [
        { name: "vpc-id", values: [props.vpcId] },
        { name: "addresses.private-ip-address", values: [podIp] },
      ],
    });
    new EipAssociation(this, "association", {
      allocationId: eip.allocationId,
      networkInterfaceId: networkInterface.id,
      privateIpAddress: podIp,
      allowReassociation: true,
    });
    this.publicIp = eip.publicIp;
  }
}
