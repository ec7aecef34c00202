/**
 * Our own copies of the CustomResourceDefinitions Multus and whereabouts need, installed in a release
 * of their own before anything that uses them. Copied as data from:
 * - NetworkAttachmentDefinition: aws/amazon-vpc-cni-k8s config/multus/v4.1.4-eksbuild.3/multus-daemonset-thick.yml
 *   (the network plumbing working group's definition, as AWS ships it for EKS);
 * - IPPool and OverlappingRangeIPReservation: k8snetworkplumbingwg/whereabouts doc/crds (v0.8 schema,
 *   controller-gen v0.14), descriptions shortened.
 */
import type { ICustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import type { IJSONSchemaProps } from "kubernetes-models/apiextensions.k8s.io/v1/JSONSchemaProps";

export const NAD_GROUP = "k8s.cni.cncf.io";
export const WHEREABOUTS_GROUP = "whereabouts.cni.cncf.io";

/** apiVersion, kind and metadata, as every object schema starts. */
const typeMeta: Record<string, IJSONSchemaProps> = {
  apiVersion: {
    type: "string",
    description: "APIVersion defines the versioned schema of this representation of an object.",
  },
  kind: {
    type: "string",
    description: "Kind is a string value representing the REST resource this object represents.",
  },
  metadata: { type: "object" },
};

function crd(
  group: string,
  kind: string,
  plural: string,
  version: string,
  schema: IJSONSchemaProps,
  names: { shortNames?: string[]; listKind?: string },
): ICustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural, singular: plural.replace(/s$/, ""), kind, ...names },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

export const NETWORK_ATTACHMENT_DEFINITION_CRD = crd(
  NAD_GROUP,
  "NetworkAttachmentDefinition",
  "network-attachment-definitions",
  "v1",
  {
    description:
      "NetworkAttachmentDefinition is a CRD schema specified by the Network Plumbing Working Group to express the intent for attaching pods to one or more logical or physical networks. More information available at: https://github.com/k8snetworkplumbingwg/multi-net-spec",
    type: "object",
    properties: {
      ...typeMeta,
      spec: {
        description: "NetworkAttachmentDefinition spec defines the desired state of a network attachment",
        type: "object",
        properties: {
          config: {
            description: "NetworkAttachmentDefinition config is a JSON-formatted CNI configuration",
            type: "string",
          },
        },
      },
    },
  },
  { shortNames: ["net-attach-def"] },
);

export const IP_POOL_CRD = crd(
  WHEREABOUTS_GROUP,
  "IPPool",
  "ippools",
  "v1alpha1",
  {
    description: "IPPool is the Schema for the ippools API",
    type: "object",
    properties: {
      ...typeMeta,
      spec: {
        description: "IPPoolSpec defines the desired state of IPPool",
        type: "object",
        properties: {
          allocations: {
            description:
              "Allocations is the set of allocated IPs for the given range. Its indices are a direct mapping to the IP with the same index/offset for the pool's range.",
            type: "object",
            additionalProperties: {
              description: "IPAllocation represents metadata about the pod/container owner of a specific IP",
              type: "object",
              properties: { id: { type: "string" }, ifname: { type: "string" }, podref: { type: "string" } },
              required: ["id", "podref"],
            },
          },
          range: {
            description:
              "Range is a RFC 4632/4291-style string that represents an IP address and prefix length in CIDR notation",
            type: "string",
          },
        },
        required: ["allocations", "range"],
      },
    },
  },
  { listKind: "IPPoolList" },
);

export const OVERLAPPING_RANGE_IP_RESERVATION_CRD = crd(
  WHEREABOUTS_GROUP,
  "OverlappingRangeIPReservation",
  "overlappingrangeipreservations",
  "v1alpha1",
  {
    description: "OverlappingRangeIPReservation is the Schema for the OverlappingRangeIPReservations API",
    type: "object",
    properties: {
      ...typeMeta,
      spec: {
        description: "OverlappingRangeIPReservationSpec defines the desired state of OverlappingRangeIPReservation",
        type: "object",
        properties: { containerid: { type: "string" }, ifname: { type: "string" }, podref: { type: "string" } },
        required: ["podref"],
      },
    },
    required: ["spec"],
  },
  { listKind: "OverlappingRangeIPReservationList" },
);

export const MULTUS_CRDS: ICustomResourceDefinition[] = [
  NETWORK_ATTACHMENT_DEFINITION_CRD,
  IP_POOL_CRD,
  OVERLAPPING_RANGE_IP_RESERVATION_CRD,
];
