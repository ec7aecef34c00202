/**
 * The example Multus workload: per AZ, a Deployment whose pods get their VPC address on eth0 (the
 * VPC CNI) and one more interface per listed Multus network (net1, net2, ...), from the AZ's
 * NetworkAttachmentDefinitions. The pods run only on Multus nodes that carry every interface their
 * networks need, and only once Multus is ready there (they do not tolerate the multus-not-ready
 * taint), and start their app only once the ip-assigner sidecar has found the interfaces in the
 * pod's network namespace and assigned their addresses to the nodes' ENIs.
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { MultusPodsSpec } from "../../environment/schema";
import type { KubernetesObject } from "../kubernetes-object";
import { CONTAINER_SECURITY } from "../container-security";
import {
  APP_STOP_SECONDS,
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
import { NODE_GROUP_LABEL, SKIP_CONTAINERS_ANNOTATION, ZONE_LABEL } from "../../plan/labels";
import type { MultusRange } from "../../plan/multus-ranges";
import type { MultusPodsPlacement } from "../../plan/placement";
import { attachmentName, ipAssignerName, multusDeploymentName } from "../../plan/names";

export interface MultusPodsObjectsProps {
  spec: MultusPodsSpec;
  placement: MultusPodsPlacement;
  /** Every network's range per AZ (plan/multus-ranges.ts). */
  ranges: readonly MultusRange[];
  region: string;
  clusterName: string;
  sidecarImage: string;
  /** IAM role of the sidecar (IRSA). */
  roleArn: string;
  /** Every Multus ENI the nodes stack made. */
  enis: MultusEniRef[];
}

/** A pod's interfaces in one AZ: net<i> for the i-th network, with that network's range there. */
export function podInterfaces(
  placement: MultusPodsPlacement,
  ranges: readonly MultusRange[],
  az: string,
): PodInterface[] {
  return placement.networks.flatMap((network, i) => {
    const range = ranges.find((r) => r.network.name === network.name && r.az === az);
    if (!range) return [];
    return [
      {
        name: `net${i + 1}`,
        rangeStart: range.rangeStart,
        rangeEnd: range.rangeEnd,
        pool: whereaboutsPoolName(range.subnetCidr),
        poolBase: range.subnetCidr.split("/")[0],
      },
    ];
  });
}

export function multusPodsObjects(props: MultusPodsObjectsProps): KubernetesObject[] {
  const { spec, placement } = props;
  const deployments = placement.zones.map((az): IDeployment => {
    const labels = { app: spec.name, [ZONE_LABEL]: az };
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: multusDeploymentName(spec.name, az), namespace: spec.namespace, labels },
      spec: {
        replicas: spec.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            annotations: {
              // namespace/name of each AZ's attachment, in the spec's order: net1, net2, ...
              [NETWORKS_ANNOTATION]: placement.networks
                .map((n) => `${n.namespace}/${attachmentName(n.name, az)}`)
                .join(","),
              // IRSA injects the sidecar's AWS credentials into every container but these.
              [SKIP_CONTAINERS_ANNOTATION]: spec.name,
            },
          },
          spec: {
            serviceAccountName: ipAssignerName(spec.name),
            // Only the sidecar mounts a token (ipAssignerVolumes).
            automountServiceAccountToken: false,
            // The app stops first (it must within APP_STOP_SECONDS), then the sidecar releases the addresses.
            terminationGracePeriodSeconds: APP_STOP_SECONDS + IP_ASSIGNER_STOP_SECONDS,
            nodeSelector: { [ZONE_LABEL]: az },
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
                interfaces: podInterfaces(placement, props.ranges, az),
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
        },
      },
    };
  });
  const pools = [
    ...new Set(placement.zones.flatMap((az) => podInterfaces(placement, props.ranges, az).map((i) => i.pool))),
  ];
  return [
    ipAssignerServiceAccount(spec.name, spec.namespace, props.roleArn),
    ipAssignerConfigMap(spec.name, spec.namespace, props.enis),
    ...ipAssignerAccess(spec.name, spec.namespace, pools),
    ...deployments,
  ];
}
