/**
 * Our own copies of the CustomResourceDefinitions Multus and whereabouts need, installed in a release
 * of their own before anything that uses them. Copied as data from:
 * - NetworkAttachmentDefinition: aws/amazon-vpc-cni-k8s config/multus/v4.1.4-eksbuild.3/multus-daemonset-thick.yml
 *   (the network plumbing working group's definition, as AWS ships it for EKS), descriptions shortened;
 * - IPPool, NodeSlicePool and OverlappingRangeIPReservation: k8snetworkplumbingwg/whereabouts v0.9.4
 *   doc/crds/whereabouts.cni.cncf.io_*.yaml (controller-gen v0.14.0), unchanged, for the whereabouts
 *   release we pin (WHEREABOUTS_VERSION).
 *
 * Every CRD carries `helm.sh/resource-policy: keep`: an uninstall (`cdktf destroy cni`, or a failed
 * install that --atomic rolls back) leaves it, and with it every NetworkAttachmentDefinition and
 * every IPPool (the addresses running pods hold). The release takes ownership of CRDs that already
 * exist (helm_release take_ownership, Helm 3.17+), so a cluster that already has the NAD CRD (AWS's
 * manifest applied with kubectl, or a kept copy) installs instead of failing.
 */
import type { ICustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import type { IJSONSchemaProps } from "kubernetes-models/apiextensions.k8s.io/v1/JSONSchemaProps";

export const NAD_GROUP = "k8s.cni.cncf.io";
export const WHEREABOUTS_GROUP = "whereabouts.cni.cncf.io";
/** Helm leaves an object with this annotation in place on uninstall and on upgrades that drop it. */
export const HELM_RESOURCE_POLICY = { "helm.sh/resource-policy": "keep" };

const MORE_INFO = "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md";

/** apiVersion, kind and metadata, as controller-gen v0.14 writes them. */
const typeMeta: Record<string, IJSONSchemaProps> = {
  apiVersion: {
    description: [
      "APIVersion defines the versioned schema of this representation of an object.",
      "Servers should convert recognized schemas to the latest internal value, and",
      "may reject unrecognized values.",
      `${MORE_INFO}#resources`,
    ].join("\n"),
    type: "string",
  },
  kind: {
    description: [
      "Kind is a string value representing the REST resource this object represents.",
      "Servers may infer this from the endpoint the client submits requests to.",
      "Cannot be updated.",
      "In CamelCase.",
      `${MORE_INFO}#types-kinds`,
    ].join("\n"),
    type: "string",
  },
  metadata: { type: "object" },
};

function crd(
  group: string,
  kind: string,
  plural: string,
  version: string,
  schema: IJSONSchemaProps,
  names: { shortNames?: string[]; listKind?: string; singular?: string },
  annotations: Record<string, string> = {},
): ICustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}`, annotations: { ...annotations, ...HELM_RESOURCE_POLICY } },
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
      apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this object." },
      kind: { type: "string", description: "Kind is a string value representing the REST resource." },
      metadata: { type: "object" },
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

/** whereabouts v0.9.4's CRDs say which controller-gen wrote them. */
const CONTROLLER_GEN = { "controller-gen.kubebuilder.io/version": "v0.14.0" };

export const IP_POOL_CRD = crd(
  WHEREABOUTS_GROUP,
  "IPPool",
  "ippools",
  "v1alpha1",
  {
    description: "IPPool is the Schema for the ippools API",
    properties: {
      ...typeMeta,
      spec: {
        description: "IPPoolSpec defines the desired state of IPPool",
        properties: {
          allocations: {
            additionalProperties: {
              description: "IPAllocation represents metadata about the pod/container owner of a specific IP",
              properties: { id: { type: "string" }, ifname: { type: "string" }, podref: { type: "string" } },
              required: ["id", "podref"],
              type: "object",
            },
            description: [
              "Allocations is the set of allocated IPs for the given range. Its` indices are a direct mapping to the",
              "IP with the same index/offset for the pool's range.",
            ].join("\n"),
            type: "object",
          },
          range: {
            description:
              "Range is a RFC 4632/4291-style string that represents an IP address and prefix length in CIDR notation",
            type: "string",
          },
        },
        required: ["allocations", "range"],
        type: "object",
      },
    },
    type: "object",
  },
  { listKind: "IPPoolList" },
  CONTROLLER_GEN,
);

/** Used only by whereabouts' node_slice_size ("fast IPAM"), which our networks do not set; v0.9.4's RBAC names it. */
export const NODE_SLICE_POOL_CRD = crd(
  WHEREABOUTS_GROUP,
  "NodeSlicePool",
  "nodeslicepools",
  "v1alpha1",
  {
    description: "NodeSlicePool is the Schema for the nodesliceippools API",
    properties: {
      ...typeMeta,
      spec: {
        description: "NodeSlicePoolSpec defines the desired state of NodeSlicePool",
        properties: {
          range: {
            description: [
              "Range is a RFC 4632/4291-style string that represents an IP address and prefix length in CIDR notation",
              "this refers to the entire range where the node is allocated a subset",
            ].join("\n"),
            type: "string",
          },
          sliceSize: {
            description: "SliceSize is the size of subnets or slices of the range that each node will be assigned",
            type: "string",
          },
        },
        required: ["range", "sliceSize"],
        type: "object",
      },
      status: {
        description: "NodeSlicePoolStatus defines the desired state of NodeSlicePool",
        properties: {
          allocations: {
            description: "Allocations holds the allocations of nodes to slices",
            items: {
              properties: {
                nodeName: {
                  description:
                    "NodeName is the name of the node assigned to this slice, empty node name is an available slice for assignment",
                  type: "string",
                },
                sliceRange: { description: "SliceRange is the subnet of this slice", type: "string" },
              },
              required: ["nodeName", "sliceRange"],
              type: "object",
            },
            type: "array",
          },
        },
        required: ["allocations"],
        type: "object",
      },
    },
    type: "object",
  },
  { listKind: "NodeSlicePoolList" },
  CONTROLLER_GEN,
);

export const OVERLAPPING_RANGE_IP_RESERVATION_CRD = crd(
  WHEREABOUTS_GROUP,
  "OverlappingRangeIPReservation",
  "overlappingrangeipreservations",
  "v1alpha1",
  {
    description: "OverlappingRangeIPReservation is the Schema for the OverlappingRangeIPReservations API",
    properties: {
      ...typeMeta,
      spec: {
        description: "OverlappingRangeIPReservationSpec defines the desired state of OverlappingRangeIPReservation",
        properties: { containerid: { type: "string" }, ifname: { type: "string" }, podref: { type: "string" } },
        required: ["podref"],
        type: "object",
      },
    },
    required: ["spec"],
    type: "object",
  },
  { listKind: "OverlappingRangeIPReservationList" },
  CONTROLLER_GEN,
);

export const MULTUS_CRDS: ICustomResourceDefinition[] = [
  NETWORK_ATTACHMENT_DEFINITION_CRD,
  IP_POOL_CRD,
  NODE_SLICE_POOL_CRD,
  OVERLAPPING_RANGE_IP_RESERVATION_CRD,
];
