/**
 * Every name the plan gives a thing (built by names.ts), listed with its kind and the fields it is
 * made of, for the checks to judge in one loop: a name added to the plan is checked the day it is
 * added, and a test proves every name in the synthesized output is listed here.
 */
import { formatPath, type FieldPath } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { multusRanges } from "./multus-ranges";
import { isPublicNetwork, isPublicWorkload, multusPublicPods, multusSlotAddresses } from "./multus-public";
import {
  attachmentName,
  BOOTCAMP_NAME,
  clusterRoleName,
  controlPlaneLogGroup,
  eipAssociatorName,
  eipAssociatorRoleName,
  ipAssignerName,
  ipAssignerRoleName,
  launchTemplateName,
  localStatePath,
  nodeGroupNamePrefix,
  multusDeploymentName,
  multusNetworksRelease,
  multusNodeRoleName,
  multusPublicSecurityGroupName,
  MULTUS_RELEASES,
  publicAttachmentName,
  nodeRoleName,
  outputFolder,
  podSecurityGroupName,
  POD_SECURITY_GROUPS_RELEASE,
  secretsKeyAlias,
  STACKS,
  stateKey,
  stateWorkspaceName,
  vpcCniRoleName,
} from "./names";
import { isMultusGroup } from "./node-groups";
import { nodeSlots } from "./node-slots";
import { multusPodsPlacement } from "./placement";
import { workloadAddresses } from "./public-addresses";

/** What a name must satisfy is decided by its kind (checks/names.ts has the rules). */
export type NameKind =
  | "iamRole"
  | "instanceProfile"
  | "kmsAlias"
  | "logGroup"
  | "launchTemplateName"
  | "nodeGroupNamePrefix"
  | "hcpWorkspace"
  | "s3Key"
  | "localStatePath"
  | "fileName"
  | "tagValue"
  | "helmRelease"
  | "kubernetesNamespace"
  | "kubernetesLabelName"
  | "kubernetesServiceName"
  | "statefulSetName"
  | "kubernetesObjectName"
  | "securityGroup"
  | "nameTag";

export interface PlannedName {
  kind: NameKind;
  value: string;
  /** What it names, e.g. "IAM role of the VPC CNI". */
  what: string;
  /** The fields it is made of, as a reader finds them in the file (`cluster.name`, ...). */
  madeOf: string[];
  /** Where a problem with it is reported: the field it depends on most. */
  path: FieldPath;
}

/** How a reader finds the environment's name: the `name` field, else the file's base name. */
const environmentNameField = (env: Environment): string =>
  env.name === undefined ? "the file name (the environment's name while `name` is not set)" : "name";

/** Every name the plan gives a thing, with what it is made of. */
export function plannedNames(env: Environment, environment: string): PlannedName[] {
  const names: PlannedName[] = [];
  const add = (kind: NameKind, value: string, what: string, path: FieldPath, madeOf: string[]) =>
    names.push({ kind, value, what, path, madeOf });
  const cluster = env.cluster.name;
  const byCluster = (kind: NameKind, value: string, what: string, more: string[] = []) =>
    add(kind, value, what, ["cluster", "name"], ["cluster.name", ...more]);

  byCluster("iamRole", clusterRoleName(cluster), "IAM role of the EKS control plane");
  byCluster("iamRole", nodeRoleName(cluster), "IAM role of the nodes");
  byCluster("iamRole", vpcCniRoleName(cluster), "IAM role of the VPC CNI");
  byCluster("kmsAlias", secretsKeyAlias(cluster), "KMS alias of the Secrets key");
  byCluster("logGroup", controlPlaneLogGroup(cluster), "CloudWatch log group of the control plane");
  env.nodeGroups.forEach((group, i) => {
    if (isMultusGroup(group)) return;
    add(
      "nodeGroupNamePrefix",
      nodeGroupNamePrefix(group.name),
      `EKS node group ${group.name}`,
      ["nodeGroups", i, "name"],
      [`nodeGroups[${i}].name`],
    );
    byCluster(
      "launchTemplateName",
      launchTemplateName(cluster, group.name),
      `launch template of node group ${group.name}`,
      [`nodeGroups[${i}].name`],
    );
  });
  if (env.nodeGroups.some(isMultusGroup)) {
    byCluster("iamRole", multusNodeRoleName(cluster), "IAM role of the Multus nodes");
    byCluster("instanceProfile", multusNodeRoleName(cluster), "instance profile of the Multus nodes");
    for (const slot of nodeSlots(env)) {
      byCluster(
        "launchTemplateName",
        launchTemplateName(cluster, slot.name),
        `launch template of Multus node ${slot.name}`,
        [`nodeGroups[${slot.groupIndex}].name`],
      );
    }
  }

  const namespace = (value: string, at: FieldPath) =>
    add("kubernetesNamespace", value, `namespace ${value}`, at, [formatPath(at)]);
  const securityGroupPolicies = env.cni.podSecurityGroups?.policies ?? [];
  securityGroupPolicies.forEach((policy, i) => {
    const at: FieldPath = ["cni", "podSecurityGroups", "policies", i, "name"];
    byCluster("securityGroup", podSecurityGroupName(cluster, policy.name), `security group of policy ${policy.name}`, [
      formatPath(at),
    ]);
    add("kubernetesObjectName", policy.name, `SecurityGroupPolicy ${policy.name}`, at, [formatPath(at)]);
    namespace(policy.namespace, ["cni", "podSecurityGroups", "policies", i, "namespace"]);
  });
  if (securityGroupPolicies.length > 0) {
    const what = "helm release of the SecurityGroupPolicy objects (one per namespace)";
    add("helmRelease", POD_SECURITY_GROUPS_RELEASE, what, ["cni", "podSecurityGroups", "policies"], []);
  }

  const { bootcamp, publicIpPods, multusPods } = env.workloads;
  if (bootcamp) {
    add("helmRelease", BOOTCAMP_NAME, "helm release of the sample workload", ["workloads", "bootcamp"], []);
    namespace(bootcamp.namespace, ["workloads", "bootcamp", "namespace"]);
  }
  publicIpPods.forEach((spec, i) => {
    const at: FieldPath = ["workloads", "publicIpPods", i, "name"];
    const field = `workloads.publicIpPods[${i}].name`;
    namespace(spec.namespace, ["workloads", "publicIpPods", i, "namespace"]);
    add("helmRelease", spec.name, `helm release of public-IP pods ${spec.name}`, at, [field]);
    add("statefulSetName", spec.name, `StatefulSet of public-IP pods ${spec.name}`, at, [field]);
    add("kubernetesServiceName", spec.name, `headless Service of public-IP pods ${spec.name}`, at, [field]);
    byCluster("iamRole", eipAssociatorRoleName(cluster, spec.name), `IAM role of the eip-associator of ${spec.name}`, [
      field,
    ]);
    add(
      "kubernetesObjectName",
      eipAssociatorName(spec.name),
      `service account and ConfigMap of the eip-associator of ${spec.name}`,
      at,
      [field],
    );
    for (const address of workloadAddresses(spec, i).filter((a) => !a.release)) {
      const addressAt: FieldPath =
        address.entryIndex === undefined ? at : ["workloads", "publicIpPods", i, "addresses", address.entryIndex];
      add("kubernetesLabelName", address.name, `pod ${address.name} (the name of its Elastic IP)`, addressAt, [
        address.entryIndex === undefined ? field : `workloads.publicIpPods[${i}].addresses[${address.entryIndex}]`,
      ]);
    }
  });
  if (env.multus) {
    for (const release of Object.values(MULTUS_RELEASES))
      add("helmRelease", release, `helm release ${release}`, ["multus"], []);
    env.multus.networks.forEach((network, i) => namespace(network.namespace, ["multus", "networks", i, "namespace"]));
    const namespaces = [...new Set(multusRanges(env).map((r) => r.network.namespace))];
    namespaces.forEach((namespace) =>
      add(
        "helmRelease",
        multusNetworksRelease(namespace),
        `helm release of the Multus networks in ${namespace}`,
        ["multus", "networks"],
        ["multus.networks[].namespace"],
      ),
    );
    env.multus.networks.forEach((network, i) => {
      if (!isPublicNetwork(network)) return;
      byCluster(
        "securityGroup",
        multusPublicSecurityGroupName(cluster, network.name),
        `security group of public Multus network ${network.name}`,
        [`multus.networks[${i}].name`],
      );
    });
    for (const a of multusSlotAddresses(env)) {
      add(
        "kubernetesLabelName",
        publicAttachmentName(a.network.name, a.slot.name),
        `NetworkAttachmentDefinition of ${a.network.name} on node ${a.slot.name}`,
        ["multus", "networks", a.networkIndex, "name"],
        [`multus.networks[${a.networkIndex}].name`, `nodeGroups[${a.slot.groupIndex}].name`],
      );
    }
    for (const range of multusRanges(env).filter((r) => !isPublicNetwork(r.network))) {
      add(
        "kubernetesLabelName",
        attachmentName(range.network.name, range.az),
        `NetworkAttachmentDefinition of ${range.network.name} in ${range.az}`,
        ["multus", "networks", range.networkIndex, "name"],
        [`multus.networks[${range.networkIndex}].name`, "the AZ"],
      );
    }
  }
  multusPods.forEach((spec, i) => {
    const at: FieldPath = ["workloads", "multusPods", i, "name"];
    const field = `workloads.multusPods[${i}].name`;
    namespace(spec.namespace, ["workloads", "multusPods", i, "namespace"]);
    add("helmRelease", spec.name, `helm release of Multus pods ${spec.name}`, at, [field]);
    byCluster("iamRole", ipAssignerRoleName(cluster, spec.name), `IAM role of the ip-assigner of ${spec.name}`, [
      field,
    ]);
    add(
      "kubernetesObjectName",
      ipAssignerName(spec.name),
      `service account, ConfigMap, Roles and admission policy of the ip-assigner of ${spec.name}`,
      at,
      [field],
    );
    if (isPublicWorkload(env, spec)) return;
    for (const az of multusPodsPlacement(env, spec).zones) {
      add("kubernetesLabelName", multusDeploymentName(spec.name, az), `Deployment of ${spec.name} in ${az}`, at, [
        field,
        "the AZ",
      ]);
    }
  });
  for (const pod of multusPublicPods(env)) {
    const at: FieldPath = ["workloads", "multusPods", pod.workloadIndex, "name"];
    const field = `workloads.multusPods[${pod.workloadIndex}].name`;
    const slotField = `nodeGroups[${pod.slot.groupIndex}].name`;
    add("statefulSetName", pod.statefulSet, `StatefulSet of ${pod.spec.name} on node ${pod.slot.name}`, at, [
      field,
      slotField,
    ]);
    for (const { slotAddress, publicIpName } of pod.addresses.filter((a) => !a.released)) {
      add("nameTag", publicIpName, `Name tag of the Elastic IP of ${pod.podKey} on ${slotAddress.network.name}`, at, [
        field,
        slotField,
        `multus.networks[${slotAddress.networkIndex}].name`,
      ]);
    }
  }

  const ENVIRONMENT_NAME = environmentNameField(env);
  const byName = (kind: NameKind, value: string, what: string, more: string[] = []) =>
    add(kind, value, what, ["name"], [ENVIRONMENT_NAME, ...more]);
  byName(
    "fileName",
    environment,
    "folder of the environment's local state and HCL export (terraform-state/<name>, hcl/<name>)",
  );
  byName("fileName", outputFolder(environment), "output folder of npm run synth, deploy and destroy");
  byName("tagValue", environment, "Environment tag on every AWS resource");

  const { backend } = env;
  for (const stack of STACKS) {
    switch (backend.type) {
      case "local":
        add(
          "localStatePath",
          localStatePath(backend.directory, environment, stack),
          `local state of the ${stack} stack`,
          ["backend", "directory"],
          ["backend.directory", ENVIRONMENT_NAME],
        );
        break;
      case "cloud":
        add(
          "hcpWorkspace",
          stateWorkspaceName(backend.workspacePrefix, environment, stack),
          `HCP Terraform workspace of the ${stack} stack`,
          ["backend", "workspacePrefix"],
          ["backend.workspacePrefix", ENVIRONMENT_NAME],
        );
        break;
      case "s3":
        add(
          "s3Key",
          stateKey(backend.keyPrefix, environment, stack),
          `S3 state key of the ${stack} stack`,
          ["backend", "keyPrefix"],
          ["backend.keyPrefix", ENVIRONMENT_NAME],
        );
        break;
    }
  }
  // Name tags are ours too, but a cluster name of at most 100 characters keeps them far inside the
  // 256 characters AWS allows for a tag value.
  return names;
}
