/**
 * Enhanced subnet discovery, the third pod network mode: the pod subnets carry the VPC CNI's
 * discovery tag, the add-on gets no ENIConfig (and no key its schema lacks), the primary ENI keeps
 * serving pods, so max pods is AWS's calculator's without custom networking; and the checks refuse
 * what cannot work.
 */
import { loadEnvironment } from "../modules/load/load";
import { SUBNET_DISCOVERY_TAG } from "../modules/plan/labels";
import { maxPodsFor } from "../modules/plan/max-pods";
import { nodeGroupMaxPods } from "../modules/plan/node-group-max-pods";
import { podNetworkMode, primaryEniServesPods } from "../modules/plan/pod-network";
import { run as maxPodsCommand } from "../scripts/max-pods";
import { runInProcess } from "./support/commands";
import { edited, load, rejection } from "./support/environments";
import { decodeBase64encode, decodeJsonencode, only, resources, synthNamed, type Synthesized } from "./support/synth";

type Subnet = { cidr_block: string; availability_zone: string; tags: Record<string, string> };
type Addon = { addon_name: string; configuration_values?: string };

const discovery = (edit: Parameters<typeof edited>[1]) => edited("subnet-discovery", edit);

describe("subnet-discovery: what is synthesized", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("subnet-discovery")));
  afterAll(() => synth.cleanup());

  it("tags the pod subnets, and only them, kubernetes.io/role/cni=1", () => {
    const subnets = Object.values(resources<Subnet>(synth.stack("network"), "aws_subnet"));
    const tagged = subnets.filter((s) => SUBNET_DISCOVERY_TAG in s.tags);
    expect(tagged.map((s) => [s.availability_zone, s.cidr_block, s.tags[SUBNET_DISCOVERY_TAG]]).sort()).toEqual([
      ["us-west-2a", "100.64.0.0/20", "1"],
      ["us-west-2b", "100.64.16.0/20", "1"],
    ]);
    expect(tagged.every((s) => s.tags["eks-custom-networking/role"] === "pod")).toBe(true);
  });

  it("gives the vpc-cni add-on no eniConfig, custom networking off, and no ENABLE_SUBNET_DISCOVERY (on by default from 1.18.0; not in the reference schema)", () => {
    const [, addon] = only<Addon>(synth.stack("cni"), "aws_eks_addon", (a) => a.addon_name === "vpc-cni");
    const config = decodeJsonencode(addon.configuration_values!) as {
      env: Record<string, string>;
      eniConfig?: unknown;
    };
    expect(config.eniConfig).toBeUndefined();
    expect(config.env).toEqual({
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
      ENABLE_PREFIX_DELEGATION: "false",
      AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
    });
  });

  it("gives the kubelet AWS's calculator's max pods without custom networking: 58 on an m5.xlarge, not 44", () => {
    const templates = Object.values(resources<{ user_data: string }>(synth.stack("nodes"), "aws_launch_template"));
    expect(templates).toHaveLength(1);
    expect(/^ {6}maxPods: (\d+)$/m.exec(decodeBase64encode(templates[0].user_data))?.[1]).toBe("58");
    const calculator = (...flags: string[]) =>
      runInProcess(maxPodsCommand, "--instance-type", "m5.xlarge", ...flags).stdout.trim();
    expect(calculator()).toBe("58");
    expect(calculator("--cni-subnet-discovery-enabled")).toBe("58");
    expect(calculator("--cni-custom-networking-enabled")).toBe("44");
  });

  it("counts the primary ENI's pods in the node subnet and the further ENIs in the pool", () => {
    const env = loadEnvironment({ EKS_ENV: "subnet-discovery" }).env;
    expect(podNetworkMode(env.cni)).toBe("subnetDiscovery");
    expect(primaryEniServesPods("subnetDiscovery")).toBe(true);
    expect(nodeGroupMaxPods(env.nodeGroups[0], env).computed).toMatchObject({ podEnis: 4, recommended: 58 });
  });
});

describe("custom networking's pod subnets are not tagged for discovery", () => {
  it("demo", () => {
    const synth = synthNamed("demo");
    try {
      const subnets = Object.values(resources<Subnet>(synth.stack("network"), "aws_subnet"));
      expect(subnets.filter((s) => SUBNET_DISCOVERY_TAG in s.tags)).toEqual([]);
    } finally {
      synth.cleanup();
    }
  });
});

describe("max-pods with subnet discovery", () => {
  it("is the figure without custom networking, with prefix delegation too", () => {
    const plain = maxPodsFor("m5.large", { customNetworking: false, prefixDelegation: true });
    const discovered = maxPodsFor("m5.large", {
      customNetworking: false,
      subnetDiscovery: true,
      prefixDelegation: true,
    });
    expect(discovered.recommended).toBe(plain.recommended);
    expect(discovered.notes).toEqual([]);
  });

  it("notes that custom networking takes precedence, and that a CNI older than 1.18.0 has no discovery", () => {
    const both = runInProcess(
      maxPodsCommand,
      "--instance-type",
      "m5.xlarge",
      "--cni-custom-networking-enabled",
      "--cni-subnet-discovery-enabled",
    );
    expect(both.stdout.trim()).toBe("44");
    expect(both.stderr).toContain("custom networking takes precedence");
    const old = runInProcess(
      maxPodsCommand,
      "--instance-type",
      "m5.xlarge",
      "--cni-subnet-discovery-enabled",
      "--cni-version",
      "1.17.1",
    );
    expect(old.stdout.trim()).toBe("58");
    expect(old.stderr).toContain("VPC CNI 1.17.1 is older than 1.18.0");
  });

  it("is in the command's help", () => {
    expect(runInProcess(maxPodsCommand, "--help").stdout).toContain("--cni-subnet-discovery-enabled");
  });
});

describe("checks", () => {
  it("refuses a pinned VPC CNI older than 1.18.0 (addon-versions.ts's one table of vpc-cni features)", () => {
    const e = rejection(discovery((d) => (d.cluster.addonVersions = { vpcCni: "v1.17.1-eksbuild.1" })));
    expect(e.report).toContain(
      "cluster.addonVersions.vpcCni: vpc-cni v1.17.1-eksbuild.1 is older than what this environment turns on: enhanced subnet discovery (cni.subnetDiscovery) needs 1.18.0 or later (the build has no subnet discovery, and every ENI stays in the node's subnet)",
    );
    expect(e.report).toContain("pin vpc-cni 1.18.0 or later");
  });

  it("accepts v1.18.0 and later", () => {
    for (const vpcCni of ["v1.18.0-eksbuild.1", "v1.20.4-eksbuild.2"]) {
      expect(() => load(discovery((d) => (d.cluster.addonVersions = { vpcCni })))).not.toThrow();
    }
  });

  it("refuses custom networking with it: the CNI lets custom networking win", () => {
    const e = rejection(discovery((d) => (d.cni.customNetworking = true)));
    expect(e.report).toContain(
      "cni.subnetDiscovery: cni.subnetDiscovery and cni.customNetworking are both on; the VPC CNI lets custom networking take precedence",
    );
  });

  it("warns when there is no pod subnet to discover", () => {
    const loaded = load(
      discovery((d) => {
        for (const zone of Object.values(d.network.zones) as Array<Record<string, unknown>>) delete zone.pod;
      }),
    );
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ id: "subnet-discovery-without-pod-subnets", path: ["cni", "subnetDiscovery"] }),
    ]);
  });

  it("refuses public-IP pods, whose further ENIs could take addresses of the NAT-routed pod subnets", () => {
    const e = rejection(
      edited("public-pods", (d) => {
        d.cni.subnetDiscovery = true;
        d.network.zones["us-east-1a"].pod = "172.16.20.0/24";
      }),
    );
    expect(e.report).toContain(
      "with subnet discovery the pods' further ENIs may take addresses of the tagged pod subnets",
    );
  });

  it("no longer calls the pod subnets unused (they are with custom networking or discovery only)", () => {
    expect(loadEnvironment({ EKS_ENV: "subnet-discovery" }).warnings).toEqual([]);
    const loaded = load(discovery((d) => (d.cni.subnetDiscovery = false)));
    expect(loaded.warnings.map((w) => w.id)).toEqual(["unused-pod-subnet", "unused-pod-subnet"]);
  });
});
