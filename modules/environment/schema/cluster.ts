/** `cluster`: the EKS control plane. */
import { z } from "zod";
import { AddonVersion, Cidr, Name } from "./primitives";

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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
  adminPrincipals: z
    .array(
      z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { message: "must be an IAM role or user ARN" }),
    )
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
    .meta({
      description: "Pinned EKS add-on versions. Absent: the default version for the cluster's Kubernetes version.",
    }),
});
