import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { MultusPodsSpec } from "../../environment/schema";
import type { AwsManagedPolicies } from "../iam/aws-managed-policy";
import type { PodCredentials } from "../iam/pod-role";
import { ManifestsRelease } from "../kubernetes/manifests-release";
import type { MultusEniRef } from "../../k8s/multus/ip-assigner";
import { ipAssignerName, ipAssignerRoleName } from "../../plan/names";
import { IpAssignerRole } from "./ip-assigner-role";
import { MultusPublicIp } from "./multus-public-ip";
import { multusPodsObjects } from "../../k8s/multus/multus-pods";
import type { MultusRange } from "../../plan/multus-ranges";
import { isPublicNetwork, type MultusPublicPod } from "../../plan/multus-public";
import type { MultusPodsPlacement } from "../../plan/placement";
import type { PodPublicIp } from "../workloads/pod-public-ips";
import { podCredentialsMode } from "../../plan/pod-credentials";

export interface MultusWorkloadProps {
  readonly spec: MultusPodsSpec;
  readonly placement: MultusPodsPlacement;
  /** Every Multus network's range per AZ. */
  readonly ranges: readonly MultusRange[];
  readonly clusterName: string;
  readonly region: string;
  readonly sidecarImage: string;
  /** How the sidecar's role is assumed (IRSA or Pod Identity). */
  readonly credentials: PodCredentials;
  /** Every Multus ENI the nodes stack made (a node added since finds its own through EC2). */
  readonly enis: readonly MultusEniRef[];
  readonly policies: AwsManagedPolicies;
  /** The workload's pods on public networks, one per node slot. Default: none (a Deployment per AZ). */
  readonly publicPods?: readonly MultusPublicPod[];
  /** The id of a node slot's Multus interface (nodes stack); needed with publicPods. Default: none. */
  readonly interfaceIdFor?: (slot: string, deviceIndex: number) => string;
  /** What the pods must come after besides their role (SecurityGroupPolicy objects). Default: nothing. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A Multus workload: its pods' sidecar role (IRSA or Pod Identity) when they have whereabouts
 * addresses to assign in EC2, the release with the pods, started once the role can be assumed, and,
 * on public networks, an Elastic IP per pod and network.
 */
export class MultusWorkload extends Construct {
  /** Every (pod, public network, Elastic IP) of the workload. */
  readonly publicIps: PodPublicIp[] = [];

  constructor(scope: Construct, id: string, props: MultusWorkloadProps) {
    super(scope, id);
    const { spec } = props;
    const publicPods = props.publicPods ?? [];
    // Fixed addresses are the ENIs' own: only whereabouts addresses need EC2 rights.
    const role = props.placement.networks.some((n) => !isPublicNetwork(n))
      ? new IpAssignerRole(this, "ip-assigner", {
          name: ipAssignerRoleName(props.clusterName, spec.name),
          clusterName: props.clusterName,
          region: props.region,
          namespace: spec.namespace,
          serviceAccount: ipAssignerName(spec.name),
          credentials: props.credentials,
          policies: props.policies,
        })
      : undefined;
    new ManifestsRelease(this, "pods", {
      name: spec.name,
      namespace: spec.namespace,
      objects: multusPodsObjects({
        spec,
        placement: props.placement,
        ranges: props.ranges,
        region: props.region,
        clusterName: props.clusterName,
        sidecarImage: props.sidecarImage,
        serviceAccountAnnotations: role?.serviceAccountAnnotations ?? {},
        credentialsMode: role ? podCredentialsMode(props.credentials) : undefined,
        enis: [...props.enis],
        publicPods,
      }),
      // The pod identity webhook gives a pod credentials only if its association exists when the
      // pod is created; with IRSA the role's permissions, before the sidecar's first call.
      dependsOn: [...(role?.dependables ?? []), ...(props.dependsOn ?? [])],
    });
    for (const pod of publicPods) {
      // A released Elastic IP has no block: the next deploy releases it (the pod keeps its address).
      for (const { slotAddress, publicIpName } of pod.addresses.filter((a) => !a.released)) {
        const network = slotAddress.network;
        const address = new MultusPublicIp(this, `public-ip-${pod.podName}-${network.name}`, {
          podKey: pod.podKey,
          network: network.name,
          name: publicIpName,
          networkInterfaceId: props.interfaceIdFor!(pod.slot.name, slotAddress.interfaceIndex),
          privateAddress: slotAddress.address,
        });
        this.publicIps.push({ pod: pod.podKey, network: network.name, publicIp: address.publicIp });
      }
    }
  }
}
