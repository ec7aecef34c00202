import { Construct } from "constructs";
import type { MultusSpec } from "../../environment/schema";
import { ManifestsRelease } from "../kubernetes/manifests-release";
import { MULTUS_CRDS } from "../../k8s/multus/crds";
import { multusImage, whereaboutsImage } from "../../plan/images";
import { MULTUS_NAMESPACE, multusObjects } from "../../k8s/multus/multus-daemonset";
import { networkAttachmentDefinition } from "../../k8s/multus/network-attachments";
import type { MultusRange } from "../../plan/multus-ranges";
import { MULTUS_RELEASES, multusNetworksRelease } from "../../plan/names";
import { whereaboutsObjects } from "../../k8s/multus/whereabouts";

export interface MultusInstallationProps {
  readonly spec: MultusSpec;
  readonly region: string;
  readonly ranges: readonly MultusRange[];
}

/**
 * Multus, whereabouts and the networks, in helm releases ordered so that a fresh cluster gets them in
 * one run: the CRDs first, then (each waiting for the CRDs) the Multus and whereabouts DaemonSets and
 * the NetworkAttachmentDefinitions, one release per namespace that holds networks.
 */
export class MultusInstallation extends Construct {
  constructor(scope: Construct, id: string, props: MultusInstallationProps) {
    super(scope, id);
    const { spec } = props;
    const crds = new ManifestsRelease(this, "crds", {
      name: MULTUS_RELEASES.crds,
      namespace: MULTUS_NAMESPACE,
      objects: MULTUS_CRDS,
    });
    const afterCrds = [crds.dependable];
    new ManifestsRelease(this, "multus", {
      name: MULTUS_RELEASES.multus,
      namespace: MULTUS_NAMESPACE,
      objects: multusObjects(multusImage(props.region, spec.version)),
      dependsOn: afterCrds,
    });
    new ManifestsRelease(this, "whereabouts", {
      name: MULTUS_RELEASES.whereabouts,
      namespace: MULTUS_NAMESPACE,
      objects: whereaboutsObjects(whereaboutsImage(spec.whereaboutsVersion)),
      dependsOn: afterCrds,
    });
    const namespaces = [...new Set(props.ranges.map((r) => r.network.namespace))];
    for (const namespace of namespaces) {
      new ManifestsRelease(this, `networks-${namespace}`, {
        name: multusNetworksRelease(namespace),
        namespace,
        objects: props.ranges.filter((r) => r.network.namespace === namespace).map(networkAttachmentDefinition),
        dependsOn: afterCrds,
      });
    }
  }
}
