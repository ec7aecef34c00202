/**
 * The example Multus workload: per AZ, a Deployment whose pods get their VPC address on eth0 (the
 * VPC CNI) and one more interface per listed Multus network (net1, net2, ...), from the AZ's
 * NetworkAttachmentDefinitions. The pods run only on Multus nodes that carry every interface their
 * networks need, and only once Multus is ready there (they do not tolerate the multus-not-ready
 * taint), and start their app only once the ip-assigner sidecar has found the interfaces in the
 * pod's network namespace and assigned their addresses to the nodes' ENIs.
 *
 * A workload on a public network runs one pod per node slot instead: a StatefulSet of one replica
 * per slot, pinned to the slot (its node-slot label), whose pod takes the slot's fixed addresses
 * (the slot's NetworkAttachmentDefinition of each public network). A StatefulSet, not a Deployment:
 * it never runs two pods of one name, so two pods never want the same address on the same ENI (ipvlan
 * would refuse the second, and a rolling Deployment makes the new pod before the old one is gone).
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { MultusPodsSpec } from "../../environment/schema";
import type { KubernetesObject } from "../kubernetes-object";
import { CONTAINER_SECURITY } from "../container-security";
import {
  APP_STOP_SECONDS,
  FIXED_ADDRESS_POOL,
  IP_ASSIGNER_STOP_SECONDS,
  ipAssignerAccess,
  ipAssignerConfigMap,
  ipAssignerServiceAccount,
  ipAssignerSidecar,
  ipAssignerVolumes,
  NETWORKS_ANNOTATION,
  type MultusEniRef,
  type PodInterface,
} from "./ip-assigner";
import { whereaboutsPoolName } from "./network-attachments";
import {
  AWS_CREDENTIALS_ANNOTATION,
  NODE_GROUP_LABEL,
  NODE_SLOT_LABEL,
  SKIP_CONTAINERS_ANNOTATION,
  ZONE_LABEL,
} from "../../plan/labels";
import type { MultusRange } from "../../plan/multus-ranges";
import { isPublicNetwork, type MultusPublicPod, type MultusSlotAddress } from "../../plan/multus-public";
import type { MultusPodsPlacement } from "../../plan/placement";
import { attachmentName, ipAssignerName, multusDeploymentName, publicAttachmentName } from "../../plan/names";

export interface MultusPodsObjectsProps {
  spec: MultusPodsSpec;
  placement: MultusPodsPlacement;
  /** Every network's range per AZ (plan/multus-ranges.ts). */
  ranges: readonly MultusRange[];
  region: string;
  clusterName: string;
  sidecarImage: string;
  /**
   * The sidecar's service account annotations: IRSA's role annotation; none under Pod Identity, or
   * when the pods have no whereabouts address to assign (no role).
   */
  serviceAccountAnnotations: Record<string, string>;
  /**
   * Where the sidecar's AWS credentials come from; a change rolls the pods onto the new way.
   * Absent when the pods get none (no role).
   */
  credentialsMode?: "irsa" | "pod-identity";
  /** Every Multus ENI the nodes stack made. */
  enis: MultusEniRef[];
  /** The workload's pods on public networks, one per slot (plan/multus-public.ts); empty for a Deployment per AZ. */
  publicPods: readonly MultusPublicPod[];
}

/**
 * A pod's interfaces in one AZ: net<i> for the i-th network, with that network's range there, or, on
 * a public network, the slot's fixed address (the pod's slot must then be given).
 */
export function podInterfaces(
  placement: MultusPodsPlacement,
  ranges: readonly MultusRange[],
  az: string,
  fixed: readonly MultusSlotAddress[] = [],
): PodInterface[] {
  return placement.networks.flatMap((network, i) => {
    const name = `net${i + 1}`;
    if (isPublicNetwork(network)) {
      const mine = fixed.find((a) => a.network.name === network.name);
      if (!mine) return [];
      return [
        {
          name,
          rangeStart: mine.address,
          rangeEnd: mine.address,
          pool: FIXED_ADDRESS_POOL,
          poolBase: FIXED_ADDRESS_POOL,
        },
      ];
    }
    const range = ranges.find((r) => r.network.name === network.name && r.az === az);
    if (!range) return [];
    return [
      {
        name,
        rangeStart: range.rangeStart,
        rangeEnd: range.rangeEnd,
        pool: whereaboutsPoolName(range.subnetCidr),
        poolBase: range.subnetCidr.split("/")[0],
      },
    ];
  });
}

/** The networks annotation: namespace/name of each attachment, in the spec's order (net1, net2, ...). */
function networksAnnotation(placement: MultusPodsPlacement, az: string, slot?: string): string {
  return placement.networks
    .map((n) =>
      isPublicNetwork(n) && slot !== undefined
        ? `${n.namespace}/${publicAttachmentName(n.name, slot)}`
        : `${n.namespace}/${attachmentName(n.name, az)}`,
    )
    .join(",");
}

function podTemplate(
  props: MultusPodsObjectsProps,
  labels: Record<string, string>,
  nodeSelector: Record<string, string>,
  annotation: string,
  interfaces: PodInterface[],
): IPodTemplateSpec {
  const { spec, placement } = props;
  return {
    metadata: {
      labels,
      annotations: {
        [NETWORKS_ANNOTATION]: annotation,
        // IRSA and Pod Identity inject the sidecar's AWS credentials into every container but these.
        [SKIP_CONTAINERS_ANNOTATION]: spec.name,
        // Credentials are injected when a pod is created: switching the way restarts the pods.
        ...(props.credentialsMode ? { [AWS_CREDENTIALS_ANNOTATION]: props.credentialsMode } : {}),
      },
    },
    spec: {
      serviceAccountName: ipAssignerName(spec.name),
      // Only the sidecar mounts a token (ipAssignerVolumes).
      automountServiceAccountToken: false,
      // The app stops first (it must within APP_STOP_SECONDS), then the sidecar releases the addresses.
      terminationGracePeriodSeconds: APP_STOP_SECONDS + IP_ASSIGNER_STOP_SECONDS,
      nodeSelector,
      // No tolerations: not on a Multus node whose Multus is not ready (multus-not-ready taint).
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: NODE_GROUP_LABEL, operator: "In", values: placement.nodeGroups }] },
            ],
          },
        },
      },
      initContainers: [
        ipAssignerSidecar({
          workload: spec.name,
          image: props.sidecarImage,
          region: props.region,
          clusterName: props.clusterName,
          interfaces,
        }),
      ],
      containers: [
        {
          name: spec.name,
          image: spec.image,
          ...(spec.command ? { command: spec.command } : {}),
          securityContext: CONTAINER_SECURITY,
        },
      ],
      volumes: ipAssignerVolumes(spec.name),
    },
  };
}

/** Per AZ, a Deployment of `replicas` pods on the AZ's networks (whereabouts addresses). */
function deployments(props: MultusPodsObjectsProps): IDeployment[] {
  const { spec, placement } = props;
  return placement.zones.map((az): IDeployment => {
    const labels = { app: spec.name, [ZONE_LABEL]: az };
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: multusDeploymentName(spec.name, az), namespace: spec.namespace, labels },
      spec: {
        replicas: spec.replicas,
        selector: { matchLabels: labels },
        template: podTemplate(
          props,
          labels,
          { [ZONE_LABEL]: az },
          networksAnnotation(placement, az),
          podInterfaces(placement, props.ranges, az),
        ),
      },
    };
  });
}

/** Per node slot, a StatefulSet of one pod pinned to the slot, which takes the slot's fixed addresses. */
function statefulSets(props: MultusPodsObjectsProps): IStatefulSet[] {
  const { spec, placement } = props;
  return props.publicPods.map((pod): IStatefulSet => {
    const { az, name: slot } = pod.slot;
    const labels = { app: spec.name, [ZONE_LABEL]: az, [NODE_SLOT_LABEL]: slot };
    const fixed = pod.addresses.map((a) => a.slotAddress);
    return {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: pod.statefulSet, namespace: spec.namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: podTemplate(
          props,
          labels,
          { [ZONE_LABEL]: az, [NODE_SLOT_LABEL]: slot },
          networksAnnotation(placement, az, slot),
          podInterfaces(placement, props.ranges, az, fixed),
        ),
      },
    };
  });
}

export function multusPodsObjects(props: MultusPodsObjectsProps): KubernetesObject[] {
  const { spec, placement } = props;
  const pools = [
    ...new Set(
      placement.zones.flatMap((az) =>
        podInterfaces(placement, props.ranges, az)
          .map((i) => i.pool)
          .filter((pool) => pool !== FIXED_ADDRESS_POOL),
      ),
    ),
  ];
  const pods = placement.networks.some(isPublicNetwork) ? statefulSets(props) : deployments(props);
  return [
    ipAssignerServiceAccount(spec.name, spec.namespace, props.serviceAccountAnnotations),
    ipAssignerConfigMap(spec.name, spec.namespace, props.enis),
    ...ipAssignerAccess(spec.name, spec.namespace, pools),
    ...pods,
  ];
}
