import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ClusterProviders } from "../modules/constructs/eks/cluster-providers";
import type { LoadedEnvironment } from "../modules/load/load";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { ManifestsRelease } from "../modules/constructs/kubernetes/manifests-release";
import { awsCliImage } from "../modules/plan/images";
import { MultusWorkload } from "../modules/constructs/multus/multus-workload";
import { multusPodsPlacement, publicIpNodeGroups } from "../modules/plan/placement";
import { PodElasticIp } from "../modules/constructs/workloads/pod-elastic-ip";
import { podNames, publicIpPodObjects } from "../modules/k8s/public-ip-pods";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import type { ClusterStack } from "./cluster-stack";
import type { NetworkStack } from "./network-stack";
import type { NodesStack } from "./nodes-stack";
import { PlanStack } from "./plan-stack";

export interface WorkloadsStackProps {
  network: NetworkStack;
  cluster: ClusterStack;
  nodes: NodesStack;
}

/** The sample workload, the pods that each own a fixed public Elastic IP, and the Multus example pods. */
export class WorkloadsStack extends PlanStack {
  readonly podAddresses: PodElasticIp[] = [];

  constructor(scope: Construct, id: string, environment: LoadedEnvironment, props: WorkloadsStackProps) {
    super(scope, id, environment);
    const { env } = environment;
    const { controlPlane } = props.cluster;
    new ClusterProviders(this, "cluster", { ...props.cluster.connection, auth: env.cluster.kubernetesAuth });
    // Workloads need running nodes; reading the node groups' names orders this stack after nodes.
    this.addDependency(props.nodes);

    const { bootcamp, publicIpPods, multusPods } = env.workloads;
    if (bootcamp) {
      new ManifestsRelease(this, "bootcamp", { name: "kubernetes-bootcamp", namespace: bootcamp.namespace, objects: [bootcampDeployment(bootcamp)] });
    }
    for (const spec of publicIpPods) {
      const workload = new ManifestsRelease(this, `public-ip-${spec.name}`, {
        name: spec.name,
        namespace: spec.namespace,
        objects: publicIpPodObjects(spec, publicIpNodeGroups(env, spec)),
      });
      for (const podName of podNames(spec)) {
        this.podAddresses.push(
          new PodElasticIp(this, `eip-${spec.namespace}-${podName}`, {
            podName,
            namespace: spec.namespace,
            vpcId: props.network.vpc.vpc.id,
            keepAddress: spec.keepAddresses,
            workload: workload.release,
          }),
        );
      }
    }
    if (multusPods.length > 0 && env.multus) {
      const policies = new AwsManagedPolicies(this, "policies");
      const enis = (props.nodes.multusNodes?.multusInterfaces ?? []).map((eni) => ({ macAddress: eni.macAddress, id: eni.id }));
      for (const spec of multusPods) {
        new MultusWorkload(this, `multus-${spec.namespace}-${spec.name}`, {
          spec,
          placement: multusPodsPlacement(env, spec),
          clusterName: env.cluster.name,
          region: env.region,
          sidecarImage: awsCliImage(env.multus.awsCliVersion),
          oidcProviderArn: props.cluster.oidc.provider.arn,
          oidcIssuer: controlPlane.oidcIssuer,
          enis,
          policies,
        });
      }
    }
    if (this.podAddresses.length > 0) {
      new TerraformOutput(this, "pod_public_ips", {
        value: Object.fromEntries(this.podAddresses.map((a) => [a.podKey, a.eip.publicIp])),
        description: "Public Elastic IP of each pod, by namespace/name",
      });
    }
  }
}
