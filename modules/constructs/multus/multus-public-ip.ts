import { Eip } from "@cdktf/provider-aws/lib/eip";
import { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import { Construct } from "constructs";
import { MULTUS_NETWORK_LABEL, POD_TAG } from "../../plan/labels";

export interface MultusPublicIpProps {
  /** namespace/name of the pod. */
  readonly podKey: string;
  readonly network: string;
  /** Name tag of the address (plan/names.ts multusPublicIpName). */
  readonly name: string;
  /** The slot's ENI of the network's interface, and its fixed address (its primary). */
  readonly networkInterfaceId: string;
  readonly privateAddress: string;
  /** Terraform prevent_destroy on the address, so it is never released by accident. */
  readonly keepAddress: boolean;
}

/**
 * The Elastic IP a pod holds on a public Multus network, associated with the fixed address of the
 * pod's node slot on that network's ENI. Both are known before any pod exists (the address is the
 * plan's, the ENI Terraform's), so nothing here reads the cluster: a missing, Pending or restarting
 * pod changes nothing, and neither does a change of the workload's release.
 */
export class MultusPublicIp extends Construct {
  readonly publicIp: string;

  constructor(scope: Construct, id: string, props: MultusPublicIpProps) {
    super(scope, id);
    const eip = new Eip(this, "eip", {
      domain: "vpc",
      tags: { Name: props.name, [POD_TAG]: props.podKey, [MULTUS_NETWORK_LABEL]: props.network },
      lifecycle: props.keepAddress ? { preventDestroy: true } : undefined,
    });
    new EipAssociation(this, "association", {
      allocationId: eip.allocationId,
      networkInterfaceId: props.networkInterfaceId,
      privateIpAddress: props.privateAddress,
    });
    this.publicIp = eip.publicIp;
  }
}
