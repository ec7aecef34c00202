import { only, ref, resources, synthNamed, type Synthesized, type TfJson } from "./support/synth";

type Subnet = {
  availability_zone: string;
  cidr_block: string;
  map_public_ip_on_launch: boolean;
  tags: Record<string, string>;
  vpc_id: string;
  depends_on?: string[];
};
type Route = { route_table_id: string; destination_cidr_block: string; gateway_id?: string; nat_gateway_id?: string };
type Association = { route_table_id: string; subnet_id: string };
type Nat = { subnet_id: string; allocation_id: string };

/** Subnet logical ids by "role az". */
function subnetsByRoleAndZone(json: TfJson): Map<string, [string, Subnet]> {
  const out = new Map<string, [string, Subnet]>();
  for (const [id, s] of Object.entries(resources<Subnet>(json, "aws_subnet"))) {
    out.set(`${s.tags["eks-custom-networking/role"]} ${s.availability_zone}`, [id, s]);
  }
  return out;
}

/** The route table a subnet is associated with, and that table's default route. */
function defaultRouteOf(json: TfJson, subnetId: string): Route {
  const [, association] = only<Association>(
    json,
    "aws_route_table_association",
    (a) => a.subnet_id === ref("aws_subnet", subnetId),
  );
  const [, route] = only<Route>(
    json,
    "aws_route",
    (r) => r.route_table_id === association.route_table_id && r.destination_cidr_block === "0.0.0.0/0",
  );
  return route;
}

describe("network stack, demo", () => {
  let synth: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    synth = synthNamed("demo");
    net = synth.stack("network");
  });
  afterAll(() => synth.cleanup());

  it("has a VPC of 172.16.0.0/16 with DNS support and hostnames", () => {
    const [, vpc] = only<{ cidr_block: string; enable_dns_support: boolean; enable_dns_hostnames: boolean }>(
      net,
      "aws_vpc",
    );
    expect(vpc).toMatchObject({ cidr_block: "172.16.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  });

  it("holds exactly the six subnets of the article, each in its AZ", () => {
    const subnets = subnetsByRoleAndZone(net);
    const plan = [...subnets.entries()].map(([key, [, s]]) => `${key} ${s.cidr_block}`).sort();
    expect(plan).toEqual([
      "node us-east-1a 172.16.1.0/24",
      "node us-east-1b 172.16.2.0/24",
      "pod us-east-1a 172.16.10.0/24",
      "pod us-east-1b 172.16.11.0/24",
      "public us-east-1a 172.16.100.0/24",
      "public us-east-1b 172.16.101.0/24",
    ]);
  });

  it("maps public IPs on launch in the public subnets only", () => {
    for (const [key, [, s]] of subnetsByRoleAndZone(net)) {
      expect([key, s.map_public_ip_on_launch]).toEqual([key, key.startsWith("public")]);
    }
  });

  it("tags subnets for EKS and the load balancer controller by role", () => {
    const subnets = subnetsByRoleAndZone(net);
    // The cluster's own tag is a tag resource per subnet, so other clusters in the VPC can add theirs.
    const tags = Object.values(resources<{ resource_id: string; key: string; value: string }>(net, "aws_ec2_tag"));
    for (const [id, s] of subnets.values()) {
      expect(s.tags["kubernetes.io/cluster/cluster-demo"]).toBeUndefined();
      expect(tags.filter((t) => t.resource_id === ref("aws_subnet", id))).toEqual([
        expect.objectContaining({
          resource_id: ref("aws_subnet", id),
          key: "kubernetes.io/cluster/cluster-demo",
          value: "shared",
        }),
      ]);
    }
    expect(tags).toHaveLength(subnets.size);
    expect(subnets.get("public us-east-1a")![1].tags["kubernetes.io/role/elb"]).toBe("1");
    expect(subnets.get("node us-east-1b")![1].tags["kubernetes.io/role/internal-elb"]).toBe("1");
    const pod = subnets.get("pod us-east-1a")![1].tags;
    expect(pod["kubernetes.io/role/elb"]).toBeUndefined();
    expect(pod["kubernetes.io/role/internal-elb"]).toBeUndefined();
  });

  it("routes public subnets to the internet gateway", () => {
    const [igw] = only(net, "aws_internet_gateway");
    for (const az of ["us-east-1a", "us-east-1b"]) {
      const [id] = subnetsByRoleAndZone(net).get(`public ${az}`)!;
      expect(defaultRouteOf(net, id).gateway_id).toBe(ref("aws_internet_gateway", igw));
    }
  });

  it("puts one NAT gateway, with an Elastic IP, in the public subnet of the first AZ", () => {
    const [, nat] = only<Nat>(net, "aws_nat_gateway");
    const [eip] = only<{ domain: string }>(net, "aws_eip", (e) => e.domain === "vpc");
    expect(nat.subnet_id).toBe(ref("aws_subnet", subnetsByRoleAndZone(net).get("public us-east-1a")![0]));
    expect(nat.allocation_id).toBe(ref("aws_eip", eip, "allocation_id"));
  });

  it("routes node and pod subnets of both AZs to that NAT gateway", () => {
    const [natId] = only<Nat>(net, "aws_nat_gateway");
    for (const key of ["node us-east-1a", "node us-east-1b", "pod us-east-1a", "pod us-east-1b"]) {
      const [id] = subnetsByRoleAndZone(net).get(key)!;
      expect([key, defaultRouteOf(net, id).nat_gateway_id]).toEqual([key, ref("aws_nat_gateway", natId)]);
    }
  });

  it("empties the VPC's default security group", () => {
    const [, sg] = only<Record<string, unknown>>(net, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  it("tags everything with the environment through the provider's default tags", () => {
    const aws = (
      net.provider!.aws as Array<{ region: string; default_tags: Array<{ tags: Record<string, string> }> }>
    )[0];
    expect(aws.region).toBe("us-east-1");
    expect(aws.default_tags[0].tags).toMatchObject({ Environment: "demo", Cluster: "cluster-demo" });
  });

  it("leaves every cluster's tag on its subnets alone, its own included (kept by aws_ec2_tag)", () => {
    const aws = (net.provider!.aws as Array<{ ignore_tags: Array<{ key_prefixes: string[] }> }>)[0];
    expect(aws.ignore_tags).toEqual([{ key_prefixes: ["kubernetes.io/cluster/"] }]);
  });

  it("keeps its state locally, per environment and stack", () => {
    expect(net.terraform!.backend).toEqual({ local: { path: "<project>/terraform-state/demo/network.tfstate" } });
  });

  it("outputs the VPC id and CIDRs and the subnet ids by role and AZ", () => {
    const subnets = subnetsByRoleAndZone(net);
    const outputs = net.output!;
    expect(outputs.vpc_id.value).toBe(ref("aws_vpc", only(net, "aws_vpc")[0]));
    expect(outputs.vpc_cidrs.value).toEqual(["172.16.0.0/16"]);
    expect(outputs.subnet_ids.value).toEqual({
      node: {
        "us-east-1a": ref("aws_subnet", subnets.get("node us-east-1a")![0]),
        "us-east-1b": ref("aws_subnet", subnets.get("node us-east-1b")![0]),
      },
      pod: {
        "us-east-1a": ref("aws_subnet", subnets.get("pod us-east-1a")![0]),
        "us-east-1b": ref("aws_subnet", subnets.get("pod us-east-1b")![0]),
      },
      public: {
        "us-east-1a": ref("aws_subnet", subnets.get("public us-east-1a")![0]),
        "us-east-1b": ref("aws_subnet", subnets.get("public us-east-1b")![0]),
      },
    });
  });
});

describe("network stack, production", () => {
  let synth: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    synth = synthNamed("production");
    net = synth.stack("network");
  });
  afterAll(() => synth.cleanup());

  it("associates the secondary CIDR and creates pod subnets only after it", () => {
    const [assocId, association] = only<{ cidr_block: string }>(net, "aws_vpc_ipv4_cidr_block_association");
    expect(association.cidr_block).toBe("100.64.0.0/16");
    for (const [key, [, s]] of subnetsByRoleAndZone(net)) {
      const inSecondary = s.cidr_block.startsWith("100.64.");
      expect([key, inSecondary]).toEqual([key, key.startsWith("pod")]);
      expect([key, s.depends_on ?? []]).toEqual([
        key,
        inSecondary ? [`aws_vpc_ipv4_cidr_block_association.${assocId}`] : [],
      ]);
    }
  });

  it("runs one NAT gateway per AZ and routes each AZ's private subnets to its own", () => {
    const nats = resources<Nat>(net, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    const subnets = subnetsByRoleAndZone(net);
    for (const az of ["eu-west-1a", "eu-west-1b", "eu-west-1c"]) {
      const [natId] = only<Nat>(
        net,
        "aws_nat_gateway",
        (n) => n.subnet_id === ref("aws_subnet", subnets.get(`public ${az}`)![0]),
      );
      for (const role of ["node", "pod", "controlPlane"]) {
        const [id] = subnets.get(`${role} ${az}`)!;
        expect([role, az, defaultRouteOf(net, id).nat_gateway_id]).toEqual([role, az, ref("aws_nat_gateway", natId)]);
      }
    }
  });

  it("adds the environment's own tags to the default tags", () => {
    const aws = (net.provider!.aws as Array<{ default_tags: Array<{ tags: Record<string, string> }> }>)[0];
    expect(aws.default_tags[0].tags).toMatchObject({ Environment: "production", "cost-center": "platform" });
  });
});

describe("every stack", () => {
  it("requires Terraform 1.10 (S3-native locking), enforced by Terraform instead of at synth", () => {
    const synth = synthNamed("demo");
    for (const stack of synth.stacks)
      expect([stack, synth.stack(stack).terraform!.required_version]).toEqual([stack, ">= 1.10"]);
  });
});
