/** Where an environment's VPC comes from, as the IP plan report and the diagram say it. */
import type { Environment } from "../environment/schema";

export type NetworkOrigin =
  | { source: "own"; ipamPoolId?: string }
  | { source: "shared"; from: string; owner: { name: string; file: string; cluster: string } }
  | { source: "existing"; vpcId: string };

export function networkOrigin(network: Environment["network"]): NetworkOrigin {
  const { source } = network;
  switch (source.kind) {
    case "own":
      return { source: "own", ...(network.ipamPoolId === undefined ? {} : { ipamPoolId: network.ipamPoolId }) };
    case "shared":
      return {
        source: "shared",
        from: source.from,
        owner: { name: source.owner.name, file: source.owner.file, cluster: source.owner.clusterName },
      };
    case "existing":
      return { source: "existing", vpcId: source.vpcId };
  }
}

/** The VPC's origin in words, as the report and the diagram show it; "" for a VPC of its own without IPAM. */
export function networkOriginPhrase(r: { network: NetworkOrigin; cluster: { name: string } }): string {
  const { network } = r;
  switch (network.source) {
    case "own":
      return network.ipamPoolId ? `created here, its block allocated from IPAM pool ${network.ipamPoolId}` : "";
    case "shared":
      return `${network.owner.name}'s (${network.owner.file}), shared with its cluster ${network.owner.cluster}; subnet numbers count ${r.cluster.name}'s demand`;
    case "existing":
      return `existing VPC ${network.vpcId}, created outside this project; its routes are its owner's`;
  }
}
