import { Release } from "@cdktf/provider-helm/lib/release";
import { AssetType, TerraformAsset, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { resolve } from "node:path";
import { jsonencode } from "../../hcl/jsonencode";
import type { KubernetesObject } from "../../k8s/kubernetes-object";

const CHART_DIR = resolve(__dirname, "manifests-chart");

export interface ManifestsReleaseProps {
  /** The release's name (plan/names.ts). */
  readonly name: string;
  readonly namespace: string;
  readonly objects: readonly KubernetesObject[];
  /**
   * Wait until every object is ready (Deployments rolled out, ...) before the release counts as done,
   * and roll a failed install or upgrade back (atomic). Default: true.
   */
  readonly wait?: boolean;
  /**
   * Adopt objects that already exist in the cluster without this release's ownership annotations,
   * instead of failing the install (helm_release take_ownership, Helm 3.17's --take-ownership).
   * Default: false.
   */
  readonly takeOwnership?: boolean;
  /** What must be installed first. Default: nothing. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Installs Kubernetes objects built in TypeScript through a trivial local chart. Unlike
 * kubernetes_manifest it needs no cluster at plan time, and helm applies CRDs and custom resources
 * in the order the releases depend on each other.
 */
export class ManifestsRelease extends Construct {
  /** The release, for what must wait until its objects are ready. */
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ManifestsReleaseProps) {
    super(scope, id);
    // Copied into the stack's output directory, so cdktf.out is complete on its own (and in HCL).
    const wait = props.wait ?? true;
    const chart = new TerraformAsset(this, "chart", { path: CHART_DIR, type: AssetType.DIRECTORY });
    this.dependable = new Release(this, "release", {
      name: props.name,
      namespace: props.namespace,
      createNamespace: true,
      chart: chart.path,
      values: [jsonencode({ objects: props.objects })],
      wait,
      // Helm turns waiting on whenever atomic is set (action.Install: `i.Wait = i.Wait || i.Atomic`),
      // so a release that must not wait cannot be atomic either.
      atomic: wait,
      cleanupOnFail: true,
      timeout: 600,
      ...(props.takeOwnership ? { takeOwnership: true } : {}),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
