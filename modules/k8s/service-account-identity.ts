/**
 * Who a pod's service-account token says the caller is, as admission policies (CEL) read it. The
 * kubelet mounts pod-bound tokens, and the API server puts what they are bound to into the user's
 * extra: the pod's name and uid, and (ServiceAccountTokenPodNodeInfo, beta and on by default since
 * Kubernetes 1.30) its node's name and uid (kubernetes/website, service-accounts-admin, "Additional
 * metadata in Pod bound tokens"). That is what lets a ValidatingAdmissionPolicy hold a service account
 * to its own pod or node, which RBAC cannot express.
 */

/** The user a pod's token authenticates as. */
export const serviceAccountUser = (namespace: string, name: string): string =>
  `system:serviceaccount:${namespace}:${name}`;

/** The token's extra that names the pod's node, and the one that names the pod. */
export const NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
export const POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";

/** CEL: whether the caller's token names `name` (a CEL expression) in `extra`; false without it. */
export const callerExtraIs = (extra: string, name: string): string =>
  `has(request.userInfo.extra) && '${extra}' in request.userInfo.extra && ${name} in request.userInfo.extra['${extra}']`;
