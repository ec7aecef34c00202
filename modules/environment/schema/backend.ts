/** `backend`: where Terraform keeps each stack's state. */
import { z } from "zod";

export const Backend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    directory: z.string().default("terraform-state").meta({ description: "Where the state files go, one per stack." }),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: z.string().min(1),
    project: z.string().optional(),
    hostname: z.string().default("app.terraform.io"),
    workspacePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .meta({
        description: "Workspaces are named <workspacePrefix>-<environment>-<stack>.",
      }),
    executionMode: z.enum(["remote", "local", "agent"]).default("remote").meta({
      description:
        "The workspaces' execution mode, as set in HCP Terraform (Settings > General): remote (HCP Terraform's default) runs plans on HashiCorp's runners, which have no AWS CLI; local runs them where cdktf runs; agent on your own agents. Kubernetes access by exec (cluster.kubernetesAuth) needs the AWS CLI where the runs execute: local, or agents whose image has it.",
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
