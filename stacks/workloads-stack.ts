import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { ManifestsRelease } from "../modules/constructs/kubernetes/manifests-release";
import { MultusWorkload } from "../modules/constructs/multus/multus-workload";
import { EipAssociatorRole } from "../modules/constructs/workloads/eip-associator-role";
import { PodElasticIp } from "../modules/constructs/workloads/pod-elastic-ip";
import { podPublicIpsOutput, VPC_CNI_NETWORK, type PodPublicIp } from "../modules/constructs/workloads/pod-public-ips";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import { publicIpPodObjects } from "../modules/k8s/public-ip-pods";
import type { LoadedEnvironment } from "../modules/load/load";
import { awsCliImage } from "../modules/plan/images";
import { BOOTCAMP_NAME, eipAssociatorName, eipAssociatorRoleName } from "../modules/plan/names";
import { multusRanges } from "../modules/plan/multus-ranges";
import { multusPublicPods } from "../modules/plan/multus-public";
import { multusPodsPlacement, publicIpNodeGroups } from "../modules/plan/placement";
import { workloadAddresses } from "../modules/plan/public-addresses";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import type { KarpenterStack } from "./karpenter-stack";
import type { NodesStack } from "./nodes-stack";
import { PlanStack } from "./plan-stack";

export interface WorkloadsStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly nodes: NodesStack;
  /** Karpenter, when the environment has it: workloads may need its nodes. Default: none. */
  readonly karpenter?: KarpenterStack;
}

/** The sample workload, the pods that each own a fixed public Elastic IP, and the Multus example pods. */
export class WorkloadsStack extends PlanStack {
  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: WorkloadsStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { cluster } = props;
    new ClusterProviders(this, "cluster", { ...cluster.connection, auth: env.cluster.kubernetesAuth });
    // Workloads need running nodes; reading the node groups' names orders this stack after nodes.
    this.addDependency(props.nodes);
    if (props.karpenter) this.addDependency(props.karpenter);

    const { bootcamp, publicIpPods, multusPods } = env.workloads;
    if (bootcamp) {
      new ManifestsRelease(this, "bootcamp", {
        name: BOOTCAMP_NAME,
        namespace: bootcamp.namespace,
        objects: [bootcampDeployment(bootcamp)],
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
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        policies: managedPolicies(),
      });
      new ManifestsRelease(this, `public-ip-${spec.name}`, {
        name: spec.name,
        namespace: spec.namespace,
        objects: publicIpPodObjects({
          spec,
          nodeGroups: publicIpNodeGroups(env, spec),
          roleArn: role.roleArn,
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
        dependsOn: [role.dependable],
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
          oidcProviderArn: cluster.oidcProviderArn,
          oidcIssuer: cluster.oidcIssuer,
          enis: props.nodes.multusInterfaces,
          policies: managedPolicies(),
          publicPods: publicPods.filter((p) => p.spec === spec),
          interfaceIdFor: (slot, deviceIndex) => props.nodes.multusInterfaceIdFor(slot, deviceIndex),
        });
        publicIps.push(...workload.publicIps);
      }
    }
    podPublicIpsOutput(this, publicIps);
  }
}
