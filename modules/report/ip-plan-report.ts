/**
 * The IP plan of a valid environment as data: per AZ and subnet, the range, what AWS leaves usable,
 * what the plan places there and how much room is left. `npm run ip-plan` prints it (as text or as
 * JSON) and the network diagram draws it, so both always show the same numbers.
 *
 * All arithmetic comes from capacity.ts, cidr.ts and max-pods; this file only arranges it.
 */
import type { LoadedEnvironment } from "../load/load";
import { formatPath } from "../environment/problems";
import type { Environment } from "../environment/schema";
import type { SurgeKind } from "../plan/address-demand";
import { capacityPlan, type SubnetDemand } from "../plan/capacity";
import { cidr } from "../plan/cidr";
import { cniReport, type CniReport } from "./cni-report";
import { nodeGroupMaxPods } from "../plan/node-group-max-pods";
import { isMultusGroup, zonesOf } from "../plan/node-groups";
import { nodePoolCount, nodePoolMaxPods } from "../plan/node-pools";
import { natGatewayZones } from "../plan/placement";
import { workloadAddresses, type AddressUse } from "../plan/public-addresses";
import { subnetPrefixReservations } from "../plan/prefix-reservations";
import { isPublicMultusSubnet } from "../plan/multus-public";
import { isPublicRole, vpcCidrs } from "../plan/subnets";
import { subnetReport, type SubnetReport } from "./ip-plan-subnets";

export type { CapacityReport, PlacementReport, SubnetReport } from "./ip-plan-subnets";
import { networkOrigin, type NetworkOrigin } from "./network-origin";

/** The JSON `npm run --silent ip-plan -- --json` prints. Fields are only added; a change of meaning bumps `schemaVersion`. */
export interface IpPlanReport {
  schemaVersion: 1;
  environment: { name: string; file: string; description?: string };
  region: string;
  cluster: { name: string; version: string };
  /**
   * Where the VPC comes from: created by this environment (`own`, optionally from an IPAM pool),
   * another environment's (`shared`: the subnets' numbers count this cluster's demand only) or an
   * existing VPC by id.
   */
  network: NetworkOrigin;
  /** The VPC's CIDR blocks, primary first. */
  vpcCidrs: Array<{ cidr: string; addresses: number; primary: boolean }>;
  /** Cluster IPs of Kubernetes Services: virtual, outside the VPC, never assigned to an interface. */
  serviceCidr: { cidr: string; addresses: number };
  /** Where NAT gateways are: `single` puts one in the first AZ, `perAz` one in every AZ. */
  nat: { mode: Environment["network"]["natGateways"]; zones: string[] };
  cni: CniReport;
  nodeGroups: NodeGroupReport[];
  /** Karpenter's node pools (none without a karpenter section). */
  nodePools: NodePoolReport[];
  /** In the order of the environment file. */
  zones: ZoneReport[];
  /** The Elastic IPs of public-IP pods, per workload in file order (empty without such pods). */
  publicAddresses: PublicAddressesReport[];
  /** Validation warnings (a valid environment has no errors). */
  /** `id` names the warning (acknowledgedWarnings); `acknowledged` is the file's reason when it acknowledges it. */
  warnings: Array<{ field: string; message: string; fix: string; id?: string; acknowledged?: string }>;
  /** The same warnings formatted as validation prints them (`file:line: warning: ...`); "" when none. */
  warningReport: string;
}

export interface NodeGroupReport {
  name: string;
  instanceType: string;
  minSize: number;
  desiredSize: number;
  maxSize: number;
  maxPods: number;
  /** `set` in the environment, or `recommended` for the instance type and CNI settings. */
  maxPodsSource: "set" | "recommended";
  /** Whether its pods take /28 prefixes (prefix delegation requested and supported by the instance type). */
  prefixDelegation: boolean;
  /** Security groups for pods: one of its ENIs is the trunk, which max pods does not count. */
  trunkEni: boolean;
  /** Pods per node that can have a branch ENI (their own security groups); 0 without a trunk. */
  branchInterfaces: number;
  /**
   * Of its pods per node, those the plan counts on branch ENIs (one single address each, in the
   * subnet of the trunk): the number, up to branchInterfaces, that takes the most room; 0 without a trunk.
   */
  branchPodsPerNode: number;
  /** The role of the subnets its nodes' primary interfaces are in. */
  subnet: "node" | "public";
  zones: string[];
  /** Nodes per AZ at maxSize: maxSize spread over the AZs, rounded up (what each subnet must hold). */
  nodesPerZone: number;
  surge: SurgeReport;
}

/** A Karpenter node pool as the plan counts it (plan/node-pools.ts). */
export interface NodePoolReport {
  name: string;
  /** The types its NodePool allows, smallest first, each with the max pods its nodes admit. */
  instanceTypes: Array<{ instanceType: string; maxPods: number }>;
  /** kubelet.maxPods of its EC2NodeClass (prefix delegation), or absent when Karpenter counts per type. */
  kubeletMaxPods?: number;
  limits: { cpu: number; memory: string; nodes?: number };
  /** The type counted, and the nodes: limits.cpu of it, one batch over; per AZ, since all may land in one. */
  countedInstanceType: string;
  nodesAtLimit: number;
  overrunNodes: number;
  nodesPerZone: number;
  /** Replacement nodes beside the old ones while Karpenter disrupts (its budget). */
  surgeNodesPerZone: number;
  subnet: "node" | "public";
  zones: string[];
}

/** Extra nodes per AZ beside the group's nodes at maxSize while it rolls or is replaced. */
export interface SurgeReport {
  /** A rollout (every AMI release): the larger of twice the group's AZs and maxUnavailable, per AZ. */
  rolloutNodesPerZone: number;
  /** A replacement of the whole group (create-before-destroy): its nodes again, per AZ. */
  replacementNodesPerZone: number;
  /** The larger, which the capacity figures count; 0 for Multus nodes. */
  nodesPerZone: number;
  kind: SurgeKind;
  /** Managed node groups are replaced create-before-destroy; Multus nodes all at once, destroy-before-create. */
  replacement: "createBeforeDestroy" | "destroyBeforeCreate";
}

export interface ZoneReport {
  az: string;
  natGateway: boolean;
  /** node, pod, public, controlPlane, then multus by interface index: the order the plan lists them. */
  subnets: SubnetReport[];
}

export interface PublicAddressesReport {
  /** namespace/name of the StatefulSet. */
  workload: string;
  replicas: number;
  /**
   * One per listed address, named after the pod that holds it: `pod` (ordinal below replicas),
   * `spare` (kept allocated for a scale-up) or `release` (given up on the next deploy).
   */
  addresses: Array<{ name: string; use: AddressUse }>;
}

export function ipPlanReport(loaded: LoadedEnvironment): IpPlanReport {
  const { env } = loaded;
  const plan = capacityPlan(env);
  const reservations = subnetPrefixReservations(plan);
  const natZones = natGatewayZones(env.network);
  const service = cidr(env.cluster.serviceCidr);
  return {
    schemaVersion: 1,
    environment: {
      name: loaded.name,
      file: loaded.file,
      ...(env.description === undefined ? {} : { description: env.description }),
    },
    region: env.region,
    cluster: { name: env.cluster.name, version: env.cluster.version },
    network: networkOrigin(env.network),
    vpcCidrs: vpcCidrs(env.network).map(({ cidr: text, path }) => ({
      cidr: text,
      addresses: cidr(text).size,
      primary: path.length === 2,
    })),
    serviceCidr: { cidr: service.text, addresses: service.size },
    nat: { mode: env.network.natGateways, zones: natZones },
    cni: cniReport(env.cni),
    nodeGroups: env.nodeGroups.map((group, index) => {
      const { maxPods, explicit, computed } = nodeGroupMaxPods(group, env);
      const placed = plan.placements.filter((p) => p.capacity.kind === "nodeGroup" && p.capacity.index === index);
      return {
        name: group.name,
        instanceType: group.instanceType,
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
        maxPods,
        maxPodsSource: explicit ? "set" : "recommended",
        prefixDelegation: computed.prefixDelegation,
        trunkEni: computed.trunkEni,
        branchInterfaces: computed.branchInterfaces,
        branchPodsPerNode: placed[0]?.demand.branchPods ?? 0,
        subnet: group.subnet,
        zones: placed.map((p) => p.az),
        nodesPerZone: placed[0]?.nodes ?? 0,
        surge: {
          rolloutNodesPerZone: placed[0]?.surge.rollout ?? 0,
          replacementNodesPerZone: placed[0]?.surge.replacement ?? 0,
          nodesPerZone: placed[0]?.surge.nodes ?? 0,
          kind: placed[0]?.surge.kind ?? "none",
          replacement: isMultusGroup(group) ? "destroyBeforeCreate" : "createBeforeDestroy",
        },
      };
    }),
    nodePools: (env.karpenter?.nodePools ?? []).map((pool): NodePoolReport => {
      const maxPods = nodePoolMaxPods(pool, env);
      const count = nodePoolCount(pool, env);
      return {
        name: pool.name,
        instanceTypes: maxPods.types.map((t) => ({ instanceType: t.instanceType, maxPods: t.maxPods })),
        ...(maxPods.kubeletMaxPods === undefined ? {} : { kubeletMaxPods: maxPods.kubeletMaxPods }),
        limits: { ...pool.limits },
        countedInstanceType: count?.instanceType ?? "",
        nodesAtLimit: count?.atLimit ?? 0,
        overrunNodes: count?.overrun ?? 0,
        nodesPerZone: count?.nodes ?? 0,
        surgeNodesPerZone: count?.surge ?? 0,
        subnet: pool.subnet,
        zones: zonesOf(env, pool),
      };
    }),
    zones: Object.keys(env.network.zones).map((az) => ({
      az,
      natGateway: natZones.includes(az),
      subnets: plan.subnets
        .filter((d) => d.subnet.az === az)
        .map((d) =>
          subnetReport(
            d,
            natZones,
            routesToInternetGateway(env, d),
            reservations.find((r) => r.demand === d),
          ),
        ),
    })),
    publicAddresses: env.workloads.publicIpPods.map((spec, i) => ({
      workload: `${spec.namespace}/${spec.name}`,
      replicas: spec.replicas,
      addresses: workloadAddresses(spec, i).map((a) => ({ name: a.name, use: a.use })),
    })),
    warnings: loaded.warnings.map((p) => ({
      field: formatPath(p.path),
      message: p.message,
      fix: p.fix,
      id: p.id,
      ...(p.acknowledged === undefined ? {} : { acknowledged: p.acknowledged }),
    })),
    warningReport: loaded.report,
  };
}

function routesToInternetGateway(env: Environment, d: SubnetDemand): boolean {
  const { role, az, interfaceIndex } = d.subnet;
  return isPublicRole(role) || (role === "multus" && isPublicMultusSubnet(env, az, interfaceIndex ?? 1));
}
