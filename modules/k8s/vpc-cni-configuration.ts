/**
 * The vpc-cni add-on's `configuration_values`, from the environment. Pure: the stack fills in the
 * subnet and security group ids (Terraform references) and encodes it with `jsonencode`. The shape
 * is the add-on's published configuration schema (`aws eks describe-addon-configuration`); every value
 * under `env` is a string, as the add-on requires, and so are enableNetworkPolicy and init.env's.
 *
 * Settings that are off are left out rather than written as "false", so an environment that does
 * not use a feature keeps the configuration it was deployed with (the add-on's default is off).
 */
import type { CniSpec } from "../environment/schema";
import { ZONE_LABEL } from "../plan/labels";
import { podNetworkMode } from "../plan/pod-network";

export interface PodSubnetRef {
  /** Subnet id of the AZ's pod subnet. */
  id: string;
  securityGroups: string[];
}

export interface VpcCniConfiguration {
  env: Record<string, string>;
  /** The VPC CNI enforces NetworkPolicy (its node agent in aws-node; the controller in the control plane). */
  enableNetworkPolicy?: "true";
  /** The aws-vpc-cni-init container's settings (the schema's InitEnv). */
  init?: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } };
  eniConfig?: {
    create: true;
    region: string;
    /** Keyed by AZ: the add-on names each ENIConfig after its key, which the zone label selects. */
    subnets: Record<string, PodSubnetRef>;
  };
}

export interface VpcCniConfigurationInput {
  cni: CniSpec;
  region: string;
  /** Pod subnet per AZ; required with custom networking, ignored otherwise. */
  podSubnets: Record<string, PodSubnetRef>;
}

export function vpcCniConfiguration({ cni, region, podSubnets }: VpcCniConfigurationInput): VpcCniConfiguration {
  const env: Record<string, string> = {
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: String(cni.customNetworking),
    ENABLE_PREFIX_DELEGATION: String(cni.prefixDelegation),
    AWS_VPC_K8S_CNI_EXTERNALSNAT: String(cni.externalSnat),
  };
  if (cni.customNetworking) env.ENI_CONFIG_LABEL_DEF = ZONE_LABEL;
  if (cni.warmPrefixTarget !== undefined) env.WARM_PREFIX_TARGET = String(cni.warmPrefixTarget);
  if (cni.warmIpTarget !== undefined) env.WARM_IP_TARGET = String(cni.warmIpTarget);
  if (cni.minimumIpTarget !== undefined) env.MINIMUM_IP_TARGET = String(cni.minimumIpTarget);
  const configuration: VpcCniConfiguration = { env };
  if (cni.podSecurityGroups) {
    // Branch ENIs for pods a SecurityGroupPolicy selects (VPC CNI README, ENABLE_POD_ENI and
    // POD_SECURITY_GROUP_ENFORCING_MODE).
    env.ENABLE_POD_ENI = "true";
    env.POD_SECURITY_GROUP_ENFORCING_MODE = cni.podSecurityGroups.enforcingMode;
    // In strict mode the kubelet's TCP probes reach a branch-ENI pod only with early demux off, which
    // the init container sets (README, DISABLE_TCP_EARLY_DEMUX; standard mode does not need it: EKS
    // user guide, security-groups-pods-deployment). The add-on takes it under init.env only.
    if (cni.podSecurityGroups.enforcingMode === "strict")
      configuration.init = { env: { DISABLE_TCP_EARLY_DEMUX: "true" } };
  }
  if (cni.networkPolicy) configuration.enableNetworkPolicy = "true";
  switch (podNetworkMode(cni)) {
    case "nodeSubnets":
      return configuration;
    case "customNetworking":
      // The checks require a pod subnet in every AZ with nodes.
      return { ...configuration, eniConfig: { create: true, region, subnets: podSubnets } };
    case "subnetDiscovery":
      // No ENIConfig and no ENABLE_SUBNET_DISCOVERY: the CNI turns discovery on by default from
      // 1.18.0 (the checks require at least that), and the v1.15.1 add-on schema has no such key.
      // The pod subnets carry the discovery tag instead (plan/subnet-tags.ts).
      return configuration;
  }
}
