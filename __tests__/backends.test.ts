import { edited, writeEnvironmentFile } from "./support/environments";
import { synthEnvironment, synthNamed, type Synthesized } from "./support/synth";

const STACKS = ["network", "cluster", "cni", "nodes", "workloads"];

describe("state backends", () => {
  describe("local (default): one state file per environment and stack", () => {
    let synth: Synthesized;
    beforeAll(() => (synth = synthNamed("demo")));
    afterAll(() => synth.cleanup());

    it.each(STACKS)("%s", (stack) => {
      expect(synth.stack(stack).terraform!.backend).toEqual({
        local: { path: `<project>/terraform-state/demo/${stack}.tfstate` },
      });
    });

    it("reads other stacks' outputs from their local state files", () => {
      const remote = synth.stack("cluster").data!.terraform_remote_state["cross-stack-reference-input-network"];
      expect(remote).toMatchObject({
        backend: "local",
        config: { path: "<project>/terraform-state/demo/network.tfstate" },
      });
    });
  });

  describe("cloud (HCP Terraform): one named workspace per stack", () => {
    let synth: Synthesized;
    beforeAll(() => (synth = synthNamed("production")));
    afterAll(() => synth.cleanup());

    it.each(STACKS)("%s", (stack) => {
      expect(synth.stack(stack).terraform!.cloud).toEqual({
        hostname: "app.terraform.io",
        organization: "example-platform",
        workspaces: { name: `eksnet-production-${stack}`, project: "eks-networking" },
      });
      expect(synth.stack(stack).terraform!.backend).toBeUndefined();
    });

    it("reads other stacks' outputs from their workspaces by name", () => {
      const remote = synth.stack("nodes").data!.terraform_remote_state;
      expect(remote["cross-stack-reference-input-cni"]).toMatchObject({
        backend: "remote",
        config: {
          organization: "example-platform",
          hostname: "app.terraform.io",
          workspaces: { name: "eksnet-production-cni" },
        },
      });
    });
  });

  describe("s3: one key per environment and stack, encrypted, with S3-native locking", () => {
    let synth: Synthesized;
    beforeAll(() => {
      const file = writeEnvironmentFile(
        "staging",
        edited(
          "demo",
          (d) =>
            (d.backend = { type: "s3", bucket: "acme-tfstate", region: "eu-central-1", kmsKeyId: "alias/tfstate" }),
        ),
      );
      synth = synthEnvironment({ EKS_ENV_FILE: file });
    });
    afterAll(() => synth.cleanup());

    it.each(STACKS)("%s", (stack) => {
      expect(synth.stack(stack).terraform!.backend).toEqual({
        s3: {
          bucket: "acme-tfstate",
          region: "eu-central-1",
          key: `eks-custom-networking/staging/${stack}.tfstate`,
          encrypt: true,
          kms_key_id: "alias/tfstate",
          use_lockfile: true,
        },
      });
    });

    it("reads other stacks' outputs from their keys", () => {
      const remote = synth.stack("cluster").data!.terraform_remote_state["cross-stack-reference-input-network"];
      expect(remote).toMatchObject({
        backend: "s3",
        config: { bucket: "acme-tfstate", key: "eks-custom-networking/staging/network.tfstate" },
      });
    });
  });
});
