/**
 * The example Multus workload: per AZ, a Deployment whose pods get their VPC address on eth0 (the
 * VPC CNI) and one more interface per listed Multus network (net1, net2, ...), from the AZ's
 * NetworkAttachmentDefinitions. The pods run only on Multus nodes that carry every interface their
 * networks need, and start their app only once the ip-assigner sidecar has assigned the Multus
 * addresses to the nodes' ENIs.
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { MultusPodsSpec } from "../../environment/schema";
import type { KubernetesObject } from "../kubernetes-object";
import { CONTAINER_SECURITY } from "../container-security";
import {
  ipAssignerConfigMap,
  ipAssignerServiceAccount,
  ipAssignerSidecar,
  ipAssignerVolumes,
  NETWORKS_ANNOTATION,
  type MultusEniRef,
} from "./ip-assigner";
import { NODEGROUP_LABEL, ZONE_LABEL } from "../../plan/labels";
import type { MultusPodsPlacement } from "../../plan/placement";
import { attachmentName, ipAssignerName, multusDeploymentName } from "../../plan/names";

export interface MultusPodsObjectsProps {
  spec: MultusPodsSpec;
  placement: MultusPodsPlacement;
  region: string;
  sidecarImage: string;
  /** IAM role of the sidecar (IRSA). */
  roleArn: string;
  /** Every Multus ENI of the cluster. */
  enis: MultusEniRef[];
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
            // namespace/name of each AZ's attachment, in the spec's order: net1, net2, ...
            annotations: {
              [NETWORKS_ANNOTATION]: placement.networks
                .map((n) => `${n.namespace}/${attachmentName(n.name, az)}`)
                .join(","),
            },
          },
          spec: {
            serviceAccountName: ipAssignerName(spec.name),
            nodeSelector: { [ZONE_LABEL]: az },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: NODEGROUP_LABEL, operator: "In", values: placement.nodeGroups }] },
                  ],
                },
              },
            },
            initContainers: [
              ipAssignerSidecar({
                workload: spec.name,
                image: props.sidecarImage,
                region: props.region,
                interfaces: placement.networks.length,
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
  return [
    ipAssignerServiceAccount(spec.name, spec.namespace, props.roleArn),
    ipAssignerConfigMap(spec.name, spec.namespace, props.enis),
    ...deployments,
  ];
}
