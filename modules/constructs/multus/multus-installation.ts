import { Construct } from "constructs";
import type { MultusSpec } from "../../environment/schema";
import { ManifestsRelease } from "../kubernetes/manifests-release";
import { MULTUS_CRDS } from "../../k8s/multus/crds";
import { awsCliImage, multusImage, whereaboutsImage } from "../../plan/images";
import { MULTUS_NAMESPACE, multusObjects } from "../../k8s/multus/multus-daemonset";
import { networkAttachmentDefinition, publicAttachmentDefinition } from "../../k8s/multus/network-attachments";
import { nodeReadinessObjects } from "../../k8s/multus/node-readiness";
import type { MultusRange } from "../../plan/multus-ranges";
import { isPublicNetwork, type MultusSlotAddress } from "../../plan/multus-public";
import { MULTUS_RELEASES, multusNetworksRelease } from "../../plan/names";
import { whereaboutsObjects } from "../../k8s/multus/whereabouts";

export interface MultusInstallationProps {
  readonly spec: MultusSpec;
  readonly region: string;
  readonly ranges: readonly MultusRange[];
  /** Public networks' fixed addresses, one NetworkAttachmentDefinition each. Default: none. */
  readonly slotAddresses?: readonly MultusSlotAddress[];
}

/**
 * Multus, whereabouts and the networks, in helm releases ordered so that a fresh cluster gets them in
 * one run: the CRDs first, then (each waiting for the CRDs) Multus with the component that keeps each
 * Multus node tainted until Multus is ready there (multus-node-readiness), whereabouts (when a
 * network takes its addresses from it), and the NetworkAttachmentDefinitions, one release per
 * namespace that holds networks: per AZ for whereabouts networks, per node slot for public ones.
 *
 * The CRDs' release keeps them on uninstall (helm.sh/resource-policy: keep, crds.ts) and adopts
 * CRDs that already exist (take_ownership), so a cluster that has them installs, and a reinstall
 * after `cdktf destroy cni` finds every NetworkAttachmentDefinition and IPPool still there.
 */
export class MultusInstallation extends Construct {
  constructor(scope: Construct, id: string, props: MultusInstallationProps) {
    super(scope, id);
    const { spec } = props;
    const crds = new ManifestsRelease(this, "crds", {
      name: MULTUS_RELEASES.crds,
      namespace: MULTUS_NAMESPACE,
      objects: MULTUS_CRDS,
      takeOwnership: true,
    });
    const afterCrds = [crds.dependable];
    new ManifestsRelease(this, "multus", {
      name: MULTUS_RELEASES.multus,
      namespace: MULTUS_NAMESPACE,
      objects: [
        ...multusObjects(multusImage(props.region, spec.version)),
        ...nodeReadinessObjects(awsCliImage(spec.awsCliVersion)),
      ],
      dependsOn: afterCrds,
    });
    const allocated = props.ranges.filter((r) => !isPublicNetwork(r.network));
    // Public networks' addresses are fixed: without another network, nothing needs whereabouts.
    if (spec.networks.some((n) => !isPublicNetwork(n))) {
      new ManifestsRelease(this, "whereabouts", {
        name: MULTUS_RELEASES.whereabouts,
        namespace: MULTUS_NAMESPACE,
        objects: whereaboutsObjects(whereaboutsImage(spec.whereaboutsVersion)),
        // The reconciler Deployment needs a node, and this stack runs before any exists: waiting for
        // it would fail the first deploy. It starts with the first node.
        wait: false,
        dependsOn: afterCrds,
      });
    }
    const fixed = props.slotAddresses ?? [];
    const namespaces = [...new Set(props.ranges.map((r) => r.network.namespace))];
    for (const namespace of namespaces) {
      new ManifestsRelease(this, `networks-${namespace}`, {
        name: multusNetworksRelease(namespace),
        namespace,
        objects: [
          ...allocated.filter((r) => r.network.namespace === namespace).map(networkAttachmentDefinition),
          ...fixed.filter((a) => a.network.namespace === namespace).map(publicAttachmentDefinition),
        ],
        dependsOn: afterCrds,
      });
    }
  }
}
