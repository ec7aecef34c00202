/**
 * Where each stack keeps its Terraform state, per environment. Every stack of an environment gets
 * its own state (and its own workspace or key), so `cdktf deploy network` never touches the cluster.
 */
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformStack,
  type TerraformRemoteState,
} from "cdktf";
import type { Construct } from "constructs";
import { resolve } from "node:path";
import type { BackendSpec } from "../../environment/schema";
import { localStatePath, stateKey, stateWorkspaceName } from "../../plan/names";

/** The project root: local state lives under it whatever directory cdktf runs Terraform in. */
export const PROJECT_ROOT = resolve(__dirname, "../../..");

export function addStateBackend(stack: TerraformStack, spec: BackendSpec, environment: string): void {
  const stackName = stack.node.id;
  switch (spec.type) {
    case "local":
      // One file per environment and stack; the cdktf default (terraform.<stack>.tfstate) would let
      // two environments share, and overwrite, each other's state.
      new LocalBackend(stack, { path: resolve(PROJECT_ROOT, localStatePath(spec.directory, environment, stackName)) });
      return;
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

/**
 * Reads a stack of another environment (a shared network) through that environment's own backend:
 * the same file, workspace or key addStateBackend gives it, read the way cdktf reads its own
 * cross-stack references. With HCP Terraform, that workspace must share its state with the reader's
 * (Settings > General > Remote state sharing).
 */
export function remoteStateOf(
  scope: Construct,
  id: string,
  spec: BackendSpec,
  environment: string,
  stackName: string,
): TerraformRemoteState {
  switch (spec.type) {
    case "local":
      return new DataTerraformRemoteStateLocal(scope, id, {
        path: resolve(PROJECT_ROOT, localStatePath(spec.directory, environment, stackName)),
      });
    case "cloud":
      return new DataTerraformRemoteState(scope, id, {
        organization: spec.organization,
        hostname: spec.hostname,
        workspaces: { name: stateWorkspaceName(spec.workspacePrefix, environment, stackName) },
      });
    case "s3":
      return new DataTerraformRemoteStateS3(scope, id, {
        bucket: spec.bucket,
        region: spec.region,
        key: stateKey(spec.keyPrefix, environment, stackName),
      });
  }
}
