import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { ManifestsRelease } from "../modules/constructs/kubernetes/manifests-release";
import { MultusWorkload } from "../modules/constructs/multus/multus-workload";
import { PodElasticIp } from "../modules/constructs/workloads/pod-elastic-ip";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import { podNames, publicIpPodObjects } from "../modules/k8s/public-ip-pods";
import type { LoadedEnvironment } from "../modules/load/load";
import { awsCliImage } from "../modules/plan/images";
import { BOOTCAMP_NAME } from "../modules/plan/names";
import { multusRanges } from "../modules/plan/multus-ranges";
import { multusPublicPods } from "../modules/plan/multus-public";
import { multusPodsPlacement, publicIpNodeGroups } from "../modules/plan/placement";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import type { NodesStack } from "./nodes-stack";
import { PlanStack } from "./plan-stack";

export interface WorkloadsStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly nodes: NodesStack;
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

    const { bootcamp, publicIpPods, multusPods } = env.workloads;
    if (bootcamp) {
      new ManifestsRelease(this, "bootcamp", {
        name: BOOTCAMP_NAME,
        namespace: bootcamp.namespace,
        objects: [bootcampDeployment(bootcamp)],
      });
    }
    const podAddresses: PodElasticIp[] = [];
    for (const spec of publicIpPods) {
      const workload = new ManifestsRelease(this, `public-ip-${spec.name}`, {
        name: spec.name,
        namespace: spec.namespace,
        objects: publicIpPodObjects(spec, publicIpNodeGroups(env, spec)),
      });
      for (const podName of podNames(spec)) {
        podAddresses.push(
          new PodElasticIp(this, `eip-${spec.namespace}-${podName}`, {
            podName,
            namespace: spec.namespace,
            vpcId: props.network.vpcId,
            keepAddress: spec.keepAddresses,
            workload: workload.dependable,
          }),
        );
      }
    }
    // Every pod's public addresses, by pod (namespace/name), then network: eth0 for the VPC CNI's.
    const publicIps: Record<string, Record<string, string>> = {};
    for (const a of podAddresses) (publicIps[a.podKey] ??= {}).eth0 = a.publicIp;
    if (multusPods.length > 0 && env.multus) {
      const policies = new AwsManagedPolicies(this, "policies");
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
          policies,
          publicPods: publicPods.filter((p) => p.spec === spec),
          interfaceIdFor: (slot, deviceIndex) => props.nodes.multusInterfaceIdFor(slot, deviceIndex),
        });
        for (const a of workload.publicIps) (publicIps[a.podKey] ??= {})[a.network] = a.publicIp;
      }
    }
    if (Object.keys(publicIps).length > 0) {
      new TerraformOutput(this, "pod_public_ips", {
        value: publicIps,
        description: "Public Elastic IPs of each pod, by namespace/name, then network (eth0: the VPC CNI's)",
      });
    }
  }
}
