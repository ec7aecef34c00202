/**
 * The IP plan of a valid environment as data: per AZ and subnet, the range, what AWS leaves usable,
 * what the plan places there and how much room is left. `npm run ip-plan` prints it (as text or as
 * JSON) and the network diagram draws it, so both always show the same numbers.
 *
 * All arithmetic comes from capacity.ts, cidr.ts and max-pods; this file only arranges it.
 */
import type { LoadedEnvironment } from "../load/load";
import { formatPath } from "../environment/problems";
import type { CniSpec, Environment } from "../environment/schema";
import {
  addressesNeeded,
  capacityPlan,
  prefixBlocksNeeded,
  takesPodPrefixes,
  type FixedAddress,
  type NodePlacement,
  type SubnetDemand,
} from "../plan/capacity";
import { cidr } from "../plan/cidr";
import { nodeGroupMaxPods } from "../plan/node-group-max-pods";
import { natGatewayZones } from "../plan/placement";
import { workloadAddresses, type AddressUse } from "../plan/public-addresses";
import { podNetworkLabel, podNetworkMode } from "../plan/pod-network";
import { isPublicMultusSubnet } from "../plan/multus-public";
import { isPublicRole, vpcCidrs, type SubnetRole } from "../plan/subnets";

/** The JSON `npm run --silent ip-plan -- --json` prints. Fields are only added; a change of meaning bumps `schemaVersion`. */
export interface IpPlanReport {
  schemaVersion: 1;
  environment: { name: string; file: string; description?: string };
  region: string;
  cluster: { name: string; version: string };
  /** The VPC's CIDR blocks, primary first. */
  vpcCidrs: Array<{ cidr: string; addresses: number; primary: boolean }>;
  /** Cluster IPs of Kubernetes Services: virtual, outside the VPC, never assigned to an interface. */
  serviceCidr: { cidr: string; addresses: number };
  /** Where NAT gateways are: `single` puts one in the first AZ, `perAz` one in every AZ. */
  nat: { mode: Environment["network"]["natGateways"]; zones: string[] };
  cni: CniReport;
  nodeGroups: NodeGroupReport[];
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

export interface CniReport {
  customNetworking: boolean;
  /** As requested; a node group's own `prefixDelegation` says whether it applies to its instance type. */
  prefixDelegation: boolean;
  externalSnat: boolean;
  warmPrefixTarget?: number;
  warmIpTarget?: number;
  minimumIpTarget?: number;
  /** e.g. "custom networking, prefix delegation" or "secondary IPs, external SNAT". */
  mode: string;
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
  /** The role of the subnets its nodes' primary interfaces are in. */
  subnet: "node" | "public";
  zones: string[];
  /** Nodes per AZ at maxSize: maxSize spread over the AZs, rounded up (what each subnet must hold). */
  nodesPerZone: number;
}

export interface ZoneReport {
  az: string;
  natGateway: boolean;
  /** node, pod, public, controlPlane, then multus by interface index: the order the plan lists them. */
  subnets: SubnetReport[];
}

export interface SubnetReport {
  role: SubnetRole;
  cidr: string;
  /** Multus subnets only: the extra interface (1-based) the subnet serves. */
  interfaceIndex?: number;
  /** Addresses left after AWS's 5 reserved ones. */
  usable: number;
  /** Aligned /28 blocks clear of AWS's reserved addresses: what prefix delegation can hand out. */
  free28Blocks: number;
  /** Pods take /28 prefixes here; capacity is then counted in /28 blocks. */
  prefixDelegation: boolean;
  natGateway: boolean;
  /** Its default route goes to the internet gateway (public subnets, public Multus networks' subnets), else to NAT. */
  routesToInternetGateway: boolean;
  /** Node groups with nodes or pods here, nodes counted at maxSize. */
  placements: PlacementReport[];
  demand: {
    /** Primary addresses of node interfaces: the nodes' own and the ENIs added for pods. */
    interfaceAddresses: number;
    /** Pod addresses in secondary-IP mode. */
    podAddresses: number;
    /** /28 prefixes for pods under prefix delegation. */
    podPrefixes: number;
    /** NAT gateway (public subnets) or the free addresses EKS wants for control-plane ENIs. */
    infrastructure: number;
    /** Multus pod ranges reserved here (explicit CIDR reservations), by network. */
    reservations: Array<{ network: string; cidr: string; addresses: number }>;
    /**
     * A public Multus network's fixed addresses here, inside its reservation: per node slot, the
     * address of its ENI, and the pod (namespace/name) that takes it with its Elastic IP's name.
     */
    fixedAddresses: FixedAddress[];
    /** All of it in addresses, a prefix counted as 16. */
    addresses: number;
  };
  capacity: CapacityReport;
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

export interface PlacementReport {
  group: string;
  instanceType: string;
  nodes: number;
  maxPods: number;
  /** `nodes`: primary interfaces here; `pods`: their pods' addresses; `nodes and pods`: both (no custom networking). */
  holds: "nodes" | "pods" | "nodes and pods";
}

export interface CapacityReport {
  /** `/28 blocks` where pods take prefixes, else `addresses`. */
  unit: "addresses" | "/28 blocks";
  available: number;
  used: number;
  /** available - used; negative when the plan asks for more than the subnet has (then validation warns). */
  free: number;
  /** free / available in percent, rounded down so it never overstates the room. */
  headroomPercent: number;
}

export function ipPlanReport(loaded: LoadedEnvironment): IpPlanReport {
  const { env } = loaded;
  const plan = capacityPlan(env);
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
      const placed = plan.placements.filter((p) => p.groupIndex === index);
      return {
        name: group.name,
        instanceType: group.instanceType,
        minSize: group.minSize,
        desiredSize: group.desiredSize,
        maxSize: group.maxSize,
        maxPods,
        maxPodsSource: explicit ? "set" : "recommended",
        prefixDelegation: computed.prefixDelegation,
        subnet: group.subnet,
        zones: placed.map((p) => p.az),
        nodesPerZone: placed[0]?.nodes ?? 0,
      };
    }),
    zones: Object.keys(env.network.zones).map((az) => ({
      az,
      natGateway: natZones.includes(az),
      subnets: plan.subnets
        .filter((d) => d.subnet.az === az)
        .map((d) => subnetReport(d, natZones, routesToInternetGateway(env, d))),
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

/** The CNI mode in words, as the report and the diagram title show it. */
export function cniModeLabel(cni: Pick<CniSpec, "customNetworking" | "prefixDelegation" | "externalSnat">): string {
  return [
    podNetworkLabel(podNetworkMode(cni)),
    cni.prefixDelegation ? "prefix delegation" : "secondary IPs",
    cni.externalSnat && "external SNAT",
  ]
    .filter(Boolean)
    .join(", ");
}

function cniReport(cni: CniSpec): CniReport {
  const optional = (key: "warmPrefixTarget" | "warmIpTarget" | "minimumIpTarget") =>
    cni[key] === undefined ? {} : { [key]: cni[key] };
  return {
    customNetworking: cni.customNetworking,
    prefixDelegation: cni.prefixDelegation,
    externalSnat: cni.externalSnat,
    ...optional("warmPrefixTarget"),
    ...optional("warmIpTarget"),
    ...optional("minimumIpTarget"),
    mode: cniModeLabel(cni),
  };
}

function routesToInternetGateway(env: Environment, d: SubnetDemand): boolean {
  const { role, az, interfaceIndex } = d.subnet;
  return isPublicRole(role) || (role === "multus" && isPublicMultusSubnet(env, az, interfaceIndex ?? 1));
}

function subnetReport(d: SubnetDemand, natZones: string[], internetGateway: boolean): SubnetReport {
  const prefixDelegation = takesPodPrefixes(d);
  const available = prefixDelegation ? d.free28Blocks : d.usable;
  const used = prefixDelegation ? prefixBlocksNeeded(d) : addressesNeeded(d);
  return {
    role: d.subnet.role,
    cidr: d.subnet.cidr,
    ...(d.subnet.interfaceIndex === undefined ? {} : { interfaceIndex: d.subnet.interfaceIndex }),
    usable: d.usable,
    free28Blocks: d.free28Blocks,
    prefixDelegation,
    natGateway: d.subnet.role === "public" && natZones.includes(d.subnet.az),
    routesToInternetGateway: internetGateway,
    placements: d.placements.map((p) => placementReport(p, d)),
    demand: {
      interfaceAddresses: d.interfaceAddresses,
      podAddresses: d.podAddresses,
      podPrefixes: d.podPrefixes,
      infrastructure: d.infrastructure,
      reservations: d.reservations,
      fixedAddresses: d.fixedAddresses,
      addresses: addressesNeeded(d),
    },
    capacity: {
      unit: prefixDelegation ? "/28 blocks" : "addresses",
      available,
      used,
      free: available - used,
      headroomPercent: available === 0 ? 0 : Math.floor(((available - used) * 100) / available),
    },
  };
}

function placementReport(p: NodePlacement, d: SubnetDemand): PlacementReport {
  const nodesHere = p.nodeSubnet === d.subnet;
  const podsHere = p.podSubnet === d.subnet;
  return {
    group: p.group.name,
    instanceType: p.group.instanceType,
    nodes: p.nodes,
    maxPods: p.maxPods,
    holds: nodesHere && podsHere ? "nodes and pods" : nodesHere ? "nodes" : "pods",
  };
}
