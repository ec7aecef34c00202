/**
 * The environment file: one YAML document per environment. This schema is the single source of
 * truth for its shape: it types the code (`Environment`), validates input (unknown keys and wrong
 * types are rejected), and is exported as `environments/environment.schema.json` for editors.
 *
 * Only the shape lives here. Rules that relate fields to each other (CIDRs inside the VPC, pods per
 * subnet, ...) are in `checks/`, where they can name every field involved.
 */
import { z } from "zod";

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

export const Cidr = z
  .string()
  .regex(IPV4_CIDR, { message: "must be an IPv4 CIDR block such as 10.0.0.0/16" })
  .meta({ description: "IPv4 CIDR block, network address and prefix length (a.b.c.d/n)." });

const Name = (what: string, max: number) =>
  z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${max - 1}}$`), {
      message: `must be a ${what}: letters, digits, '-' and '_', starting with a letter or digit, at most ${max} characters`,
    });

/** Kubernetes names (namespaces, workloads): RFC 1123 labels. */
const KubeName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters",
});

const ZoneSubnets = z
  .strictObject({
    node: Cidr.meta({
      description:
        "Private subnet of the nodes' primary interfaces. Without custom networking, pods take their addresses here too.",
    }),
    pod: Cidr.optional().meta({
      description:
        "Subnet the VPC CNI gives pods their addresses from, with custom networking (one ENIConfig per AZ).",
    }),
    public: Cidr.meta({
      description:
        "Public subnet, routed to the internet gateway: NAT gateways, internet-facing load balancers, public node groups.",
    }),
    controlPlane: Cidr.optional().meta({
      description:
        "Dedicated subnet for the EKS control-plane network interfaces. Absent: they go in the node subnet.",
    }),
    multus: z.array(Cidr).min(1).optional().meta({
      description:
        "Subnets for the extra (Multus) interfaces of nodes in this AZ, one per interface index; routed like the node subnet.",
    }),
  })
  .meta({ description: "The subnets of one availability zone, by role." });

const Network = z.strictObject({
  vpcCidr: Cidr.meta({ description: "Primary CIDR block of the VPC." }),
  secondaryCidrs: z.array(Cidr).default([]).meta({
    description:
      "Extra CIDR blocks associated with the VPC, typically 100.64.0.0/16 (RFC 6598) to grow the pod address pool.",
  }),
  natGateways: z.enum(["single", "perAz"]).default("single").meta({
    description: "One NAT gateway for the VPC (cheaper) or one per AZ (no cross-AZ dependency).",
  }),
  zones: z
    .record(z.string(), ZoneSubnets)
    .refine((zones) => Object.keys(zones).length > 0, { message: "must list at least one availability zone" })
    .meta({ description: "Subnets per availability zone, keyed by AZ name (us-east-1a, ...)." }),
});

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const AddonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
  message: "must be an EKS add-on version such as v1.20.4-eksbuild.1",
});

const Cluster = z.strictObject({
  name: Name("cluster name", 100).meta({ description: "EKS cluster name." }),
  version: z.string().default("1.35").meta({
    description: "Kubernetes minor version (\"1.35\"). Quote it in YAML: 1.30 unquoted would be the number 1.3.",
  }),
  serviceCidr: Cidr.meta({
    description:
      "Range Kubernetes Services get their cluster IPs from. Fixed at cluster creation: RFC 1918, /12 to /24, outside the VPC.",
  }),
  endpoint: z
    .strictObject({
      publicAccess: z.boolean().default(true).meta({
        description: "Whether the API server is reachable from outside the VPC (deploying from a laptop or CI needs it).",
      }),
      publicAccessCidrs: z.array(Cidr).default(["0.0.0.0/0"]).meta({
        description: "Source ranges allowed to reach the public endpoint. List your office and CI ranges.",
      }),
    })
    .default({ publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] })
    .meta({ description: "API server endpoint access. Private access is always on." }),
  logging: z
    .strictObject({
      types: z.array(z.enum(LOG_TYPES)).default(["api", "audit", "authenticator"]),
      retentionDays: z
        .number()
        .int()
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
          message: `must be one of the retention periods CloudWatch accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(90),
    })
    .default({ types: ["api", "audit", "authenticator"], retentionDays: 90 })
    .meta({ description: "Control-plane log types sent to CloudWatch Logs and how long they are kept." }),
  adminPrincipals: z
    .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { message: "must be an IAM role or user ARN" }))
    .default([])
    .meta({ description: "IAM principals given cluster-admin access entries, besides the identity that deploys." }),
  deletionProtection: z.boolean().default(false).meta({
    description: "EKS deletion protection: the cluster cannot be deleted until this is turned off.",
  }),
  kubernetesAuth: z.enum(["token", "exec"]).default("token").meta({
    description:
      "How the kubernetes and helm providers authenticate: a 15-minute token read at plan time, or `aws eks get-token` on every call (needs the AWS CLI; for runs that outlast the token).",
  }),
  addonVersions: z
    .strictObject({
      vpcCni: AddonVersion.optional(),
      kubeProxy: AddonVersion.optional(),
      coreDns: AddonVersion.optional(),
    })
    .default({})
    .meta({ description: "Pinned EKS add-on versions. Absent: the default version for the cluster's Kubernetes version." }),
});

const Cni = z.strictObject({
  customNetworking: z.boolean().default(false).meta({
    description: "Pods take addresses from the pod subnets (ENIConfig per AZ) instead of the node subnets.",
  }),
  prefixDelegation: z.boolean().default(false).meta({
    description: "Assign /28 prefixes to ENIs instead of single addresses: 110+ pods per node (Nitro instances).",
  }),
  warmPrefixTarget: z.number().int().min(0).optional().meta({ description: "WARM_PREFIX_TARGET (prefix delegation)." }),
  warmIpTarget: z.number().int().min(0).optional().meta({ description: "WARM_IP_TARGET." }),
  minimumIpTarget: z.number().int().min(0).optional().meta({ description: "MINIMUM_IP_TARGET." }),
  externalSnat: z.boolean().default(false).meta({
    description:
      "AWS_VPC_K8S_CNI_EXTERNALSNAT: pod traffic leaving the VPC keeps the pod's address (needed for per-pod Elastic IPs).",
  }),
});

const Taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

const NodeGroup = z.strictObject({
  name: Name("node group name", 63),
  instanceType: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, { message: "must be an EC2 instance type such as m5.xlarge" }),
  desiredSize: z.number().int().min(0),
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  diskSizeGiB: z.number().int().min(20).max(16384).default(20).meta({ description: "Root volume (gp3, encrypted)." }),
  subnet: z.enum(["node", "public"]).default("node").meta({
    description: "Where the nodes' primary interfaces go: the private node subnets or the public subnets.",
  }),
  zones: z.array(z.string()).min(1).optional().meta({ description: "AZs this group spans. Absent: every AZ." }),
  maxPods: z.number().int().min(1).optional().meta({
    description: "Kubelet maxPods. Absent: the recommended value for the instance type and CNI settings.",
  }),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(Taint).default([]),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  maxUnavailable: z.number().int().min(1).default(1).meta({ description: "Nodes replaced at once during updates." }),
  metadataHopLimit: z.union([z.literal(1), z.literal(2)]).default(1).meta({
    description: "IMDSv2 hop limit: 1 keeps pods away from the node's instance role; 2 only if a pod truly needs IMDS.",
  }),
  detailedMonitoring: z.boolean().default(false),
  multusInterfaces: z.number().int().min(0).default(0).meta({
    description:
      "Extra network interfaces per node for Multus, in the AZ's Multus subnets (interface i in multus[i - 1]). Above 0 the group becomes desiredSize fixed self-managed nodes spread over its AZs (minSize and maxSize do not apply), because managed node groups cannot place extra interfaces in their own subnets.",
  }),
});

const Resources = z.strictObject({
  cpu: z.string().optional(),
  memory: z.string().optional(),
});

const Workloads = z.strictObject({
  bootcamp: z
    .strictObject({
      namespace: KubeName.default("bootcamp"),
      replicas: z.number().int().min(0).default(2),
      requests: Resources.default({ cpu: "100m", memory: "64Mi" }),
      limits: Resources.default({ memory: "128Mi" }),
    })
    .optional()
    .meta({ description: "The sample kubernetes-bootcamp Deployment." }),
  publicIpPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        replicas: z.number().int().min(1),
        port: z.number().int().min(1).max(65535),
        nodeGroups: z.array(z.string()).min(1).optional().meta({
          description: "Node groups the pods run on; they must be in public subnets. Absent: every node group with subnet: public.",
        }),
        keepAddresses: z.boolean().default(true).meta({
          description:
            "Protect the Elastic IPs from destruction (Terraform prevent_destroy), so an allow-listed address is never released by accident.",
        }),
      }),
    )
    .default([])
    .meta({ description: "StatefulSets whose pods each own a fixed public Elastic IP." }),
  multusPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        command: z.array(z.string()).min(1).optional().meta({
          description: "The container's command (entrypoint and arguments). Absent: the image's own.",
        }),
        replicas: z.number().int().min(1).meta({
          description:
            "Pods per AZ. A Multus network's address range differs per AZ, so each AZ where the pods can run (every listed network has a range there and Multus nodes carry its interface) gets its own Deployment, <name>-<az>.",
        }),
        networks: z.array(KubeName).min(1).meta({
          description: "Names of multus.networks; each pod gets one extra interface (net1, net2, ...) per network, in this order.",
        }),
      }),
    )
    .default([])
    .meta({ description: "Deployments whose pods get one extra interface per listed Multus network." }),
});

const Multus = z.strictObject({
  version: z.string().regex(/^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, { message: "must be a Multus image tag such as v4.1.4-eksbuild.3" }).meta({
    description:
      "Multus release of the image AWS publishes for EKS (<account>.dkr.ecr.<region>.amazonaws.com/eks/multus-cni:<version>_thick, the thick plugin), e.g. v4.1.4-eksbuild.3.",
  }),
  whereaboutsVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, { message: "must be a whereabouts release such as v0.8.0" }).meta({
    description: "whereabouts IPAM release (ghcr.io/k8snetworkplumbingwg/whereabouts:<version>), e.g. v0.8.0.",
  }),
  awsCliVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { message: "must be an AWS CLI v2 release such as 2.32.9" })
    .default("2.32.9")
    .meta({
      description:
        "AWS CLI release of the image (public.ecr.aws/aws-cli/aws-cli:<version>) the ip-assigner sidecar of Multus pods runs in; it assigns each pod's Multus addresses to the node's ENI in EC2.",
    }),
  networks: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default").meta({
          description: "Namespace of the NetworkAttachmentDefinitions (<name>-<az>); pods in any namespace may use them.",
        }),
        type: z.enum(["ipvlan", "macvlan"]).meta({
          description:
            "CNI plugin of the extra interface. ipvlan shares the ENI's MAC address, which is what the VPC delivers to; macvlan gives each pod its own MAC, which the VPC drops outside the node.",
        }),
        interfaceIndex: z.number().int().min(1).default(1).meta({
          description: "Which extra interface (1 = the first Multus ENI, device index 1) this network rides on.",
        }),
        master: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}$/, { message: "must be a Linux interface name: at most 15 letters, digits, '_', '.', ':' or '-'" })
          .optional()
          .meta({
            description:
              "The node's interface the pods' interfaces hang on. Absent: ens<5 + interfaceIndex> (ens6 for interface 1): AL2023 names ENA interfaces by PCI slot, and on Nitro the interface attached at launch at device index N sits in slot 5 + N. Check a node with `ip -br link`.",
          }),
        ranges: z.record(z.string(), Cidr).meta({
          description:
            "Per AZ, the block inside that AZ's Multus subnet (of interfaceIndex) that pods take addresses from. It becomes an explicit subnet CIDR reservation, so EC2 never gives those addresses to interfaces.",
        }),
        routes: z.array(Cidr).default([]).meta({
          description:
            "Destinations the pods reach through this interface (via the subnet's VPC router). The Multus subnet itself is always reachable; everything else leaves through eth0.",
        }),
      }),
    )
    .min(1),
});

const Backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    directory: z.string().default("terraform-state").meta({ description: "Where the state files go, one per stack." }),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: z.string().min(1),
    project: z.string().optional(),
    hostname: z.string().default("app.terraform.io"),
    workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]+$/).meta({
      description: "Workspaces are named <workspacePrefix>-<environment>-<stack>.",
    }),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().min(3),
    region: z.string().min(1),
    keyPrefix: z.string().default("eks-custom-networking").meta({
      description: "State keys are <keyPrefix>/<environment>/<stack>.tfstate.",
    }),
    kmsKeyId: z.string().optional(),
  }),
]);

export const EnvironmentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "Editor hint: the JSON Schema of this file." }),
    description: z.string().optional(),
    region: z.string().meta({ description: "AWS region, for example us-east-1." }),
    tags: z.record(z.string(), z.string()).default({}).meta({ description: "Extra tags on every AWS resource." }),
    network: Network,
    cluster: Cluster,
    cni: Cni.default({ customNetworking: false, prefixDelegation: false, externalSnat: false }),
    nodeGroups: z.array(NodeGroup).min(1),
    workloads: Workloads.default({ publicIpPods: [], multusPods: [] }),
    multus: Multus.optional().meta({ description: "Multus CNI and its networks: pods with several interfaces." }),
    backend: Backend.default({ type: "local", directory: "terraform-state" }).meta({
      description: "Where Terraform keeps state: local files (default), HCP Terraform workspaces, or S3.",
    }),
  })
  .meta({ title: "eks-custom-networking environment", description: "One EKS network plan." });

export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
export type Environment = z.output<typeof EnvironmentSchema>;
export type ZoneSubnetPlan = Environment["network"]["zones"][string];
export type NodeGroupSpec = Environment["nodeGroups"][number];
export type CniSpec = Environment["cni"];
export type ClusterSpec = Environment["cluster"];
export type PublicIpPodsSpec = Environment["workloads"]["publicIpPods"][number];
export type MultusPodsSpec = Environment["workloads"]["multusPods"][number];
export type MultusSpec = NonNullable<Environment["multus"]>;
export type MultusNetworkSpec = MultusSpec["networks"][number];
export type BackendSpec = Environment["backend"];
