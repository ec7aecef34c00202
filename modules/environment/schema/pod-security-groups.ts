/** `cni.podSecurityGroups`: security groups for pods (branch ENIs) and the SecurityGroupPolicy objects that assign them. */
import { z } from "zod";
import { Cidr, KubeName } from "./primitives";

const Rule = z
  .strictObject({
    description: z.string().max(255).optional().meta({ description: "Shown on the rule in EC2." }),
    protocol: z.enum(["tcp", "udp", "all"]).default("tcp").meta({
      description: "tcp (default), udp, or all (every protocol and port; give no port then).",
    }),
    port: z.number().int().min(0).max(65535).optional().meta({
      description: "The port, or the first of a range ending at toPort. Required for tcp and udp.",
    }),
    toPort: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .meta({ description: "The last port of a range starting at port. Default: port." }),
    cidr: Cidr.optional().meta({
      description:
        "The peer as an IPv4 range. Ingress from 0.0.0.0/0 is refused. Exactly one of cidr and securityGroup.",
    }),
    securityGroup: z.string().min(1).optional().meta({
      description:
        'The peer as a security group: "cluster" (the EKS cluster security group: nodes, pods without security groups of their own, CoreDNS, the control plane) or the name of a policy in this list (its security group; a policy may name itself). An egress rule to "cluster" also opens the cluster security group to that traffic from this group (a rule on the cluster security group, which this file cannot list); between policies, list both sides.',
    }),
  })
  .meta({ description: "One rule of the policy's security group." });

export const SecurityGroupPolicySpec = z.strictObject({
  name: KubeName.meta({
    description:
      'Name of the SecurityGroupPolicy, and of its security group (<cluster>-pods-<name>); not "cluster", which rules use for the cluster security group.',
  }),
  namespace: KubeName.default("default").meta({ description: "Namespace of the policy and of the pods it selects." }),
  podSelector: z.record(z.string(), z.string()).optional().meta({
    description:
      "Labels (matchLabels) of the pods that get the security groups. {} selects every pod of the namespace.",
  }),
  serviceAccountSelector: z.record(z.string(), z.string()).optional().meta({
    description:
      "Labels (matchLabels) of the service accounts whose pods get the security groups. With podSelector, both must match.",
  }),
  clusterSecurityGroup: z.boolean().default(true).meta({
    description:
      "Also give the pods the cluster security group, so they keep what every pod has (DNS, the kubelet's probes, the control plane, other pods). Default: true. False leaves them only the rules below.",
  }),
  ingress: z.array(Rule).default([]).meta({ description: "Inbound rules of the policy's security group." }),
  egress: z.array(Rule).default([]).meta({
    description:
      "Outbound rules of the policy's security group. None: the group allows no outbound traffic of its own (the cluster security group, when given, allows all).",
  }),
});

export const PodSecurityGroups = z
  .strictObject({
    enforcingMode: z.enum(["strict", "standard"]).default("strict").meta({
      description:
        "POD_SECURITY_GROUP_ENFORCING_MODE. strict (default, the VPC CNI's): every packet of a pod with security groups goes through its branch ENI and its groups, and TCP early demux is turned off so the kubelet's probes reach it. standard: traffic with its own node and, without external SNAT, to outside the VPC is not held to its groups.",
    }),
    policies: z.array(SecurityGroupPolicySpec).default([]).meta({
      description:
        "SecurityGroupPolicy objects, each with a security group the project creates, installed before the workloads. None: branch ENIs are on, for policies of your own.",
    }),
  })
  .meta({
    description:
      "Security groups for pods (ENABLE_POD_ENI): pods a policy selects get a branch ENI of their own with its security groups. One ENI of each node that supports it becomes the trunk, so max pods drops by one ENI's addresses; the cluster role gets AmazonEKSVPCResourceController. Absent: off.",
  });
