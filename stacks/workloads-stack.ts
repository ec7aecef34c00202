import { TerraformOutput, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { ManifestsRelease } from "../modules/constructs/kubernetes/manifests-release";
import { MultusWorkload } from "../modules/constructs/multus/multus-workload";
import { EipAssociatorRole } from "../modules/constructs/workloads/eip-associator-role";
import { PodElasticIp } from "../modules/constructs/workloads/pod-elastic-ip";
import { podPublicIpsOutput, VPC_CNI_NETWORK, type PodPublicIp } from "../modules/constructs/workloads/pod-public-ips";
import { PodSecurityGroups } from "../modules/constructs/workloads/pod-security-groups";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import { bootcampNetworkPolicy } from "../modules/k8s/bootcamp-network-policy";
import { securityGroupPolicy } from "../modules/k8s/security-group-policies";
import { publicIpPodObjects } from "../modules/k8s/public-ip-pods";
import type { LoadedEnvironment } from "../modules/load/load";
import { awsCliImage } from "../modules/plan/images";
import {
  BOOTCAMP_NAME,
  eipAssociatorName,
  eipAssociatorRoleName,
  POD_SECURITY_GROUPS_RELEASE,
} from "../modules/plan/names";
import { multusRanges } from "../modules/plan/multus-ranges";
import { multusPublicPods } from "../modules/plan/multus-public";
import { multusPodsPlacement, publicIpNodeGroups } from "../modules/plan/placement";
import { podCredentialsMode } from "../modules/plan/pod-credentials";
import { podSecurityGroupsPlan } from "../modules/plan/pod-security-groups";
import { workloadAddresses } from "../modules/plan/public-addresses";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import type { NodesStack } from "./nodes-stack";
import { PlanStack } from "./plan-stack";

export interface WorkloadsStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly nodes: NodesStack;
}

/**
 * The security groups for pods and their SecurityGroupPolicy objects first, then the sample workload
 * (with its NetworkPolicy when the VPC CNI enforces them), the pods that each own a fixed public
 * Elastic IP, and the Multus example pods.
 */
export class WorkloadsStack extends PlanStack {
  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: WorkloadsStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { cluster } = props;
    new ClusterProviders(this, "cluster", { ...cluster.connection, auth: env.cluster.kubernetesAuth });
    // Workloads need running nodes; reading the node groups' names orders this stack after nodes.
    this.addDependency(props.nodes);

    // A pod gets its security groups when it is created, so the policies go in before any workload.
    const groups = podSecurityGroupsPlan(env);
    const securityGroupPolicies: ITerraformDependable[] = [];
    if (groups.length > 0) {
      const securityGroups = new PodSecurityGroups(this, "pod-security-groups", {
        groups,
        vpcId: props.network.vpcId,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
      });
      for (const namespace of [...new Set(groups.map((g) => g.policy.namespace))]) {
        const release = new ManifestsRelease(this, `pod-security-groups-${namespace}`, {
          name: POD_SECURITY_GROUPS_RELEASE,
          namespace,
          objects: groups
            .filter((g) => g.policy.namespace === namespace)
            .map((g) => securityGroupPolicy(g.policy, securityGroups.groupIdsFor(g.policy.name))),
        });
        securityGroupPolicies.push(release.dependable);
      }
      new TerraformOutput(this, "pod_security_group_ids", {
        value: securityGroups.securityGroupIds,
        description:
          "Security group of each SecurityGroupPolicy, by namespace/name (for rules of other groups, such as a database's)",
      });
    }
    const afterPolicies = securityGroupPolicies.length > 0 ? { dependsOn: securityGroupPolicies } : {};

    const { bootcamp, publicIpPods, multusPods } = env.workloads;
    if (bootcamp) {
      new ManifestsRelease(this, "bootcamp", {
        name: BOOTCAMP_NAME,
        namespace: bootcamp.namespace,
        objects: [bootcampDeployment(bootcamp), ...(env.cni.networkPolicy ? [bootcampNetworkPolicy(bootcamp)] : [])],
        ...afterPolicies,
      });
    }
    // Every public address of a pod, on eth0 or another network: the pod_public_ips output.
    const publicIps: PodPublicIp[] = [];
    let policies: AwsManagedPolicies | undefined;
    const managedPolicies = () => (policies ??= new AwsManagedPolicies(this, "policies"));
    publicIpPods.forEach((spec, i) => {
      // One Elastic IP per listed address, kept whatever replicas says; released ones are left out.
      const addresses = workloadAddresses(spec, i)
        .filter((a) => !a.release)
        .map(
          (a) =>
            new PodElasticIp(this, `eip-${spec.namespace}-${a.name}`, {
              podName: a.name,
              namespace: spec.namespace,
              workload: spec.name,
            }),
        );
      publicIps.push(...addresses.map((a) => ({ pod: a.podKey, network: VPC_CNI_NETWORK, publicIp: a.publicIp })));
      const role = new EipAssociatorRole(this, `eip-associator-${spec.namespace}-${spec.name}`, {
        name: eipAssociatorRoleName(env.cluster.name, spec.name),
        clusterName: env.cluster.name,
        region: env.region,
        vpcId: props.network.vpcId,
        namespace: spec.namespace,
        workload: spec.name,
        serviceAccount: eipAssociatorName(spec.name),
        credentials: cluster.podCredentials,
        policies: managedPolicies(),
      });
      new ManifestsRelease(this, `public-ip-${spec.name}`, {
        name: spec.name,
        namespace: spec.namespace,
        objects: publicIpPodObjects({
          spec,
          nodeGroups: publicIpNodeGroups(env, spec),
          serviceAccountAnnotations: role.serviceAccountAnnotations,
          credentialsMode: podCredentialsMode(cluster.podCredentials),
          sidecar: {
            image: awsCliImage(spec.awsCliVersion),
            region: env.region,
            clusterName: env.cluster.name,
            vpcId: props.network.vpcId,
          },
        }),
        // Nothing waits for the pods: a pod that is Pending or cannot get its address shows in its own
        // status and log, and fails no deploy. The sidecar's permissions come first, so that pods
        // starting with this release can associate their addresses at once.
        wait: false,
        dependsOn: [...role.dependables, ...securityGroupPolicies],
      });
    });
    if (multusPods.length > 0 && env.multus) {
      const publicPods = multusPublicPods(env);
      for (const spec of multusPods) {
        const workload = new MultusWorkload(this, `multus-${spec.namespace}-${spec.name}`, {
          spec,
          placement: multusPodsPlacement(env, spec),
          ranges: multusRanges(env),
          clusterName: env.cluster.name,
          region: env.region,
          sidecarImage: awsCliImage(env.multus.awsCliVersion),
          credentials: cluster.podCredentials,
          enis: props.nodes.multusInterfaces,
          policies: managedPolicies(),
          publicPods: publicPods.filter((p) => p.spec === spec),
          interfaceIdFor: (slot, deviceIndex) => props.nodes.multusInterfaceIdFor(slot, deviceIndex),
          ...afterPolicies,
        });
        publicIps.push(...workload.publicIps);
      }
    }
    podPublicIpsOutput(this, publicIps);
  }
}
