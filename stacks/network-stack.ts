import { TerraformOutput, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { AwsFactChecks } from "../modules/constructs/network/aws-fact-checks";
import { MultusPublicAccess } from "../modules/constructs/network/multus-public-access";
import { MultusReservations } from "../modules/constructs/network/multus-reservations";
import { NatGateways } from "../modules/constructs/network/nat-gateways";
import { PrefixReservations } from "../modules/constructs/network/prefix-reservations";
import { RouteTables } from "../modules/constructs/network/route-tables";
import { EksVpc } from "../modules/constructs/network/vpc";
import { ClusterSubnetTags } from "../modules/constructs/network/cluster-subnet-tags";
import { ExistingNetwork } from "../modules/constructs/network/existing-network";
import { SharedNetwork } from "../modules/constructs/network/shared-network";
import { SharedNetworkGuard } from "../modules/constructs/network/shared-network-guard";
import { subnetIdsOutputKey, type ZoneSubnetIds } from "../modules/constructs/network/zone-subnet-ids";
import { subnetKey, ZoneSubnets } from "../modules/constructs/network/zone-subnets";
import type { LoadedEnvironment } from "../modules/load/load";
import { controlPlaneZoneChecks, instanceTypeZones, plannedElasticIps } from "../modules/plan/aws-facts";
import { multusRanges } from "../modules/plan/multus-ranges";
import { ingressPermission, isPublicMultusSubnet, isPublicNetwork } from "../modules/plan/multus-public";
import { multusPublicSecurityGroupName } from "../modules/plan/names";
import { CLUSTER_NAME_TAG, CLUSTER_TAG_PREFIX } from "../modules/plan/labels";
import { zonesOf } from "../modules/plan/node-groups";
import { clusterSubnets, natGatewayZones } from "../modules/plan/placement";
import { podNetworkMode } from "../modules/plan/pod-network";
import { prefixReservationDescription, prefixReservations } from "../modules/plan/prefix-reservations";
import type { PlannedSubnet } from "../modules/plan/subnets";
import { PlanStack } from "./plan-stack";

interface BuiltNetwork {
  vpcId: string;
  zones: Record<string, ZoneSubnetIds>;
  multusPublicAccess?: MultusPublicAccess;
}

/**
 * The network the cluster runs in: the VPC, its subnets by role and AZ, gateways, routes and the
 * prefix reservations for pod /28 blocks when the environment creates them; else reads of another
 * environment's network or of an existing VPC. In every case, the cluster's own tag on the subnets it
 * uses, and the checks of what the plan assumes of the account (first stack: they run before anything
 * is created).
 */
export class NetworkStack extends PlanStack {
  readonly vpcId: string;
  /** Keyed by AZ, in the order of the environment file. */
  readonly zones: Record<string, ZoneSubnetIds> = {};
  /** The security groups of public Multus networks (absent without any). */
  readonly multusPublicAccess?: MultusPublicAccess;

  constructor(scope: Construct, id: string, environment: LoadedEnvironment) {
    super(scope, id, environment);
    const { env } = environment;
    const { network, cluster } = env;
    // Subnets carry one cluster tag per cluster in the VPC, each kept by that cluster's environment
    // (ClusterSubnetTags, aws_ec2_tag, which ignore_tags does not touch): without this, deploying
    // this stack would strip the other clusters' tags from the subnets it creates.
    this.aws.ignoreTags = [{ keyPrefixes: [CLUSTER_TAG_PREFIX] }];
    new AwsFactChecks(this, "aws-facts", {
      region: env.region,
      instanceTypes: instanceTypeZones(env),
      elasticIps: plannedElasticIps(env),
      ownTags: { [CLUSTER_NAME_TAG]: cluster.name },
      controlPlaneZones: controlPlaneZoneChecks(env),
    });
    const built = this.network(environment);
    this.vpcId = built.vpcId;
    Object.assign(this.zones, built.zones);
    this.multusPublicAccess = built.multusPublicAccess;
    new ClusterSubnetTags(this, "cluster-tags", {
      clusterName: cluster.name,
      subnets: clusterSubnets(env).map((s) => ({
        key: `${subnetKey(s.role, s.interfaceIndex ?? 1)}-${s.az}`,
        subnetId: this.subnetIdFor(s),
      })),
    });
    // Other environments may run in a VPC this one creates (network.from, or its id): its destroy waits
    // until none is left in it. Last, so it depends on every resource of the stack.
    if (network.source.kind === "own")
      new SharedNetworkGuard(this, "shared-network-guard", {
        vpcId: this.vpcId,
        region: env.region,
        clusterName: cluster.name,
        guarded: this.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource),
      });

    new TerraformOutput(this, "vpc_id", { value: this.vpcId, description: "VPC id" });
    new TerraformOutput(this, "vpc_cidrs", {
      value: [network.vpcCidr, ...network.secondaryCidrs],
      description: "VPC CIDR blocks, primary first",
    });
    new TerraformOutput(this, "subnet_ids", {
      value: this.subnetIdsByRole(),
      description: "Subnet ids by role, then AZ",
    });
  }

  private network(environment: LoadedEnvironment): BuiltNetwork {
    const { env } = environment;
    const { source } = env.network;
    switch (source.kind) {
      case "own":
        return this.ownNetwork(environment);
      case "shared":
        return new SharedNetwork(this, "shared-network", { owner: source.owner, network: env.network });
      case "existing":
        return new ExistingNetwork(this, "existing-network", {
          vpcId: source.vpcId,
          network: env.network,
          subnetIds: source.subnetIds,
          publicNodeZones: env.nodeGroups.filter((g) => g.subnet === "public").flatMap((g) => zonesOf(env, g)),
          podSubnetsDiscovered: podNetworkMode(env.cni) === "subnetDiscovery",
          environment: environment.name,
        });
    }
  }

  /** The VPC and everything in it, created here. */
  private ownNetwork(environment: LoadedEnvironment): BuiltNetwork {
    const { env } = environment;
    const { network, cluster, region } = env;
    const name = cluster.name;
    const vpc = new EksVpc(this, "vpc", {
      name,
      cidr: network.vpcCidr,
      secondaryCidrs: network.secondaryCidrs,
      ipamPoolId: network.ipamPoolId,
      region,
    });
    const zones = Object.entries(network.zones).map(
      ([az, plan]) =>
        new ZoneSubnets(this, `subnets-${az}`, {
          vpc,
          az,
          plan,
          name,
          publicMultusIndexes: (plan.multus ?? []).flatMap((_, i) =>
            isPublicMultusSubnet(env, az, i + 1) ? [i + 1] : [],
          ),
          podNetwork: podNetworkMode(env.cni),
        }),
    );
    const byAz = Object.fromEntries(zones.map((zone) => [zone.az, zone]));
    const nat = new NatGateways(this, "nat", { vpc, zones, hostZones: natGatewayZones(network), name });
    new RouteTables(this, "routes", { vpc, zones, nat, name });
    // The VPC's creator reserves its subnets' blocks (prefixReservations is empty in a VPC it did not create).
    const prefixBlocks = new PrefixReservations(this, "prefix-reservations", {
      reservations: prefixReservations(env),
      zones: byAz,
      description: prefixReservationDescription(cluster.name),
    });
    if (prefixBlocks.created.length > 0) {
      new TerraformOutput(this, "prefix_reservations", {
        value: prefixBlocks.created.map((r) => ({
          id: r.id,
          cidr: r.cidrBlock,
          subnet_role: r.reservation.subnet.role,
          availability_zone: r.reservation.subnet.az,
        })),
        description: "Subnet CIDR reservations of type prefix: the blocks pods' /28 prefixes come from",
      });
    }
    if (environment.env.multus) {
      const reservations = new MultusReservations(this, "multus-reservations", {
        ranges: multusRanges(environment.env),
        zones: byAz,
      });
      const byNetwork = Object.entries(reservations.byNetwork).map(([network, byZone]) => [
        network,
        Object.fromEntries(Object.entries(byZone).map(([az, r]) => [az, { id: r.id, cidr: r.cidrBlock }])),
      ]);
      new TerraformOutput(this, "multus_reservations", {
        value: Object.fromEntries(byNetwork),
        description: "Pod address range of each Multus network, by network, then AZ",
      });
      const publicNetworks = environment.env.multus.networks.filter(isPublicNetwork);
      if (publicNetworks.length > 0) {
        const multusPublicAccess = new MultusPublicAccess(this, "multus-public-access", {
          vpcId: vpc.vpcId,
          networks: publicNetworks.map((n) => ({
            network: n.name,
            securityGroupName: multusPublicSecurityGroupName(name, n.name),
            // Only what names the group: EC2 cannot change a description, so any other field here would
            // replace a group that ENIs hold.
            description: `Public interfaces of Multus network ${n.name} of ${name}`,
            ingress: (n.public?.allowFrom ?? []).map(ingressPermission),
          })),
        });
        const groups = publicNetworks.map((n) => [n.name, multusPublicAccess.securityGroupIdFor(n.name)]);
        new TerraformOutput(this, "multus_public_security_groups", {
          value: Object.fromEntries(groups),
          description: "Security group of each public Multus network, the only one on its interfaces",
        });
        return { vpcId: vpc.vpcId, zones: byAz, multusPublicAccess };
      }
    }
    return { vpcId: vpc.vpcId, zones: byAz };
  }

  /** The zones in the order of the environment file. */
  get zoneList(): ZoneSubnetIds[] {
    return Object.values(this.zones);
  }

  /** The subnet ids of planned subnets (role and AZ, Multus by interface index). */
  subnetIdsFor(planned: readonly PlannedSubnet[]): string[] {
    return planned.map((p) => this.subnetIdFor(p));
  }

  /** The id of one planned subnet; the plan and this stack are built from the same environment, so it exists. */
  subnetIdFor(p: Pick<PlannedSubnet, "role" | "az" | "interfaceIndex">): string {
    const id = this.zones[p.az]?.subnetIdFor(p.role, p.interfaceIndex);
    if (!id) throw new Error(`internal error: no ${p.role} subnet in ${p.az}`);
    return id;
  }

  /** What a sharing environment reads (SharedNetwork): ids by role (subnetIdsOutputKey), then AZ. */
  private subnetIdsByRole(): Record<string, Record<string, string | string[]>> {
    const byRole: Record<string, Record<string, string | string[]>> = {};
    const put = (role: PlannedSubnet["role"], az: string, id: string | string[]) =>
      ((byRole[subnetIdsOutputKey(role)] ??= {})[az] = id);
    for (const zone of this.zoneList) {
      for (const role of ["node", "public", "pod", "controlPlane"] as const) {
        const id = zone.subnetIdFor(role);
        if (id) put(role, zone.az, id);
      }
      if (zone.multusSubnetIds.length > 0) put("multus", zone.az, zone.multusSubnetIds);
    }
    return byRole;
  }
}
