/**
 * The VPC CNI as configured: aws-node's environment holds every setting the plan gives the add-on
 * (the same function builds both), and with custom networking there is one ENIConfig per AZ with a
 * pod subnet, named after the AZ (the zone label selects it), pointing at that AZ's pod subnet and
 * the cluster security group.
 */
import { vpcCniConfiguration } from "../../k8s/vpc-cni-configuration";
import { podNetworkMode } from "../../plan/pod-network";
import { plannedSubnets } from "../../plan/subnets";
import { clusterSecurityGroup, clusterSecurityGroupPrefix, liveSubnetFor, listed } from "../cluster-view";
import { compared, needed, okRow, wrongRow, type CheckDefinition, type VerifyRow } from "../report";

const REDEPLOY =
  "npm run deploy -- cni puts the add-on's configuration back (and a changed setting reaches running nodes only as they are replaced)";

export const awsNodeCheck: CheckDefinition = {
  id: "aws-node",
  title: "the VPC CNI's settings in aws-node",
  needs: ["awsNode"],
  run({ env, state }) {
    const daemonSet = needed(state, "awsNode");
    const container = daemonSet.spec.template.spec.containers.find((c) => c.name === "aws-node");
    const subject = "daemonset kube-system/aws-node";
    if (!container) {
      return {
        rows: [
          wrongRow(subject, "container aws-node", "none", "present", `the DaemonSet is not the VPC CNI's: ${REDEPLOY}`),
        ],
      };
    }
    const planned = vpcCniConfiguration({ cni: env.cni, region: env.region, podSubnets: {} }).env;
    const rows = Object.entries(planned).map(([name, value]) => {
      const entry = container.env?.find((e) => e.name === name);
      const found = entry === undefined ? "not set" : (entry.value ?? "set from a reference");
      return compared(entry?.value === value, subject, name, found, value, REDEPLOY);
    });
    return { rows };
  },
};

export const eniConfigsCheck: CheckDefinition = {
  id: "eniconfigs",
  title: "one per AZ, with its pod subnet and the cluster security group",
  needs: ["eniConfigs", "subnets", "networkInterfaces"],
  run({ env, state }) {
    const eniConfigs = needed(state, "eniConfigs");
    const mode = podNetworkMode(env.cni);
    switch (mode) {
      case "nodeSubnets":
      case "subnetDiscovery":
        return {
          rows: [],
          note: `no custom networking: ENIConfigs are not used${eniConfigs.length > 0 ? ` (${eniConfigs.length} present, ignored by the VPC CNI)` : ""}`,
        };
      case "customNetworking":
        break;
    }
    const subnets = needed(state, "subnets");
    const group = clusterSecurityGroup(env.cluster.name, needed(state, "networkInterfaces"));
    const podSubnets = plannedSubnets(env.network).filter((s) => s.role === "pod");
    const rows: VerifyRow[] = [];
    for (const planned of podSubnets) {
      const subject = `ENIConfig ${planned.az}`;
      const eniConfig = eniConfigs.find((e) => e.metadata.name === planned.az);
      if (!eniConfig) {
        rows.push(
          wrongRow(
            subject,
            "exists",
            "missing",
            `present: nodes in ${planned.az} take pod addresses from ${planned.cidr}`,
            `without it the VPC CNI gives nodes in ${planned.az} no pod addresses (pods stay ContainerCreating). ${REDEPLOY}`,
          ),
        );
        continue;
      }
      const live = liveSubnetFor(planned, subnets);
      const subnet = eniConfig.spec?.subnet ?? "not set";
      rows.push(
        compared(
          live !== undefined && subnet === live.SubnetId,
          subject,
          "subnet",
          subnet,
          live
            ? `${live.SubnetId} (pod subnet ${planned.cidr})`
            : `the pod subnet ${planned.cidr}, not found in the VPC`,
          REDEPLOY,
        ),
      );
      const groups = eniConfig.spec?.securityGroups ?? [];
      rows.push(
        compared(
          group !== undefined && groups.length === 1 && groups[0] === group.id,
          subject,
          "security groups",
          groups.length > 0 ? groups.join(", ") : "none",
          group
            ? `${group.id} (${group.name}, the cluster security group)`
            : `the cluster security group (${clusterSecurityGroupPrefix(env.cluster.name)}*), which no recorded interface carries`,
          `pods share the cluster security group with the nodes; ${REDEPLOY}`,
        ),
      );
    }
    const planned = new Set(podSubnets.map((s) => s.az));
    for (const extra of eniConfigs.filter((e) => !planned.has(e.metadata.name))) {
      rows.push(
        wrongRow(
          `ENIConfig ${extra.metadata.name}`,
          "exists",
          "present",
          `none: the plan's ENIConfigs are ${listed([...planned])}`,
          "an ENIConfig the plan does not make: a node labelled with its name would take pod addresses from its subnet. Delete it (kubectl delete eniconfig <name>)",
        ),
      );
    }
    if (rows.length === 0) rows.push(okRow("ENIConfigs", "count", "0", "0 (no pod subnets planned)"));
    return { rows };
  },
};
