import { SAMPLE_IMAGE } from "../modules/environment/schema/workloads";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import { loadEnvironment } from "../modules/load/load";
import { kubernetesSchemaError, manifestReleases } from "./support/kubernetes";
import { decodeJsonencode, only, resolveCrossStack, resources, synthNamed, type Synthesized } from "./support/synth";

// public-pods' workloads stack (public-IP pods): public-ip-pods-stack.test.ts.

describe("workloads stack, demo", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("demo")));
  afterAll(() => synth.cleanup());

  it("runs the kubernetes-bootcamp Deployment, valid against the Kubernetes schema", () => {
    const releases = manifestReleases(synth.stack("workloads"));
    expect(releases.map((r) => [r.release.name, r.release.namespace])).toEqual([["kubernetes-bootcamp", "bootcamp"]]);
    const [deployment] = releases[0].objects;
    expect(deployment).toEqual(bootcampDeployment(loadEnvironment({ EKS_ENV: "demo" }).env.workloads.bootcamp!));
    expect(kubernetesSchemaError(deployment)).toBeUndefined();
  });

  it("runs a multi-architecture image by default, serving its pod's name on 8080 (the article's port)", () => {
    const [deployment] = manifestReleases(synth.stack("workloads"))[0].objects as unknown as Array<{
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    }>;
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toBe(SAMPLE_IMAGE);
    expect(container.image).toMatch(/^registry\.k8s\.io\/e2e-test-images\/agnhost:/);
    // agnhost's entrypoint takes a subcommand: serve-hostname answers HTTP with the pod's name.
    expect(container.args).toEqual(["serve-hostname", "--port=8080"]);
    expect(container.ports).toEqual([{ name: "http", containerPort: 8080 }]);
  });

  it("takes its pod addresses from the pod subnets: every AZ its nodes run in has an ENIConfig on that AZ's pod subnet", () => {
    const [deployment] = manifestReleases(synth.stack("workloads"))[0].objects as unknown as Array<{
      spec: { template: { spec: Record<string, unknown> } };
    }>;
    // Not on the host network (which would use the node's address) and not pinned: any worker will do.
    expect(deployment.spec.template.spec.hostNetwork).toBeUndefined();
    expect(deployment.spec.template.spec.nodeSelector).toBeUndefined();
    const [, vpcCni] = only<{ addon_name: string; configuration_values: string }>(
      synth.stack("cni"),
      "aws_eks_addon",
      (a) => a.addon_name === "vpc-cni",
    );
    const eniConfigs = (
      decodeJsonencode(vpcCni.configuration_values) as { eniConfig: { subnets: Record<string, { id: string }> } }
    ).eniConfig.subnets;
    const [, workers] = only<{ subnet_ids: string[] }>(synth.stack("nodes"), "aws_eks_node_group");
    for (const nodeSubnet of workers.subnet_ids) {
      const az = resolveCrossStack(synth, nodeSubnet).resource.availability_zone as string;
      const podSubnet = resolveCrossStack(synth, eniConfigs[az].id).resource;
      expect([az, podSubnet.availability_zone, podSubnet.tags]).toEqual([
        az,
        az,
        expect.objectContaining({ "eks-custom-networking/role": "pod" }),
      ]);
    }
  });

  it("has no Elastic IP resources", () => {
    const stack = synth.stack("workloads");
    expect([resources(stack, "aws_eip"), resources(stack, "aws_eip_association"), stack.output ?? {}]).toEqual([
      {},
      {},
      {},
    ]);
  });
});
