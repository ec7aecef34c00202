/** `name` and `acknowledgedWarnings`: who the environment is, and which warnings it accepts on purpose. */
import { z } from "zod";
import { WARNINGS, WARNING_IDS } from "../warnings";

export const EnvironmentName = z.string().min(1).optional().meta({
  description:
    "The environment's name. Default: the file's base name (environments/demo.yaml: demo). It names the state (terraform-state/<name>/, S3 keys <keyPrefix>/<name>/, HCP Terraform workspaces <workspacePrefix>-<name>-<stack>), the output folders (cdktf.out.<name>, hcl/<name>) and the Environment tag, so two files must not share one; the checks hold it against the rules of each of those places.",
});

export const AcknowledgedWarnings = z
  .record(z.string(), z.string().min(1))
  .default({})
  .meta({
    description: `Warnings this environment accepts on purpose: warning id -> why, e.g. "open-api-endpoint: the demo is reached from a laptop anywhere". An acknowledged warning is still printed (marked acknowledged, with the reason), and strict mode (--strict, EKS_STRICT=1) lets it pass; any other warning fails a strict run. Ids: ${WARNING_IDS.map((id) => `${id} (${WARNINGS[id]})`).join("; ")}.`,
    propertyNames: { enum: WARNING_IDS },
  });
