import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { jsonencode } from "../../hcl/jsonencode";
import type { KubernetesObject } from "../../k8s/kubernetes-object";
import { ManifestsRelease } from "../kubernetes/manifests-release";

export interface KarpenterInstallationProps {
  /** The chart and CRD chart version, pinned (karpenter.version). */
  readonly version: string;
  /** oci://public.ecr.aws/karpenter (plan/node-pools.ts). */
  readonly repository: string;
  readonly namespace: string;
  /** The releases' names (plan/names.ts): CRDs, controller, node pools. */
  readonly releaseNames: { readonly crds: string; readonly controller: string; readonly nodePools: string };
  /** The controller chart's values (k8s/karpenter.ts karpenterValues); may hold references. */
  readonly values: Record<string, unknown>;
  /** The EC2NodeClasses and NodePools. */
  readonly objects: readonly KubernetesObject[];
  /** What the controller must not start before: its role's policies and association, the queue. */
  readonly controllerDependsOn: readonly ITerraformDependable[];
  /** What the node pools must not exist before: the nodes' access entry. */
  readonly nodePoolsDependOn: readonly ITerraformDependable[];
}

/**
 * Karpenter from its own charts in its public OCI registry, pinned: the CRDs from karpenter-crd, the
 * chart Karpenter's upgrade guide recommends for them (helm installs a chart's crds/ folder once and
 * never upgrades it), then the controller with skip_crds, then the pools' EC2NodeClasses and NodePools.
 *
 * Destroy runs the other way: the pools first, so the controller is still there to drain and
 * terminate their nodes. The pools' release waits on uninstall too (helm provider 3.1.1 passes
 * `wait` and `timeout` to helm's uninstall), and an EC2NodeClass keeps its finalizer until no
 * NodeClaim uses it (karpenter-provider-aws v1.14.1, nodeclass controller's finalize), so the
 * controller is uninstalled only after the nodes are gone; see the README's "Destroying".
 */
export class KarpenterInstallation extends Construct {
  readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: KarpenterInstallationProps) {
    super(scope, id);
    const chart = { repository: props.repository, version: props.version, namespace: props.namespace };
    const crds = new Release(this, "crds", {
      ...chart,
      name: props.releaseNames.crds,
      chart: "karpenter-crd",
      wait: true,
      atomic: true,
      timeout: 600,
    });
    const controller = new Release(this, "controller", {
      ...chart,
      name: props.releaseNames.controller,
      chart: "karpenter",
      skipCrds: true,
      values: [jsonencode(props.values)],
      wait: true,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      dependsOn: [crds, ...props.controllerDependsOn],
    });
    this.dependable = new ManifestsRelease(this, "node-pools", {
      name: props.releaseNames.nodePools,
      namespace: props.namespace,
      objects: props.objects,
      dependsOn: [controller, ...props.nodePoolsDependOn],
    }).dependable;
  }
}
