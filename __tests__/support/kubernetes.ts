import type { KubernetesObject } from "../../modules/kubernetes/manifests-release";
import { decodeJsonencode, resources, type TfJson } from "./synth";

type Release = { name: string; namespace: string; values: string[]; depends_on?: string[]; chart: string; wait?: boolean };

/** Every helm release of the manifests chart in a stack, with the objects it installs. */
export function manifestReleases(json: TfJson): Array<{ id: string; release: Release; objects: KubernetesObject[] }> {
  return Object.entries(resources<Release>(json, "helm_release")).map(([id, release]) => ({
    id,
    release,
    objects: (decodeJsonencode(release.values[0]) as { objects: KubernetesObject[] }).objects,
  }));
}

/**
 * Validates an object against the Kubernetes schema of its apiVersion and kind (kubernetes-models);
 * returns the error message, or undefined when valid. Unknown kinds are an error, not a pass.
 */
export function kubernetesSchemaError(object: KubernetesObject): string | undefined {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  let Model: (new (o: unknown) => { validate(): void }) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(`kubernetes-models/${group ? `${group}/` : ""}${version}`)[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return `no Kubernetes schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
