/**
 * ForgottenResource: a `removed` block (destroy = false) at the construct path of a resource that is
 * gone from the code. Proved with Terraform itself where a terraform binary is on the PATH, on
 * terraform_data resources (built into Terraform, so no provider is needed).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, LocalBackend, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ForgottenResource } from "../modules/constructs/terraform/forgotten-resource";

/** A stack with `kept`, and at `pod/association` either the resource or what is left of it. */
function synthStack(
  outdir: string,
  forgotten: boolean,
  state = join(outdir, "terraform.tfstate"),
): Record<string, unknown> {
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, "s");
  new LocalBackend(stack, { path: state });
  new TerraformResource(stack, "kept", { terraformResourceType: "terraform_data" });
  const pod = new Construct(stack, "pod");
  if (forgotten) new ForgottenResource(pod, "association", { resourceType: "terraform_data" });
  else new TerraformResource(pod, "association", { terraformResourceType: "terraform_data" });
  app.synth();
  return JSON.parse(readFileSync(join(outdir, "stacks", "s", "cdk.tf.json"), "utf8")) as Record<string, unknown>;
}

describe("ForgottenResource", () => {
  it("names the resource that stood at its construct path, by its former logical id", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-forgotten-"));
    try {
      const before = synthStack(join(dir, "before"), false) as {
        resource: { terraform_data: Record<string, unknown> };
      };
      const after = synthStack(join(dir, "after"), true) as { removed: unknown; resource: { terraform_data: object } };
      const [formerId] = Object.keys(before.resource.terraform_data).filter((id) => id !== "kept");
      expect(after.removed).toEqual([{ from: `terraform_data.${formerId}`, lifecycle: { destroy: false } }]);
      expect(Object.keys(after.resource.terraform_data)).toEqual(["kept"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const terraform = spawnSync("terraform", ["version"], {
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  (terraform.status === 0 ? it : it.skip)(
    "makes Terraform forget the resource without destroying it, and is a no-op where it never existed",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "eks-forgotten-tf-"));
      const run = (cwd: string, ...args: string[]) =>
        spawnSync("terraform", args, {
          cwd,
          encoding: "utf8",
          env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1", NO_COLOR: "1" },
        });
      try {
        // A deployment from before: the resource is in state.
        const out = join(dir, "out");
        const work = join(out, "stacks", "s");
        synthStack(out, false, join(dir, "deployed.tfstate"));
        expect(run(work, "init", "-input=false").status).toBe(0);
        expect(run(work, "apply", "-auto-approve", "-input=false").status).toBe(0);
        // The same deployment after the resource left the code.
        synthStack(out, true, join(dir, "deployed.tfstate"));
        const plan = run(work, "plan", "-input=false", "-no-color");
        expect(plan.status).toBe(0);
        expect(plan.stdout).toContain("0 to destroy");
        expect(plan.stdout).toMatch(/will no longer be managed by Terraform[^]*terraform_data\.pod_association/);
        // A fresh deployment, which never had it.
        synthStack(out, true, join(dir, "fresh.tfstate"));
        expect(run(work, "init", "-input=false", "-reconfigure").status).toBe(0);
        const fresh = run(work, "plan", "-input=false", "-no-color");
        expect(fresh.status).toBe(0);
        expect(fresh.stdout).toContain("1 to add, 0 to change, 0 to destroy");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
