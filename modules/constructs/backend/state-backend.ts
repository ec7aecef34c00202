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
      new LocalBackend(stack, { path: localStateFile(spec.directory, environment, stackName, location) });
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

/** The state file of a stack with a local backend: addStateBackend's, and remoteStateOf's to read it. */
function localStateFile(directory: string, environment: string, stackName: string, location: StateLocation): string {
  const path = localStatePath(directory, environment, stackName);
  return isAbsolute(directory) ? resolve(path) : join(location.localStateRoot ?? PROJECT_ROOT, path);
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
      // Where the owner's own stack keeps it, relative to the stack's folder in the HCL export too.
      return new DataTerraformRemoteStateLocal(scope, id, {
        path: localStateFile(
          spec.directory,
          environment,
          stackName,
          (scope.node.tryGetContext(STATE_LOCATION_CONTEXT) ?? {}) as StateLocation,
        ),
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
