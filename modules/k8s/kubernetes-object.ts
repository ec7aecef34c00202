import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/**
 * A Kubernetes object as the API takes it. The builders type theirs with kubernetes-models (types
 * only: nothing of that package loads at run time; tests use it to validate the objects).
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: IObjectMeta;
}
