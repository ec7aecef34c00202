import { parse } from "yaml";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";
import {
  decodeBase64encode,
  dataSources,
  only,
  ref,
  resolveCrossStack,
  resolveSharedNetwork,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";

type NodeGroup = {
  node_group_name?: string;
  node_group_name_prefix: string;
  lifecycle?: { create_before_destroy?: boolean; ignore_changes?: string[] };
  instance_types: string[];
  capacity_type: string;
  scaling_config: { desired_size: number; min_size: number; max_size: number };
  subnet_ids: string[];
  node_role_arn: string;
  launch_template: { id: string; version: string };
  labels: Record<string, string>;
  taint: Array<{ key: string; value?: string; effect: string }>;
  depends_on: string[];
};
type LaunchTemplate = {
  image_id: string;
  user_data: string;
  block_device_mappings: Array<{ device_name: string; ebs: Record<string, unknown> }>;
  metadata_options: { http_tokens: string; http_put_response_hop_limit: number; http_endpoint: string };
  monitoring: { enabled: boolean };
  vpc_security_group_ids?: string[];
};

const group = (json: TfJson, name: string) =>
  only<NodeGroup>(json, "aws_eks_node_group", (g) => g.node_group_name_prefix === `${name}-`);
const templateOf = (json: TfJson, g: NodeGroup) => {
  const id = /^\$\{aws_launch_template\.([\w-]+)\.id\}$/.exec(g.launch_template.id)![1];
  expect(g.launch_template.version).toBe(ref("aws_launch_template", id, "latest_version"));
  return resources<LaunchTemplate>(json, "aws_launch_template")[id];
};
/** The NodeConfig inside a launch template's user data. */
const nodeConfigOf = (lt: LaunchTemplate) => {
  const mime = decodeBase64encode(lt.user_data);
  const part = mime.split("--NODEADM-BOUNDARY")[1];
  return parse(part.slice(part.indexOf("\n\n") + 2));
};

describe("nodes stack, demo", () => {
  let synth: Synthesized;
  let nodes: TfJson;
  let ng: NodeGroup;
  let lt: LaunchTemplate;
  beforeAll(() => {
    synth = synthNamed("demo");
    nodes = synth.stack("nodes");
    ng = group(nodes, "ng-2-workers")[1];
    lt = templateOf(nodes, ng);
  });
  afterAll(() => synth.cleanup());

  it("runs ng-2-workers: 2 x m5.xlarge, on demand, with the node role", () => {
    expect(ng.instance_types).toEqual(["m5.xlarge"]);
    expect(ng.scaling_config).toEqual({ desired_size: 2, min_size: 2, max_size: 2 });
    expect(ng.capacity_type).toBe("ON_DEMAND");
    expect(resolveCrossStack(synth, ng.node_role_arn).resource.name).toBe("cluster-demo-node");
    expect(ng.labels).toEqual({ role: "workers" });
  });

  it("places the nodes in the private node subnets of both AZs", () => {
    const subnets = ng.subnet_ids.map((s) => resolveCrossStack(synth, s).resource);
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block, s.map_public_ip_on_launch])).toEqual([
      ["us-east-1a", "172.16.1.0/24", false],
      ["us-east-1b", "172.16.2.0/24", false],
    ]);
  });

  it("boots from an 80 GiB encrypted gp3 root volume with IMDSv2 required and hop limit 1", () => {
    expect(lt.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_size: 80, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" },
      },
    ]);
    expect(lt.metadata_options).toMatchObject({
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      http_endpoint: "enabled",
    });
    expect(lt.monitoring).toEqual({ enabled: false });
    // No security groups of its own: the managed node group attaches the cluster security group.
    expect(lt.vpc_security_group_ids).toBeUndefined();
  });

  it("uses the AL2023 x86_64 AMI AWS publishes for the cluster's version", () => {
    const [amiId, ami] = only<{ name: string }>({ resource: nodes.data } as TfJson, "aws_ssm_parameter");
    expect(lt.image_id).toBe(`\${data.aws_ssm_parameter.${amiId}.insecure_value}`);
    const version =
      /^\/aws\/service\/eks\/optimized-ami\/(\$\{.+\})\/amazon-linux-2023\/x86_64\/standard\/recommended\/image_id$/.exec(
        ami.name,
      )![1];
    expect(resolveCrossStack(synth, version)).toMatchObject({
      stack: "cluster",
      type: "aws_eks_cluster",
      attribute: "version",
    });
  });

  it("sets maxPods 110 in its own NodeConfig, which carries the whole join", () => {
    const config = nodeConfigOf(lt);
    expect(config.kind).toBe("NodeConfig");
    expect(config.spec.kubelet.config).toEqual({ maxPods: 110 });
    const join = config.spec.cluster;
    expect(resolveCrossStack(synth, join.name).attribute).toBe("name");
    expect(resolveCrossStack(synth, join.apiServerEndpoint).attribute).toBe("endpoint");
    expect(resolveCrossStack(synth, join.certificateAuthority).attribute).toBe("certificate_authority[0].data");
    expect(resolveCrossStack(synth, join.cidr).attribute).toBe("kubernetes_network_config[0].service_ipv4_cidr");
    expect(config.spec.kubelet.flags).toEqual([
      "--node-labels=role=workers,eks.amazonaws.com/nodegroup=ng-2-workers,eks.amazonaws.com/capacityType=ON_DEMAND",
    ]);
  });

  it("depends on the vpc-cni, kube-proxy and Pod Identity agent add-ons of the cni stack", () => {
    const [gateId, gate] = only<{ input: Record<string, string> }>(nodes, "terraform_data");
    expect(ng.depends_on).toEqual([`terraform_data.${gateId}`]);
    const addons = Object.entries(gate.input).map(([name, arn]) => {
      const addon = resolveCrossStack(synth, arn);
      return [name, addon.stack, addon.type, addon.resource.addon_name];
    });
    expect(addons.sort()).toEqual([
      ["eks-pod-identity-agent", "cni", "aws_eks_addon", "eks-pod-identity-agent"],
      ["kube-proxy", "cni", "aws_eks_addon", "kube-proxy"],
      ["vpc-cni", "cni", "aws_eks_addon", "vpc-cni"],
    ]);
    expect(synth.manifest.stacks.nodes.dependencies).toContain("cni");
  });

  it("installs CoreDNS after the node groups", () => {
    const [ngId] = group(nodes, "ng-2-workers");
    const [, coredns] = only<{ addon_name: string; depends_on: string[] }>(nodes, "aws_eks_addon");
    expect(coredns.addon_name).toBe("coredns");
    expect(coredns.depends_on).toEqual([`aws_eks_node_group.${ngId}`]);
    expect(
      Object.values(dataSources<{ addon_name: string }>(nodes, "aws_eks_addon_version")).map((v) => v.addon_name),
    ).toEqual(["coredns"]);
  });

  it("outputs the node groups and their effective max pods", () => {
    const [ngId] = group(nodes, "ng-2-workers");
    expect(nodes.output!.node_groups.value).toEqual({
      "ng-2-workers": {
        arn: ref("aws_eks_node_group", ngId, "arn"),
        name: ref("aws_eks_node_group", ngId, "node_group_name"),
      },
    });
    expect(nodes.output!.max_pods.value).toEqual({ "ng-2-workers": 110 });
  });
});

describe.each(environmentNames())("nodes stack, %s: node groups on day two", (name) => {
  it("replaces every managed node group create-before-destroy under a fresh name, and lets the ones that autoscale keep their size", () => {
    const { env } = loadEnvironment({ EKS_ENV: name });
    const nodes = synthNamed(name).stack("nodes");
    const managed = env.nodeGroups.filter((g) => g.multusInterfaces === 0);
    expect(Object.keys(resources(nodes, "aws_eks_node_group"))).toHaveLength(managed.length);
    for (const spec of managed) {
      const [, g] = group(nodes, spec.name);
      // A fixed name would collide with the group being replaced; Terraform appends a unique suffix.
      expect(g.node_group_name).toBeUndefined();
      expect(g.lifecycle?.create_before_destroy).toBe(true);
      expect([spec.name, g.lifecycle?.ignore_changes]).toEqual([
        spec.name,
        spec.minSize < spec.maxSize ? ["scaling_config[0].desired_size"] : undefined,
      ]);
      expect(g.scaling_config).toEqual({
        desired_size: spec.desiredSize,
        min_size: spec.minSize,
        max_size: spec.maxSize,
      });
    }
  });
});

describe("nodes stack: which AL2023 AMI each instance type boots", () => {
  let nodes: TfJson;
  const parameterOf = (json: TfJson, name: string) => {
    const lt = templateOf(json, group(json, name)[1]);
    const id = /^\$\{data\.aws_ssm_parameter\.([\w-]+)\.insecure_value\}$/.exec(lt.image_id)![1];
    return (dataSources<{ name: string }>(json, "aws_ssm_parameter")[id].name as string).replace(
      /^\/aws\/service\/eks\/optimized-ami\/\$\{[^}]+\}\//,
      "<k8s>/",
    );
  };
  beforeAll(() => {
    const text = edited("demo", (d) => {
      // Room for six groups' pod prefixes: demo's /24 pod subnets reserve 14 /28 blocks, each group takes 8.
      d.network.zones["us-east-1a"].pod = "172.16.12.0/22";
      d.network.zones["us-east-1b"].pod = "172.16.16.0/22";
      d.nodeGroups.push(
        { name: "gpu", instanceType: "g6.xlarge", desiredSize: 1, minSize: 1, maxSize: 1 },
        { name: "gpu-arm", instanceType: "g5g.xlarge", desiredSize: 1, minSize: 1, maxSize: 1 },
        { name: "inferentia", instanceType: "inf2.xlarge", desiredSize: 1, minSize: 1, maxSize: 1 },
        { name: "trainium", instanceType: "trn1.2xlarge", desiredSize: 1, minSize: 1, maxSize: 1 },
        { name: "graviton", instanceType: "m7g.xlarge", desiredSize: 1, minSize: 1, maxSize: 1 },
      );
    });
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("accelerated", text) });
    nodes = synth.stack("nodes");
    synth.cleanup();
  }, 30_000);

  it("gives GPU types the nvidia variant and Neuron types the neuron variant of their architecture", () => {
    const recommended = (arch: string, variant: string) =>
      `<k8s>/amazon-linux-2023/${arch}/${variant}/recommended/image_id`;
    expect(parameterOf(nodes, "ng-2-workers")).toBe(recommended("x86_64", "standard"));
    expect(parameterOf(nodes, "gpu")).toBe(recommended("x86_64", "nvidia"));
    expect(parameterOf(nodes, "gpu-arm")).toBe(recommended("arm64", "nvidia"));
    expect(parameterOf(nodes, "inferentia")).toBe(recommended("x86_64", "neuron"));
    expect(parameterOf(nodes, "trainium")).toBe(recommended("x86_64", "neuron"));
    expect(parameterOf(nodes, "graviton")).toBe(recommended("arm64", "standard"));
    // One lookup per AMI, shared by the groups that boot it.
    expect(Object.keys(dataSources(nodes, "aws_ssm_parameter"))).toHaveLength(5);
  });
});

describe("nodes stack: a pinned AMI release", () => {
  it("reads the AMI of that release for the cluster's version, and only it", () => {
    const text = edited("demo", (d) => (d.cluster.nodeAmiRelease = "v20260714"));
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("pinned", text) });
    const nodes = synth.stack("nodes");
    const [, parameter] = only<{ name: string }>({ resource: nodes.data } as TfJson, "aws_ssm_parameter");
    const match =
      /^\/aws\/service\/eks\/optimized-ami\/(\$\{.+\})\/amazon-linux-2023\/x86_64\/standard\/amazon-eks-node-al2023-x86_64-standard-(\$\{.+\})-v20260714\/image_id$/.exec(
        parameter.name,
      )!;
    expect(match).not.toBeNull();
    // Both versions in the name are the cluster's, read from the cluster stack.
    expect(match[1]).toBe(match[2]);
    expect(resolveCrossStack(synth, match[1]).attribute).toBe("version");
    synth.cleanup();
  }, 30_000);
});

describe("nodes stack, public-pods", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("public-pods")));
  afterAll(() => synth.cleanup());

  it("places nodes in demo's public subnets and gives the kubelet the recommended 58 pods", () => {
    const nodes = synth.stack("nodes");
    const [, ng] = group(nodes, "ng-public");
    const demo = synthNamed("demo");
    const subnets = ng.subnet_ids.map((s) => resolveSharedNetwork(synth, demo, s).resource);
    expect(subnets.map((s) => [s.cidr_block, s.map_public_ip_on_launch])).toEqual([
      ["172.16.100.0/24", true],
      ["172.16.101.0/24", true],
    ]);
    expect(nodeConfigOf(templateOf(nodes, ng)).spec.kubelet.config.maxPods).toBe(58);
    expect(nodes.output!.max_pods.value).toEqual({ "ng-public": 58 });
  });
});

// The production fixture keeps the spot batch node group the shipped production moved to Karpenter.
describe("nodes stack, production (fixture with a spot batch node group)", () => {
  let synth: Synthesized;
  beforeAll(
    () =>
      (synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("production", environmentText("production")) })),
  );
  afterAll(() => synth.cleanup());

  it("runs the spot batch group tainted, in the node group and at kubelet registration", () => {
    const nodes = synth.stack("nodes");
    const [, batch] = group(nodes, "batch-spot");
    expect(batch.capacity_type).toBe("SPOT");
    expect(batch.taint).toEqual([{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }]);
    const config = nodeConfigOf(templateOf(nodes, batch));
    expect(config.spec.kubelet.flags).toContain("--register-with-taints=workload=batch:NoSchedule");
    expect(config.spec.kubelet.config.maxPods).toBe(110);
  });

  it("spreads each group over the three AZs' node subnets", () => {
    const nodes = synth.stack("nodes");
    for (const name of ["general", "batch-spot"]) {
      const [, g] = group(nodes, name);
      expect(g.subnet_ids.map((s) => resolveCrossStack(synth, s).resource.availability_zone)).toEqual([
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
      ]);
    }
  });
});
