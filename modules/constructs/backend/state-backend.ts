/**
 * Where each stack keeps its Terraform state, per environment. Every stack of an environment gets
 * its own state (and its own workspace or key), so `cdktf deploy network` never touches the cluster.
 */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { isAbsolute, join, resolve } from "node:path";
import type { BackendSpec } from "../../environment/schema";
import { localStatePath, stateKey, stateWorkspaceName } from "../../plan/names";

/** The project root: local state lives under it whatever directory cdktf runs Terraform in. */
export const PROJECT_ROOT = resolve(__dirname, "../../..");

/**
 * Where a relative `backend.directory` is taken from. Default: the project root (absolute, for
 * cdktf.out). The HCL export gives a path relative to each stack's folder instead, so the export works
 * wherever it is copied (scripts/synth-hcl.ts).
 */
export interface StateLocation {
  readonly localStateRoot?: string;
}

/** The App context key under which stacks/app.ts passes a StateLocation to every stack. */
export const STATE_LOCATION_CONTEXT = "eks-custom-networking:state-location";

export function addStateBackend(
  stack: TerraformStack,
  spec: BackendSpec,
  environment: string,
  location: StateLocation = {},
): void {
  const stackName = stack.node.id;
  switch (spec.type) {
    case "local": {
      // One file per environment and stack; the cdktf default (terraform.<stack>.tfstate) would let
      // two environments share, and overwrite, each other's state.
      const path = localStatePath(spec.directory, environment, stackName);
      const root = location.localStateRoot ?? PROJECT_ROOT;
      new LocalBackend(stack, { path: isAbsolute(spec.directory) ? resolve(path) : join(root, path) });
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        organization: spec.organization,
        hostname: spec.hostname,
        workspaces: new NamedCloudWorkspace(
          stateWorkspaceName(spec.workspacePrefix, environment, stackName),
          spec.project,
        ),
      });
      return;
    case "s3": {
      const backend = new S3Backend(stack, {
        bucket: spec.bucket,
        region: spec.region,
        key: stateKey(spec.keyPrefix, environment, stackName),
        encrypt: true,
        kmsKeyId: spec.kmsKeyId,
      });
      // S3-native state locking (Terraform 1.10+); cdktf 0.21's S3Backend predates the option.
      backend.addOverride("use_lockfile", true);
      return;
    }
  }
}
