/** Who may reach the cluster's public API endpoint. */
import type { ClusterSpec } from "../environment/schema";

/** What EKS admits when a public endpoint is given no ranges (EKS API: publicAccessCidrs, default 0.0.0.0/0). */
export const EKS_DEFAULT_PUBLIC_ACCESS_CIDRS = ["0.0.0.0/0"];

/**
 * The source ranges of the public endpoint, or undefined when it is private. An empty list is written
 * out as what EKS does with it (0.0.0.0/0): the AWS provider drops an empty list from the request, so
 * EKS opens the endpoint to all while the configuration would seem to admit none (the check warns).
 */
export function publicAccessCidrs(endpoint: ClusterSpec["endpoint"]): string[] | undefined {
  if (!endpoint.publicAccess) return undefined;
  return endpoint.publicAccessCidrs.length > 0 ? endpoint.publicAccessCidrs : EKS_DEFAULT_PUBLIC_ACCESS_CIDRS;
}
