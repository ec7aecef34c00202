/**
 * The example Multus workload: per AZ, a Deployment whose pods get their VPC address on eth0 (the
 * VPC CNI) and one more interface per listed Multus network (net1, net2, ...), from the AZ's
 * NetworkAttachmentDefinitions. The pods run only on Multus nodes that carry every interface their
 * networks need, and start their app only once the ip-assigner sidecar has assigned the Multus
 * addresses to the nodes' ENIs.
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { Environment, MultusNetworkSpec, MultusPodsSpec } from "../../environment/schema";
import type { KubernetesObject } from "../../constructs/kubernetes/manifests-release";
import { CONTAINER_SECURITY } from "../container-security";
import { ipAssignerConfigMap, ipAssignerName, ipAssignerServiceAccount, ipAssignerSidecar, ipAssignerVolumes, NETWORKS_ANNOTATION, type MultusEniRef } from "./ip-assigner";
import { nodeSlots } from "../../plan/node-slots";
import { attachmentName } from "../../plan/multus-ranges";

const ZONE_LABEL = "topology.kubernetes.io/zone";

export interface MultusPodsPlacement {
  networks: MultusNetworkSpec[];
  /** Multus node groups with every interface the networks ride on. */
  nodeGroups: string[];
  /** AZs where every network has a range and such a group has nodes: one Deployment each. */
  zones: string[];
}

/** Where a multusPods entry can run; networks it names that do not exist are left out (the checks report them). */
export function multusPodsPlacement(env: Environment, spec: MultusPodsSpec): MultusPodsPlacement {
  const networks = spec.networks.flatMap((name) => env.multus?.networks.filter((n) => n.name === name) ?? []);
  const needed = Math.max(0, ...networks.map((n) => n.interfaceIndex));
  const nodeGroups = env.nodeGroups.filter((g) => g.multusInterfaces >= needed && g.multusInterfaces > 0).map((g) => g.name);
  const zonesWithNodes = new Set(nodeSlots(env).filter((s) => nodeGroups.includes(s.group.name)).map((s) => s.az));
  const zones = Object.keys(env.network.zones).filter((az) => zonesWithNodes.has(az) && networks.every((n) => Object.hasOwn(n.ranges, az)));
  return { networks, nodeGroups, zones };
}

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
      metadata: { name: `${spec.name}-${az}`, namespace: spec.namespace, labels },
      spec: {
        replicas: spec.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: {
            labels,
            // namespace/name of each AZ's attachment, in the spec's order: net1, net2, ...
            annotations: { [NETWORKS_ANNOTATION]: placement.networks.map((n) => `${n.namespace}/${attachmentName(n, az)}`).join(",") },
          },
          spec: {
            serviceAccountName: ipAssignerName(spec.name),
            nodeSelector: { [ZONE_LABEL]: az },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/nodegroup", operator: "In", values: placement.nodeGroups }] }],
                },
              },
            },
            initContainers: [ipAssignerSidecar({ workload: spec.name, image: props.sidecarImage, region: props.region, interfaces: placement.networks.length })],
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
  return [ipAssignerServiceAccount(spec.name, spec.namespace, props.roleArn), ipAssignerConfigMap(spec.name, spec.namespace, props.enis), ...deployments];
}
