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
}

/**
 * The Elastic IP a pod holds on a public Multus network, associated with the fixed address of the
 * pod's node slot on that network's ENI. Both are known before any pod exists (the address is the
 * plan's, the ENI Terraform's), so nothing here reads the cluster: a missing, Pending or restarting
 * pod changes nothing, and neither does a change of the workload's release.
 *
 * The address is under prevent_destroy, always: a plan that would drop its block without the
 * network's public.release naming it is refused against the address lock
 * (checks/multus-public-addresses.ts), and a released address has no block at all, so the next deploy
 * releases it. The association has none: it belongs to its slot's ENI and goes with it.
 */
export class MultusPublicIp extends Construct {
  readonly publicIp: string;

  constructor(scope: Construct, id: string, props: MultusPublicIpProps) {
    super(scope, id);
    const eip = new Eip(this, "eip", {
      domain: "vpc",
      tags: { Name: props.name, [POD_TAG]: props.podKey, [MULTUS_NETWORK_LABEL]: props.network },
      // Only a release (the block leaving the configuration, public.release) lets it go.
      lifecycle: { preventDestroy: true },
    });
    new EipAssociation(this, "association", {
      allocationId: eip.allocationId,
      networkInterfaceId: props.networkInterfaceId,
      privateIpAddress: props.privateAddress,
    });
    this.publicIp = eip.publicIp;
  }
}
