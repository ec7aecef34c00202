export {
  CAP_VCPU_THRESHOLD,
  HOST_NETWORK_PODS,
  IPV4_ADDRESSES_PER_PREFIX,
  MAX_PODS_CAP_LARGE_NODE,
  MAX_PODS_CAP_SMALL_NODE,
  PREFIX_DELEGATION_MIN_CNI_VERSION,
  UnknownInstanceTypeError,
  cniSupportsPrefixDelegation,
  maxPodsFor,
  podSubnetAddresses,
  prefixesNeeded,
} from "./max-pods";
export type { CniSettings, MaxPods } from "./max-pods";
export {
  closeMatches,
  instanceTypeDataSources,
  instanceTypeInfo,
  isNitro,
  knownInstanceTypes,
} from "./instance-types";
export type { Hypervisor, InstanceTypeInfo } from "./instance-types";
export { cniSettingsOf, nodeGroupMaxPods } from "./node-group";
export type { NodeGroupMaxPods } from "./node-group";
