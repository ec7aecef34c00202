import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";

/**
 * Restricted-by-default container settings that work with images built to run as root (the
 * samples): no privilege escalation, no Linux capabilities, the runtime's seccomp profile.
 */
export const CONTAINER_SECURITY: ISecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
