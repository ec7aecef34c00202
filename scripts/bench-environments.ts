/**
 * Environments generated for the benchmark's scaling table: the same plan with more AZs or more
 * public-IP pods, so the only thing that changes between two rows is the size.
 */
import { stringify } from "yaml";
import type { EnvironmentInput } from "../modules/environment/schema";

export interface ScalingCase {
  zones: number;
  publicIpPods: number;
}

export const SCALING_CASES: ScalingCase[] = [2, 3, 6].flatMap((zones) =>
  [0, 10, 100].map((publicIpPods) => ({ zones, publicIpPods })),
);

/** us-east-1 has six AZs, a to f. */
const AZ_LETTERS = "abcdef";

export function scalingEnvironment({ zones, publicIpPods }: ScalingCase): string {
  if (zones < 2 || zones > AZ_LETTERS.length) throw new RangeError(`zones must be 2 to ${AZ_LETTERS.length}`);
  const env: EnvironmentInput = {
    description: `benchmark: ${zones} AZs, ${publicIpPods} public-IP pods`,
    region: "us-east-1",
    network: {
      vpcCidr: "10.0.0.0/16",
      natGateways: "perAz",
      zones: Object.fromEntries(
        [...AZ_LETTERS.slice(0, zones)].map((letter, i) => [
          `us-east-1${letter}`,
          { node: `10.0.${i * 8}.0/22`, public: `10.0.${i * 8 + 4}.0/23` },
        ]),
      ),
    },
    cluster: {
      name: `bench-${zones}az-${publicIpPods}pods`,
      serviceCidr: "172.20.0.0/16",
      endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
      adminPrincipals: ["arn:aws:iam::111122223333:role/eks-admins"],
    },
    // Public-IP pods need secondary IPs, external SNAT and public nodes; every case uses the same mode.
    cni: { customNetworking: false, prefixDelegation: false, externalSnat: true },
    nodeGroups: [
      {
        name: "public",
        instanceType: "m5.xlarge",
        desiredSize: zones,
        minSize: zones,
        maxSize: zones,
        subnet: "public",
      },
    ],
    workloads:
      publicIpPods > 0
        ? {
            publicIpPods: [
              {
                name: "egress",
                image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine",
                replicas: publicIpPods,
                port: 8080,
              },
            ],
          }
        : {},
  };
  return stringify(env);
}
