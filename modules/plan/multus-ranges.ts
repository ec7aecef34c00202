/**
 * Where Multus pods take their addresses: per network and AZ, the Multus subnet the network's
 * interface sits in and the block of it the environment gives the pods. The network stack reserves
 * that block (explicit subnet CIDR reservation: EC2 never hands it to an interface) and the
 * whereabouts IPAM hands out exactly the reserved addresses. Pure: no cdktf.
 */
import type { FieldPath } from "../environment/problems";
import type { Environment, MultusNetworkSpec } from "../environment/schema";
import { cidr, formatAddress, parseCidr } from "./cidr";

export interface MultusRange {
  network: MultusNetworkSpec;
  networkIndex: number;
  az: string;
  interfaceIndex: number;
  /** The AZ's Multus subnet of the network's interface. */
  subnetCidr: string;
  /** The block pods take addresses from: the CIDR reservation. */
  reservationCidr: string;
  /** First and last address of the reservation: whereabouts' range_start and range_end. */
  rangeStart: string;
  rangeEnd: string;
  /** The VPC router of the subnet (its base address + 1). */
  gateway: string;
  path: FieldPath;
}

/** The Multus subnet of an interface index in an AZ, if the plan has one. */
export function multusSubnetCidr(
  env: Pick<Environment, "network">,
  az: string,
  interfaceIndex: number,
): string | undefined {
  return env.network.zones[az]?.multus?.[interfaceIndex - 1];
}

/**
 * Every range of every network whose AZ has a Multus subnet of the network's interface and whose
 * CIDRs parse; the checks report the others. Environment order: networks, then AZs as written.
 */
export function multusRanges(env: Pick<Environment, "network" | "multus">): MultusRange[] {
  return (env.multus?.networks ?? []).flatMap((network, networkIndex) =>
    Object.entries(network.ranges).flatMap(([az, reservation]): MultusRange[] => {
      const subnetCidr = multusSubnetCidr(env, az, network.interfaceIndex);
      const block = parseCidr(reservation);
      if (!subnetCidr || !block.ok || !parseCidr(subnetCidr).ok) return [];
      const subnet = cidr(subnetCidr);
      return [
        {
          network,
          networkIndex,
          az,
          interfaceIndex: network.interfaceIndex,
          subnetCidr,
          reservationCidr: block.block.text,
          rangeStart: formatAddress(block.block.first),
          rangeEnd: formatAddress(block.block.last),
          gateway: formatAddress(subnet.first + 1),
          path: ["multus", "networks", networkIndex, "ranges", az],
        },
      ];
    }),
  );
}

/** Kernel name of the interface at a device index on AL2023 Nitro instances: PCI slot 5 + index, systemd slot naming. */
export const nitroInterfaceName = (deviceIndex: number): string => `ens${5 + deviceIndex}`;

/** The node interface a network's pod interfaces hang on: the one named, else AL2023's name for its device index. */
export const masterInterface = (network: Pick<MultusNetworkSpec, "master" | "interfaceIndex">): string =>
  network.master ?? nitroInterfaceName(network.interfaceIndex);
