/**
 * Pods: every pod that holds an address of its own has it where the pod network mode in force puts
 * it: with custom networking in the pod subnet of its node's AZ (the ENIConfig of that AZ), with
 * subnet discovery there or in its node's subnet, otherwise in the subnet of its node's primary interface. Services: every cluster IP lies in the service
 * range the cluster was created with.
 */
import type { Environment } from "../../environment/schema";
import { podNetworkMode } from "../../plan/pod-network";
import type { PlannedSubnet } from "../../plan/subnets";
import {
  describeSubnet,
  holdsPodAddress,
  inCidr,
  internalIp,
  plannedSubnetContaining,
  plannedSubnetOf,
  podKey,
  providerInstance,
  zoneLabel,
} from "../cluster-view";
import type { NodeObject, PodObject } from "../recorded-state";
import { compared, needed, okRow, wrongRow, type CheckDefinition, type VerifyRow } from "../report";

export const podsCheck: CheckDefinition = {
  id: "pods",
  title: "pod addresses where the pod network mode puts them",
  needs: ["pods", "nodes"],
  run({ env, state }) {
    const nodes = needed(state, "nodes");
    const rows: VerifyRow[] = [];
    const pods = needed(state, "pods").filter(holdsPodAddress);
    for (const pod of pods) {
      const node = nodes.find((n) => n.metadata.name === pod.spec?.nodeName);
      const where = expectedSubnet(env, pod, node);
      const subject = `pod ${podKey(pod)}`;
      const found = pod.status?.podIP ?? "";
      if (!where.subnet) {
        rows.push(wrongRow(subject, "address", found, where.reason, "the pod's node is outside the plan's subnets"));
        continue;
      }
      const actual = plannedSubnetContaining(env, found);
      rows.push(
        compared(
          inCidr(found, where.subnet.cidr),
          subject,
          "address",
          actual ? `${found} (${describeSubnet(actual)})` : found,
          `in ${where.subnet.cidr} (${describeSubnet(where.subnet)}, ${where.reason})`,
          fixFor(env),
        ),
      );
    }
    const note = pods.length === 0 ? "no pod holds an address of its own" : undefined;
    return { rows, note };
  },
};

/** Where the mode in force puts the address of a pod on this node. */
function expectedSubnet(
  env: Environment,
  pod: PodObject,
  node: NodeObject | undefined,
): { subnet?: PlannedSubnet; reason: string } {
  const nodeName = pod.spec?.nodeName ?? "its node";
  // The node's own subnet is where its primary address (the pod's hostIP) is.
  const nodeAddress = node ? internalIp(node) : pod.status?.hostIP;
  const nodeSubnet = plannedSubnetContaining(env, nodeAddress);
  const mode = podNetworkMode(env.cni);
  switch (mode) {
    case "customNetworking": {
      const az = (node && (providerInstance(node)?.az ?? zoneLabel(node))) ?? nodeSubnet?.az;
      const subnet = plannedSubnetOf(env, "pod", az);
      return subnet
        ? { subnet, reason: `custom networking: ${nodeName} is in ${az}` }
        : { reason: `a pod subnet in ${az ?? "the AZ of " + nodeName}, which the plan does not have` };
    }
    case "nodeSubnets":
      return nodeSubnet
        ? { subnet: nodeSubnet, reason: `no custom networking: the subnet of ${nodeName}'s primary address` }
        : {
            reason: `the subnet of ${nodeName} (${nodeAddress ?? "address unknown"}), which is not a subnet of the plan`,
          };
    case "subnetDiscovery": {
      // The primary ENI's pods are in the node's subnet; a further ENI's in either it or the AZ's tagged pod subnet.
      const podSubnet = plannedSubnetOf(env, "pod", nodeSubnet?.az);
      const found = pod.status?.podIP;
      if (podSubnet && found && inCidr(found, podSubnet.cidr))
        return { subnet: podSubnet, reason: `subnet discovery: a further ENI of ${nodeName} in ${podSubnet.az}` };
      return nodeSubnet
        ? { subnet: nodeSubnet, reason: `subnet discovery: ${nodeName}'s subnet or the tagged pod subnet of its AZ` }
        : {
            reason: `the subnet of ${nodeName} (${nodeAddress ?? "address unknown"}), which is not a subnet of the plan`,
          };
    }
  }
}

function fixFor(env: Environment): string {
  switch (podNetworkMode(env.cni)) {
    case "customNetworking":
      return "the pod got its address without the ENIConfig of its node's AZ: the node started before custom networking was configured (or aws-node lacks AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true). Replace the node; its pods are rescheduled with pod-subnet addresses";
    case "nodeSubnets":
      return "the pod's address is not from its node's subnet: an ENIConfig or custom networking is in force on that node though the plan has none. Check aws-node's settings and replace the node";
    case "subnetDiscovery":
      return "the pod's address is from neither its node's subnet nor the tagged pod subnet of its AZ: custom networking is in force on that node, or another subnet carries kubernetes.io/role/cni. Check aws-node's settings and the subnets' tags, and replace the node";
  }
}

export const servicesCheck: CheckDefinition = {
  id: "services",
  title: "cluster IPs in the service range",
  needs: ["services"],
  run({ env, state }) {
    const range = env.cluster.serviceCidr;
    const rows: VerifyRow[] = [];
    for (const service of needed(state, "services")) {
      const subject = `service ${service.metadata.namespace ?? "default"}/${service.metadata.name}`;
      const ips = service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : []);
      // Headless services ("None") and ExternalName services have no cluster IP; IPv6 ones are not planned here.
      for (const ip of ips.filter((v) => v !== "None" && v !== "" && !v.includes(":"))) {
        rows.push(
          inCidr(ip, range)
            ? okRow(subject, "cluster IP", ip, `in ${range} (cluster.serviceCidr)`)
            : wrongRow(
                subject,
                "cluster IP",
                ip,
                `in ${range} (cluster.serviceCidr)`,
                "the cluster hands out Service IPs from another range than the plan's: the service range is fixed at cluster creation, so this cluster was created with another serviceCidr. Set cluster.serviceCidr to the cluster's range, or recreate the cluster",
              ),
        );
      }
    }
    return { rows, note: rows.length === 0 ? "no Service has a cluster IP" : undefined };
  },
};
