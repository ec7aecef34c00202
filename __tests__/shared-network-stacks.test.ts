/**
 * What a cluster in a network it does not create synthesizes: no VPC and no subnet, reads of the
 * network (another environment's state, or an existing VPC's data sources) with plan-time
 * conditions, and its own tag on the subnets it uses. The conditions are evaluated offline with
 * terraform console against what AWS would return, right and wrong.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { exportHcl } from "../scripts/synth-hcl";
import { Testing } from "cdktf";
import { SharedNetwork } from "../modules/constructs/network/shared-network";
import { edited, environmentText, loadFile, writeEnvironmentFile } from "./support/environments";
import {
  dataSources,
  resolveCrossStack,
  resolveSharedNetwork,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";
import { evaluateConditions, type Condition } from "./support/terraform-conditions";

type Tag = { resource_id: string; key: string; value: string };
type WithConditions = { lifecycle: { postcondition: Condition[] } };
const NETWORK_RESOURCES = ["aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_nat_gateway", "aws_route_table"];

describe("public-pods in demo's network", () => {
  let pods: Synthesized;
  let demo: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    pods = synthNamed("public-pods");
    demo = synthNamed("demo");
    net = pods.stack("network");
  });

  it("creates no VPC, subnet, gateway or route of its own", () => {
    for (const type of NETWORK_RESOURCES) expect([type, Object.keys(resources(net, type))]).toEqual([type, []]);
    expect(Object.keys(net.resource ?? {})).toEqual(["aws_ec2_tag"]);
  });

  it("reads demo's network stack from demo's own state file", () => {
    const [state] = Object.values(dataSources<{ backend: string; config: unknown }>(net, "terraform_remote_state"));
    expect(state).toMatchObject({
      backend: "local",
      config: { path: "<project>/terraform-state/demo/network.tfstate" },
    });
    expect(demo.stack("network").terraform!.backend).toEqual({
      local: { path: "<project>/terraform-state/demo/network.tfstate" },
    });
  });

  it("stops the plan unless demo's network is deployed with the blocks demo.yaml plans", () => {
    const [state] = Object.values(dataSources<WithConditions>(net, "terraform_remote_state"));
    const conditions = state.lifecycle.postcondition;
    const deployed = { vpc_id: "vpc-1", subnet_ids: { node: {} }, vpc_cidrs: ["172.16.0.0/16"] };
    expect(evaluateConditions(conditions, { outputs: deployed })).toEqual([true, true]);
    expect(evaluateConditions(conditions, { outputs: {} })).toEqual([false, false]);
    expect(evaluateConditions(conditions, { outputs: { ...deployed, vpc_cidrs: ["10.0.0.0/16"] } })).toEqual([
      true,
      false,
    ]);
    expect(conditions[0].error_message).toContain("deploy it first: EKS_ENV=demo npm run deploy -- network");
    // A second deployer, on another machine, has no local state of demo's: deploying demo again there
    // would make a second VPC.
    expect(conditions[0].error_message).toContain(
      "if it was deployed from another machine, its state (terraform-state/demo/network.tfstate) is there: move both environments to a shared backend (s3 or cloud) rather than deploying it again, which would create a second VPC",
    );
  });

  it("tags exactly demo's node and public subnets for cluster-demo-2 (its pods are not in the pod subnets)", () => {
    const tags = Object.values(resources<Tag>(net, "aws_ec2_tag"));
    const tagged = tags.map((t) => {
      expect([t.key, t.value]).toEqual(["kubernetes.io/cluster/cluster-demo-2", "shared"]);
      const subnet = resolveSharedNetwork(pods, demo, t.resource_id);
      return `${subnet.resource.cidr_block} ${(subnet.resource.tags as Record<string, string>)["eks-custom-networking/role"]}`;
    });
    expect(tagged.sort()).toEqual([
      "172.16.1.0/24 node",
      "172.16.100.0/24 public",
      "172.16.101.0/24 public",
      "172.16.2.0/24 node",
    ]);
  });

  it("runs its control plane in demo's node subnets and its nodes in demo's public subnets", () => {
    const [cluster] = Object.values(
      resources<{ vpc_config: { subnet_ids: string[] } }>(pods.stack("cluster"), "aws_eks_cluster"),
    );
    const cidrs = cluster.vpc_config.subnet_ids.map((s) => resolveSharedNetwork(pods, demo, s).resource.cidr_block);
    expect(cidrs).toEqual(["172.16.1.0/24", "172.16.2.0/24"]);
  });

  it("leaves the other clusters' tags alone, as demo's network stack leaves cluster-demo-2's", () => {
    for (const synth of [pods, demo]) {
      const aws = (synth.stack("network").provider!.aws as Array<{ ignore_tags: unknown }>)[0];
      expect(aws.ignore_tags).toEqual([{ key_prefixes: ["kubernetes.io/cluster/"] }]);
    }
  });
});

describe("the owner's backend decides where the shared network is read", () => {
  function networkOf(ownerBackend: Record<string, unknown>): TfJson {
    const file = writeEnvironmentFile(
      "second",
      edited("public-pods", (d) => (d.network = { from: "./owner.yaml" })),
    );
    writeFileSync(
      join(dirname(file), "owner.yaml"),
      edited("demo", (d) => (d.backend = ownerBackend)),
    );
    // The loader carries the owner's backend; the network stack's SharedNetwork reads through it.
    const { env } = loadFile(file);
    if (env.network.source.kind !== "shared") throw new Error("not a shared network");
    const { owner } = env.network.source;
    return JSON.parse(
      Testing.synthScope((scope) => new SharedNetwork(scope, "shared-network", { owner, network: env.network })),
    ) as TfJson;
  }

  it("S3: the owner's bucket, region and key", () => {
    const net = networkOf({ type: "s3", bucket: "acme-tfstate", region: "eu-central-1", keyPrefix: "eks" });
    expect(Object.values(dataSources(net, "terraform_remote_state"))[0]).toMatchObject({
      backend: "s3",
      config: { bucket: "acme-tfstate", region: "eu-central-1", key: "eks/owner/network.tfstate" },
    });
    // Every deployer reads the same bucket: no word about a state on another machine.
    const [state] = Object.values(dataSources<WithConditions>(net, "terraform_remote_state"));
    expect(state.lifecycle.postcondition[0].error_message).not.toContain("another machine");
  });

  it("HCP Terraform: the owner's network workspace", () => {
    const net = networkOf({ type: "cloud", organization: "example-platform", workspacePrefix: "eksnet" });
    expect(Object.values(dataSources(net, "terraform_remote_state"))[0]).toMatchObject({
      backend: "remote",
      config: {
        organization: "example-platform",
        hostname: "app.terraform.io",
        workspaces: { name: "eksnet-owner-network" },
      },
    });
  });
});

describe("an existing VPC by id", () => {
  let synth: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("existing", environmentText("existing-vpc")) });
    net = synth.stack("network");
  });
  afterAll(() => synth.cleanup());

  it("creates nothing of the network, only the cluster's tags", () => {
    expect(Object.keys(net.resource ?? {})).toEqual(["aws_ec2_tag"]);
  });

  it("checks the VPC's blocks and DNS settings at plan time", () => {
    const [[vpcId, vpc]] = Object.entries(dataSources<WithConditions & { id: string }>(net, "aws_vpc"));
    expect(vpc.id).toBe("vpc-0a1b2c3d4e5f60718");
    const right = {
      cidr_block: "10.40.0.0/16",
      cidr_block_associations: [
        { cidr_block: "10.40.0.0/16", state: "associated" },
        { cidr_block: "100.64.0.0/16", state: "associated" },
      ],
      enable_dns_support: true,
      enable_dns_hostnames: true,
    };
    const conditions = vpc.lifecycle.postcondition;
    expect(evaluateConditions(conditions, right)).toEqual([true, true, true]);
    expect(evaluateConditions(conditions, { ...right, cidr_block: "10.41.0.0/16" })).toEqual([false, true, true]);
    expect(
      evaluateConditions(conditions, { ...right, cidr_block_associations: [right.cidr_block_associations[0]] }),
    ).toEqual([true, false, true]);
    expect(evaluateConditions(conditions, { ...right, enable_dns_hostnames: false })).toEqual([true, true, false]);
    expect(synth.stack("network").output!.vpc_id.value).toBe(`\${data.aws_vpc.${vpcId}.id}`);
  });

  it("checks each subnet's VPC, AZ and CIDR, and public address mapping where public nodes run", () => {
    const subnets = dataSources<WithConditions & { id: string }>(net, "aws_subnet");
    expect(
      Object.values(subnets)
        .map((s) => s.id)
        .sort(),
    ).toEqual([
      "subnet-0aa1aa1aa1aa1aa11",
      "subnet-0aa2aa2aa2aa2aa22",
      "subnet-0aa3aa3aa3aa3aa33",
      "subnet-0bb1bb1bb1bb1bb11",
      "subnet-0bb2bb2bb2bb2bb22",
    ]);
    const publicSubnet = Object.values(subnets).find((s) => s.id === "subnet-0aa3aa3aa3aa3aa33")!;
    const right = {
      vpc_id: "vpc-0a1b2c3d4e5f60718",
      availability_zone: "eu-west-1a",
      cidr_block: "10.40.32.0/24",
      map_public_ip_on_launch: true,
    };
    const conditions = publicSubnet.lifecycle.postcondition;
    expect(evaluateConditions(conditions, right)).toEqual([true, true, true, true]);
    expect(
      evaluateConditions(conditions, {
        ...right,
        vpc_id: "vpc-0ffffffffffffffff",
        availability_zone: "eu-west-1b",
        cidr_block: "10.40.33.0/24",
        map_public_ip_on_launch: false,
      }),
    ).toEqual([false, false, false, false]);
    // A node subnet needs no public addresses.
    const node = Object.values(subnets).find((s) => s.id === "subnet-0aa1aa1aa1aa1aa11")!;
    expect(node.lifecycle.postcondition).toHaveLength(3);
  });

  it("tags the node, pod (custom networking) and public subnets it uses, by their read ids", () => {
    const subnets = dataSources<{ id: string }>(net, "aws_subnet");
    const tagged = Object.values(resources<Tag>(net, "aws_ec2_tag")).map((t) => {
      const [, subnet] = Object.entries(subnets).find(([id]) => t.resource_id === `\${data.aws_subnet.${id}.id}`)!;
      return subnet.id;
    });
    expect(tagged.sort()).toEqual(
      Object.values(subnets)
        .map((s) => s.id)
        .sort(),
    );
  });

  it("puts the control plane in the node subnets it read", () => {
    const [cluster] = Object.values(
      resources<{ vpc_config: { subnet_ids: string[] } }>(synth.stack("cluster"), "aws_eks_cluster"),
    );
    const read = cluster.vpc_config.subnet_ids.map((s) => resolveCrossStack(synth, s));
    expect(read.map((r) => [r.type, r.resource.id])).toEqual([
      ["aws_subnet", "subnet-0aa1aa1aa1aa1aa11"],
      ["aws_subnet", "subnet-0bb1bb1bb1bb1bb11"],
    ]);
  });

  it("exports as HCL that terraform fmt parses, conditions included", () => {
    const file = writeEnvironmentFile("existing", environmentText("existing-vpc"));
    expect(exportHcl({ EKS_ENV_FILE: file }, join(dirname(file), "hcl")).formatted).toBe(true);
  });
});

describe("a VPC block from an IPAM pool", () => {
  let synth: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("ipam", environmentText("ipam")) });
    net = synth.stack("network");
  });
  afterAll(() => synth.cleanup());

  it("creates the VPC with the pool and the literal block", () => {
    const [vpc] = Object.values(resources<{ cidr_block: string; ipv4_ipam_pool_id: string }>(net, "aws_vpc"));
    expect(vpc).toMatchObject({ cidr_block: "10.50.0.0/16", ipv4_ipam_pool_id: "ipam-pool-0123456789abcdef0" });
  });

  it("checks at plan time that the pool is an IPv4 pool of the region that allocates a /16", () => {
    const [pool] = Object.values(dataSources<WithConditions & { ipam_pool_id: string }>(net, "aws_vpc_ipam_pool"));
    expect(pool.ipam_pool_id).toBe("ipam-pool-0123456789abcdef0");
    const right = {
      address_family: "ipv4",
      locale: "us-east-1",
      allocation_min_netmask_length: 0,
      allocation_max_netmask_length: 0,
    };
    const conditions = pool.lifecycle.postcondition;
    expect(evaluateConditions(conditions, right)).toEqual([true, true, true]);
    expect(evaluateConditions(conditions, { ...right, allocation_min_netmask_length: 16 })).toEqual([true, true, true]);
    expect(evaluateConditions(conditions, { ...right, address_family: "ipv6", locale: "eu-west-1" })).toEqual([
      false,
      false,
      true,
    ]);
    expect(
      evaluateConditions(conditions, {
        ...right,
        allocation_min_netmask_length: 20,
        allocation_max_netmask_length: 24,
      }),
    ).toEqual([true, true, false]);
  });

  it("checks at plan time that the block lies in a provisioned CIDR of the pool", () => {
    const [cidrs] = Object.values(dataSources<WithConditions>(net, "aws_vpc_ipam_pool_cidrs"));
    const [condition] = cidrs.lifecycle.postcondition;
    const holds = (pool: Array<{ cidr: string; state: string }>) =>
      evaluateConditions([condition], { ipam_pool_cidrs: pool })[0];
    expect(holds([{ cidr: "10.0.0.0/8", state: "provisioned" }])).toBe(true);
    expect(
      holds([
        { cidr: "192.168.0.0/16", state: "provisioned" },
        { cidr: "10.50.0.0/16", state: "provisioned" },
      ]),
    ).toBe(true);
    expect(holds([{ cidr: "10.0.0.0/8", state: "pending-provision" }])).toBe(false);
    expect(holds([{ cidr: "10.50.0.0/17", state: "provisioned" }])).toBe(false);
    expect(holds([{ cidr: "10.60.0.0/16", state: "provisioned" }])).toBe(false);
    expect(holds([])).toBe(false);
  });

  it("exports as HCL that terraform fmt parses", () => {
    const file = writeEnvironmentFile("ipam", environmentText("ipam"));
    expect(exportHcl({ EKS_ENV_FILE: file }, join(dirname(file), "hcl")).formatted).toBe(true);
  });

  it("a VPC of its own without a pool reads no pool", () => {
    expect(dataSources(synthNamed("demo").stack("network"), "aws_vpc_ipam_pool")).toEqual({});
  });
});
