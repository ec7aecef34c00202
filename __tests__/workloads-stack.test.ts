import { SAMPLE_IMAGE } from "../modules/environment/schema/workloads";
import { bootcampDeployment } from "../modules/k8s/bootcamp";
import { loadEnvironment } from "../modules/load/load";
import { kubernetesSchemaError, manifestReleases } from "./support/kubernetes";
import {
  dataSources,
  decodeJsonencode,
  only,
  ref,
  resolveCrossStack,
  resources,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";

type Association = {
  allocation_id: string;
  network_interface_id: string;
  private_ip_address: string;
  allow_reassociation: boolean;
};
type PodRead = {
  api_version: string;
  kind: string;
  metadata: { name: string; namespace: string };
  depends_on: string[];
};
type InterfaceLookup = { filter: Array<{ name: string; values: string[] }> };

describe("workloads stack, public-pods", () => {
  let synth: Synthesized;
  let stack: TfJson;
  beforeAll(() => {
    synth = synthNamed("public-pods");
    stack = synth.stack("workloads");
  });
  afterAll(() => synth.cleanup());

  it("runs the pods as a StatefulSet of 2 on the public node group, valid against the Kubernetes schema", () => {
    const [{ release, objects }] = manifestReleases(stack);
    expect(release).toMatchObject({ name: "shop-egress", namespace: "shop", wait: true });
    const statefulSet = objects.find((o) => o.kind === "StatefulSet") as unknown as {
      spec: { replicas: number; serviceName: string; template: { spec: { affinity: unknown } } };
    };
    expect(statefulSet.spec.replicas).toBe(2);
    expect(objects.find((o) => o.kind === "Service")).toMatchObject({ spec: { clusterIP: "None" } });
    expect(JSON.stringify(statefulSet.spec.template.spec.affinity)).toContain('"values":["ng-public"]');
    for (const o of objects) expect([o.kind, kubernetesSchemaError(o)]).toEqual([o.kind, undefined]);
  });

  it("keeps one Elastic IP per pod, tagged with its pod and protected from destruction", () => {
    const eips = Object.values(
      resources<{ domain: string; tags: Record<string, string>; lifecycle: { prevent_destroy: boolean } }>(
        stack,
        "aws_eip",
      ),
    );
    expect(eips.map((e) => [e.domain, e.tags["eks-custom-networking/pod"], e.lifecycle.prevent_destroy])).toEqual([
      ["vpc", "shop/shop-egress-0", true],
      ["vpc", "shop/shop-egress-1", true],
    ]);
  });

  it("wires each pod's address to its own Elastic IP through the interface that holds that address", () => {
    const [releaseId] = Object.keys(resources(stack, "helm_release"));
    const pods = dataSources<PodRead>(stack, "kubernetes_resource");
    const interfaces = dataSources<InterfaceLookup>(stack, "aws_network_interface");
    const eips = resources<{ tags: Record<string, string> }>(stack, "aws_eip");
    const associations = resources<Association>(stack, "aws_eip_association");
    expect([
      Object.keys(pods).length,
      Object.keys(interfaces).length,
      Object.keys(eips).length,
      Object.keys(associations).length,
    ]).toEqual([2, 2, 2, 2]);

    for (const podName of ["shop-egress-0", "shop-egress-1"]) {
      const [podId, pod] = Object.entries(pods).find(([, p]) => p.metadata.name === podName)!;
      expect(pod).toMatchObject({ api_version: "v1", kind: "Pod", metadata: { namespace: "shop" } });
      // Read only once the StatefulSet has rolled out.
      expect(pod.depends_on).toEqual([`helm_release.${releaseId}`]);
      const podIp = `\${data.kubernetes_resource.${podId}.object.status.podIP}`;

      const [interfaceId, lookup] = Object.entries(interfaces).find(([, i]) =>
        i.filter.some((f) => f.values.includes(podIp)),
      )!;
      expect(lookup.filter.find((f) => f.name === "addresses.private-ip-address")!.values).toEqual([podIp]);
      const vpc = resolveCrossStack(synth, lookup.filter.find((f) => f.name === "vpc-id")!.values[0]);
      expect(vpc.type).toBe("aws_vpc");

      const [eipId] = Object.entries(eips).find(([, e]) => e.tags["eks-custom-networking/pod"] === `shop/${podName}`)!;
      const [, association] = only<Association>(
        stack,
        "aws_eip_association",
        (a) => a.allocation_id === ref("aws_eip", eipId, "allocation_id"),
      );
      expect(association).toEqual(
        expect.objectContaining({
          network_interface_id: `\${data.aws_network_interface.${interfaceId}.id}`,
          private_ip_address: podIp,
          allow_reassociation: true,
        }),
      );
    }
  });

  it("outputs each pod's public address, by pod, then network (eth0 for the VPC CNI's)", () => {
    const eips = resources<{ tags: Record<string, string> }>(stack, "aws_eip");
    const byPod = Object.fromEntries(
      Object.entries(eips).map(([id, e]) => [
        e.tags["eks-custom-networking/pod"],
        { eth0: ref("aws_eip", id, "public_ip") },
      ]),
    );
    expect(stack.output!.pod_public_ips.value).toEqual(byPod);
  });

  it("deploys after the nodes stack", () => {
    expect(synth.manifest.stacks.workloads.dependencies).toContain("nodes");
  });
});

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
