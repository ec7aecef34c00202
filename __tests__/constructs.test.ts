/**
 * Constructs on a tiny scope (cdktf's Testing.synthScope), one concern each, next to the whole-app
 * tests: what each construct declares for the props it is given, and nothing of any environment.
 */
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { ManagedAddon } from "../modules/constructs/eks/managed-addon";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { ServiceRole, serviceTrust } from "../modules/constructs/iam/service-role";
import { ManifestsRelease } from "../modules/constructs/kubernetes/manifests-release";
import { EksVpc } from "../modules/constructs/network/vpc";
import { ZoneSubnets } from "../modules/constructs/network/zone-subnets";
import { NodeLaunchTemplate } from "../modules/constructs/nodes/node-launch-template";
import { decodeJsonencode, ref, type TfJson } from "./support/synth";

const synth = (build: (scope: Construct) => void): TfJson => JSON.parse(Testing.synthScope(build)) as TfJson;
const of = <T>(json: TfJson, type: string) => (json.resource?.[type] ?? {}) as Record<string, T>;

describe("ServiceRole", () => {
  const json = synth((scope) => {
    const role = new ServiceRole(scope, "role", {
      name: "demo-node",
      description: "Nodes",
      trust: serviceTrust("ec2.amazonaws.com"),
      managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"],
      policies: new AwsManagedPolicies(scope, "policies"),
    });
    expect(role.roleArn).toMatch(/^\$\{TfToken\[/);
  });

  it("is named as told and trusted by exactly the service", () => {
    const [role] = Object.values(of<{ name: string; assume_role_policy: string }>(json, "aws_iam_role"));
    expect(role.name).toBe("demo-node");
    const [trust] = Object.values(
      (json.data?.aws_iam_policy_document ?? {}) as Record<string, { statement: unknown[] }>,
    );
    expect(trust.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
      },
    ]);
  });

  it("has exactly the managed policies named, in the stack's partition", () => {
    const attachments = Object.values(of<{ policy_arn: string }>(json, "aws_iam_role_policy_attachment")).map(
      (a) => a.policy_arn,
    );
    const [partition] = Object.keys(json.data?.aws_partition ?? {});
    expect(attachments.sort()).toEqual([
      `arn:\${data.aws_partition.${partition}.partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`,
      `arn:\${data.aws_partition.${partition}.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`,
    ]);
  });
});

describe("ZoneSubnets", () => {
  const json = synth((scope) => {
    const vpc = new EksVpc(scope, "vpc", {
      name: "demo",
      cidr: "10.0.0.0/16",
      secondaryCidrs: ["100.64.0.0/16"],
      region: "eu-west-1",
    });
    const zone = new ZoneSubnets(scope, "zone", {
      vpc,
      az: "eu-west-1a",
      plan: { node: "10.0.0.0/24", pod: "100.64.0.0/20", public: "10.0.100.0/24", multus: ["10.0.8.0/24"] },
      name: "demo",
      podNetwork: "customNetworking",
    });
    expect(zone.subnetIdFor("multus", 1)).toBeDefined();
    expect(zone.subnetIdFor("controlPlane")).toBeUndefined();
    expect(zone.privateSubnets.map((s) => s.key)).toEqual(["node", "pod", "multus-1"]);
  });
  const subnets = of<{
    availability_zone: string;
    cidr_block: string;
    map_public_ip_on_launch: boolean;
    tags: Record<string, string>;
    depends_on?: string[];
  }>(json, "aws_subnet");
  const byCidr = (cidr: string) => Object.values(subnets).find((s) => s.cidr_block === cidr)!;

  it("puts every subnet of the zone in its AZ, one per role", () => {
    expect(
      Object.values(subnets)
        .map((s) => [s.cidr_block, s.availability_zone, s.tags["eks-custom-networking/role"]])
        .sort(),
    ).toEqual([
      ["10.0.0.0/24", "eu-west-1a", "node"],
      ["10.0.100.0/24", "eu-west-1a", "public"],
      ["10.0.8.0/24", "eu-west-1a", "multus"],
      ["100.64.0.0/20", "eu-west-1a", "pod"],
    ]);
  });

  it("gives public addresses at launch only in the public subnet", () => {
    expect(
      Object.values(subnets)
        .filter((s) => s.map_public_ip_on_launch)
        .map((s) => s.cidr_block),
    ).toEqual(["10.0.100.0/24"]);
  });

  it("makes a subnet of a secondary block wait for the block's association", () => {
    const [associationId] = Object.keys(of(json, "aws_vpc_ipv4_cidr_block_association"));
    expect(byCidr("100.64.0.0/20").depends_on).toEqual([`aws_vpc_ipv4_cidr_block_association.${associationId}`]);
    expect(byCidr("10.0.0.0/24").depends_on).toBeUndefined();
  });
});

describe("NodeLaunchTemplate", () => {
  const json = synth((scope) => {
    new NodeLaunchTemplate(scope, "lt", {
      name: "demo-ng",
      imageId: "ami-1",
      userData: "x",
      diskSizeGiB: 80,
      metadataHopLimit: 1,
      detailedMonitoring: false,
      tags: { a: "b" },
    });
  });
  const [template] = Object.values(of<Record<string, any>>(json, "aws_launch_template"));

  it("requires IMDSv2 with the hop limit given, and boots from an encrypted gp3 volume", () => {
    expect(template.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
    expect(template.block_device_mappings[0].ebs).toMatchObject({
      volume_type: "gp3",
      encrypted: "true",
      volume_size: 80,
    });
  });

  it("takes its name as a prefix, so a replacement can exist beside it", () => {
    expect(template.name_prefix).toBe("demo-ng-");
    expect(template.name).toBeUndefined();
  });
});

describe("ManagedAddon", () => {
  it("reads EKS's default version when none is pinned, and overwrites drift", () => {
    const json = synth(
      (scope) => new ManagedAddon(scope, "a", { clusterName: "c", addonName: "coredns", kubernetesVersion: "1.35" }),
    );
    const [addon] = Object.values(of<Record<string, string>>(json, "aws_eks_addon"));
    const [id, version] = Object.entries(
      (json.data?.aws_eks_addon_version ?? {}) as Record<string, { most_recent: boolean }>,
    )[0];
    expect(version.most_recent).toBe(false);
    expect(addon.addon_version).toBe(ref("data.aws_eks_addon_version", id, "version"));
    expect([addon.resolve_conflicts_on_create, addon.resolve_conflicts_on_update]).toEqual(["OVERWRITE", "OVERWRITE"]);
  });

  it("uses a pinned version as it is", () => {
    const json = synth(
      (scope) =>
        new ManagedAddon(scope, "a", {
          clusterName: "c",
          addonName: "vpc-cni",
          version: "v1.20.4-eksbuild.1",
          kubernetesVersion: "1.35",
        }),
    );
    expect(Object.values(of<Record<string, string>>(json, "aws_eks_addon"))[0].addon_version).toBe(
      "v1.20.4-eksbuild.1",
    );
    expect(json.data?.aws_eks_addon_version).toBeUndefined();
  });
});

describe("ManifestsRelease", () => {
  it("installs exactly the objects given, atomically, waiting for them", () => {
    const objects = [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x", namespace: "n" },
        data: { quote: 'say "hi" \\ ${not}' },
      },
    ];
    const json = synth((scope) => new ManifestsRelease(scope, "r", { name: "x", namespace: "n", objects }));
    const [release] = Object.values(of<Record<string, any>>(json, "helm_release"));
    expect(decodeJsonencode(release.values[0])).toEqual({ objects });
    expect(release).toMatchObject({
      name: "x",
      namespace: "n",
      create_namespace: true,
      atomic: true,
      wait: true,
      cleanup_on_fail: true,
    });
  });
});
