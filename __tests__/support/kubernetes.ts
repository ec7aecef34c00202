import type { KubernetesObject } from "../../modules/k8s/kubernetes-object";
import { decodeJsonencode, resources, type TfJson } from "./synth";

type Release = {
  name: string;
  namespace: string;
  values: string[];
  depends_on?: string[];
  chart: string;
  wait?: boolean;
};

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

/** A CustomResourceDefinition, as far as validating its custom resources needs. */
export interface CrdDocument {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema?: { openAPIV3Schema?: object } }>;
  };
}

/**
 * Validates a custom resource against the openAPIV3Schema its CRD declares for the object's
 * apiVersion (ajv); returns the errors, or undefined when valid. A kind or version the CRD does not
 * define is an error, not a pass, and so is a field the schema does not declare: the API server
 * would silently prune it.
 */
export function customResourceSchemaError(object: KubernetesObject, crd: CrdDocument): string | undefined {
  const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}` === object.apiVersion);
  if (object.kind !== crd.spec.names.kind || !version?.schema?.openAPIV3Schema)
    return `${crd.spec.names.kind} CRD does not define ${object.apiVersion} ${object.kind}`;
  const Ajv = require("ajv").default;
  // Kubernetes' formats (int64, int32, ...) are not JSON Schema's: ajv would ignore them anyway, noisily.
  const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(
    closed(version.schema.openAPIV3Schema),
  );
  return validate(object) ? undefined : JSON.stringify(validate.errors);
}

/** The schema with every object that lists its properties closed to others, as pruning makes it. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v),
    ]),
  );
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"])
    out.additionalProperties = false;
  return out;
}
