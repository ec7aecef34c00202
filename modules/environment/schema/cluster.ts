/** `cluster`: the EKS control plane. */
import { z } from "zod";
import { AddonVersion, Cidr, Name } from "./primitives";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** An IAM role or user, as an access entry names it (not an assumed-role session). */
const PrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { message: "must be an IAM role or user ARN" });

export const Cluster = z.strictObject({
  name: Name("cluster name", 100).meta({ description: "EKS cluster name." }),
  version: z.string().default("1.35").meta({
    description: 'Kubernetes minor version ("1.35"). Quote it in YAML: 1.30 unquoted would be the number 1.3.',
  }),
  serviceCidr: Cidr.meta({
    description:
      "Range Kubernetes Services get their cluster IPs from. Fixed at cluster creation: RFC 1918, /12 to /24, outside the VPC.",
  }),
  endpoint: z
    .strictObject({
      publicAccess: z.boolean().default(true).meta({
        description:
          "Whether the API server is reachable from outside the VPC (deploying from a laptop or CI needs it).",
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
  adminPrincipals: z.array(PrincipalArn).default([]).meta({
    description:
      "IAM roles or users given cluster-admin access entries: exactly these (whoever deploys is not added implicitly). Needed, unless bootstrapCreatorAdmin is on, when a stack talks to the Kubernetes API (the cni stack with Multus, the workloads stack with any workload): the identity that deploys those stacks must be one of them.",
  }),
  bootstrapCreatorAdmin: z.boolean().default(false).meta({
    description:
      "Let EKS give the identity that creates the cluster its own cluster-admin access entry (EKS's bootstrapClusterCreatorAdminPermissions). Read only when the cluster is created: changing it later replaces the cluster. Terraform does not manage that entry (remove it with `aws eks delete-access-entry`).",
  }),
  formerDeployerEntry: PrincipalArn.optional().meta({
    description:
      "Only when upgrading a cluster deployed by a version of this project that gave whoever ran the cluster stack an access entry: that entry's principal ARN (`aws eks list-access-entries`), which must also be in adminPrincipals. Its entry then moves to that admin (a Terraform moved block) instead of being deleted and created again. Absent: the old deployer entry, if any, is deleted on the next cluster deploy.",
  }),
  deletionProtection: z.boolean().default(false).meta({
    description: "EKS deletion protection: the cluster cannot be deleted until this is turned off.",
  }),
  kubernetesAuth: z.enum(["exec", "token"]).default("exec").meta({
    description:
      "How the kubernetes and helm providers authenticate: exec (default) runs `aws eks get-token` on every request (needs the AWS CLI where Terraform runs; holds for the longest apply; writes no token to state); token reads a 15-minute token with aws_eks_cluster_auth once per run, which is also written to state.",
  }),
  nodeAmiRelease: z
    .string()
    .regex(/^(latest|v20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))$/, {
      message: 'must be "latest" or an AL2023 EKS AMI release such as v20260714',
    })
    .default("latest")
    .meta({
      description:
        'AL2023 EKS-optimized AMI release every node boots: "latest" (default) follows AWS\'s recommended image, so the first deploy after a new release rolls every node onto it; a release (v20260714, from the amazon-eks-ami changelog) pins it, and nodes change only when you change it. It must exist for cluster.version.',
    }),
  podIdentity: z.boolean().default(false).meta({
    description:
      "EKS Pod Identity: every role the project creates for pods (the VPC CNI's, the Elastic IP and Multus address sidecars') trusts pods.eks.amazonaws.com and gets a Pod Identity association, and the eks-pod-identity-agent add-on runs on every node. Default: false (IRSA through the cluster's OIDC provider). Switching a deployed environment takes two deploys (README, 'Switching to Pod Identity'); set oidcProvider with it.",
  }),
  oidcProvider: z.boolean().optional().meta({
    description:
      "Whether the cluster's IAM OIDC provider (IRSA) exists. Default: true without podIdentity, where the project's roles need it. With podIdentity it must be said: false for a new environment or once its pods run on Pod Identity; true while a deployed environment switches (its roles then trust both) or for IRSA roles of your own.",
  }),
  addonVersions: z
    .strictObject({
      vpcCni: AddonVersion.optional(),
      kubeProxy: AddonVersion.optional(),
      coreDns: AddonVersion.optional(),
      podIdentityAgent: AddonVersion.optional(),
    })
    .default({})
    .meta({
      description: "Pinned EKS add-on versions. Absent: the default version for the cluster's Kubernetes version.",
    }),
});
