/**
 * Every rejection the IP plan and shape checks make, each identified by its message: the field path,
 * the values involved and the fix. Each runs through the synth path and must leave nothing written
 * (see `rejection`). All problems of a file are reported together.
 */
import { edited, environmentText, load, rejection } from "./support/environments";

const demo = (edit: Parameters<typeof edited>[1]) => edited("demo", edit);

describe("shape: unknown keys and wrong types", () => {
  it("names a misspelled key and the key that was meant", () => {
    const e = rejection(demo((d) => (d.network.natGateway = "single")));
    expect(e.report).toContain('network.natGateway: unknown key "natGateway"');
    expect(e.report).toContain('did you mean "natGateways"?');
  });

  it("names a misspelled key inside a node group", () => {
    const e = rejection(demo((d) => (d.nodeGroups[0].instance_type = "m5.large")));
    expect(e.report).toContain('nodeGroups[0].instance_type: unknown key "instance_type"');
    expect(e.report).toContain('did you mean "instanceType"?');
  });

  it("reports a string where a number belongs", () => {
    const e = rejection(demo((d) => (d.nodeGroups[0].desiredSize = "2")));
    expect(e.report).toMatch(/nodeGroups\[0\]\.desiredSize: expected number, found string "2"/);
  });

  it("explains an unquoted Kubernetes version", () => {
    const e = rejection(environmentText("demo").replace('version: "1.35"', "version: 1.30"));
    expect(e.report).toContain("cluster.version: expected string, found number 1.3");
    expect(e.report).toContain('quote values such as "1.30"');
  });

  it("lists the allowed values of an enum", () => {
    const e = rejection(demo((d) => (d.network.natGateways = "double")));
    expect(e.report).toContain('network.natGateways: string "double" is not allowed');
    expect(e.report).toContain('use one of: "single", "perAz"');
  });

  it("names a missing required field", () => {
    const e = rejection(demo((d) => delete d.cluster.serviceCidr));
    expect(e.report).toContain("cluster.serviceCidr: is required");
  });

  it("reports YAML syntax errors with their line", () => {
    const e = rejection("region: us-east-1\nnetwork: [\n", "broken");
    expect(e.report).toMatch(/broken\.yaml:3: error: YAML syntax/);
  });

  it("reports every shape problem at once, with file and line", () => {
    const e = rejection(
      demo((d) => {
        d.network.natGateway = "single";
        d.nodeGroups[0].desiredSize = "2";
      }),
      "two",
    );
    expect(e.problems.map((p) => p.path.join("."))).toEqual(
      expect.arrayContaining(["network.natGateway", "nodeGroups.0.desiredSize"]),
    );
    expect(e.message).toMatch(/two\.yaml: 2 errors in the environment; nothing was synthesized/);
    expect(e.report).toMatch(/two\.yaml:\d+: error: network\.natGateway/);
  });
});

describe("IP plan", () => {
  it("rejects a malformed CIDR", () => {
    const e = rejection(demo((d) => (d.network.zones["us-east-1a"].node = "172.16.1/24")));
    expect(e.report).toContain("network.zones.us-east-1a.node");
    expect(e.report).toContain("must be an IPv4 CIDR block");
  });

  it("rejects host bits and gives the network address to write", () => {
    const e = rejection(demo((d) => (d.network.zones["us-east-1a"].pod = "172.16.10.1/24")));
    expect(e.report).toContain("network.zones.us-east-1a.pod: 172.16.10.1/24 has host bits set");
    expect(e.report).toContain("fix: write 172.16.10.0/24");
  });

  it("rejects a subnet outside every VPC CIDR", () => {
    const e = rejection(demo((d) => (d.network.zones["us-east-1b"].public = "10.0.0.0/24")));
    expect(e.report).toContain(
      "network.zones.us-east-1b.public: 10.0.0.0/24 is outside every VPC CIDR block (172.16.0.0/16)",
    );
    expect(e.report).toContain("network.secondaryCidrs");
  });

  it("rejects overlapping subnets, naming both", () => {
    const e = rejection(demo((d) => (d.network.zones["us-east-1b"].pod = "172.16.1.128/25")));
    expect(e.report).toContain(
      "network.zones.us-east-1b.pod: 172.16.1.128/25 overlaps network.zones.us-east-1a.node (172.16.1.0/24)",
    );
  });

  it("rejects subnets smaller than /28 or larger than /16", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-east-1a"].pod = "172.16.10.0/29";
      }),
    );
    expect(e.report).toContain(
      "network.zones.us-east-1a.pod: 172.16.10.0/29 is a /29; an AWS subnet must be /16 to /28",
    );
  });

  it("rejects a VPC CIDR larger than /16", () => {
    const e = rejection(demo((d) => (d.network.vpcCidr = "172.16.0.0/12")));
    expect(e.report).toContain("network.vpcCidr: 172.16.0.0/12 is a /12; a VPC CIDR block must be /16 to /28");
  });

  it("rejects a secondary CIDR from another RFC 1918 range than the primary", () => {
    const e = rejection(demo((d) => (d.network.secondaryCidrs = ["10.1.0.0/16"])));
    expect(e.report).toContain(
      "network.secondaryCidrs[0]: 10.1.0.0/16 is in RFC 1918 range 10.0.0.0/8, but the primary CIDR 172.16.0.0/16 is in 172.16.0.0/12",
    );
    expect(e.report).toContain("100.64.0.0/10");
  });

  it("rejects a secondary CIDR overlapping the primary", () => {
    const e = rejection(demo((d) => (d.network.secondaryCidrs = ["172.16.128.0/17"])));
    expect(e.report).toContain("network.secondaryCidrs[0]: 172.16.128.0/17 overlaps network.vpcCidr (172.16.0.0/16)");
  });

  it("accepts subnets in a secondary CIDR", () => {
    const loaded = load(
      demo((d) => {
        d.network.secondaryCidrs = ["100.64.0.0/16"];
        d.network.zones["us-east-1a"].pod = "100.64.0.0/19";
      }),
    );
    expect(loaded.env.network.zones["us-east-1a"].pod).toBe("100.64.0.0/19");
  });

  it("rejects AZs that are not in the region", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-west-2a"] = d.network.zones["us-east-1a"];
        delete d.network.zones["us-east-1a"];
      }),
    );
    expect(e.report).toContain("network.zones.us-west-2a: availability zone us-west-2a is not in region us-east-1");
  });

  it("rejects a node group in an AZ the plan does not have", () => {
    const e = rejection(demo((d) => (d.nodeGroups[0].zones = ["us-east-1c"])));
    expect(e.report).toContain(
      "nodeGroups[0].zones[0]: ng-2-workers names AZ us-east-1c, which network.zones does not plan",
    );
  });

  it("rejects custom networking without a pod subnet where nodes run", () => {
    const e = rejection(demo((d) => delete d.network.zones["us-east-1b"].pod));
    expect(e.report).toContain(
      "network.zones.us-east-1b.pod: cni.customNetworking is on and nodes run in us-east-1b, but us-east-1b has no pod subnet",
    );
  });
});

describe("service CIDR", () => {
  it.each([
    ["100.64.0.0/16", "is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"],
    ["172.17.0.0/25", "smaller than the /24 EKS requires at least"],
    ["10.0.0.0/8", "larger than the /12 EKS accepts at most"],
    ["172.16.5.0/24", "overlaps the VPC CIDR network.vpcCidr (172.16.0.0/16)"],
  ])("rejects %s", (serviceCidr, reason) => {
    const e = rejection(demo((d) => (d.cluster.serviceCidr = serviceCidr)));
    expect(e.report).toContain(`cluster.serviceCidr: ${serviceCidr}`);
    expect(e.report).toContain(reason);
  });
});

describe("node group shape", () => {
  it("rejects sizes out of order", () => {
    const e = rejection(
      demo((d) => {
        d.nodeGroups[0].minSize = 3;
        d.nodeGroups[0].desiredSize = 2;
      }),
    );
    expect(e.report).toContain("nodeGroups[0].minSize: ng-2-workers: minSize 3 is above maxSize 2");
    expect(e.report).toContain(
      "nodeGroups[0].desiredSize: ng-2-workers: desiredSize 2 is outside minSize 3 .. maxSize 2",
    );
  });

  it("rejects two groups with one name", () => {
    const e = rejection(demo((d) => d.nodeGroups.push({ ...d.nodeGroups[0] })));
    expect(e.report).toContain("nodeGroups[1].name: node group name ng-2-workers is also used by nodeGroups[0]");
  });
});

describe("warnings", () => {
  it("warns that the default API endpoint is open to the world, without rejecting", () => {
    const loaded = load(environmentText("demo"));
    expect(loaded.report).toContain(
      "warning: cluster.endpoint.publicAccessCidrs: the Kubernetes API endpoint is reachable from any address",
    );
  });

  it("does not warn when the endpoint is restricted", () => {
    const loaded = load(environmentText("production"));
    expect(loaded.report).not.toContain("publicAccessCidrs");
  });
});

describe("node groups against their instance types", () => {
  it("rejects maxPods above what the CNI can address (maxPods 500 on m5.large)", () => {
    const e = rejection(
      demo((d) => {
        d.nodeGroups[0].instanceType = "m5.large";
        d.nodeGroups[0].maxPods = 500;
      }),
    );
    // m5.large: 3 ENIs of 10 addresses; custom networking leaves 2 ENIs, prefix delegation 9 /28s each.
    expect(e.report).toContain(
      "nodeGroups[0].maxPods: ng-2-workers: maxPods 500 is above what m5.large can address with custom networking and prefix delegation (2 ENIs x 9 prefixes of 16 + 2 = 290)",
    );
    expect(e.report).toContain("lower maxPods to at most 290 (recommended 110");
  });

  it("rejects maxPods 59 on m5.xlarge without prefix delegation and custom networking", () => {
    const e = rejection(
      edited("public-pods", (d) => {
        d.nodeGroups[0].maxPods = 59;
      }),
    );
    expect(e.report).toContain(
      "maxPods 59 is above what m5.xlarge can address with secondary IPs (4 ENIs x 14 addresses + 2 = 58)",
    );
  });

  it("rejects prefix delegation with a non-Nitro type, listing the offending groups", () => {
    const e = rejection(
      demo((d) => {
        d.nodeGroups.push({ ...d.nodeGroups[0], name: "old-gen", instanceType: "m4.xlarge", maxPods: 20 });
      }),
    );
    expect(e.report).toContain(
      "cni.prefixDelegation: prefix delegation needs Nitro instances, but these node groups are not: old-gen (m4.xlarge, hypervisor xen)",
    );
  });

  it("rejects an unknown instance type, naming close matches", () => {
    const e = rejection(demo((d) => (d.nodeGroups[0].instanceType = "m5.xlarg")));
    expect(e.report).toContain(
      'nodeGroups[0].instanceType: ng-2-workers: unknown instance type "m5.xlarg"; did you mean m5.xlarge',
    );
  });
});

describe("subnet capacity", () => {
  it("rejects a node subnet too small for the nodes placed in it", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-east-1a"].node = "172.16.1.0/28";
        d.nodeGroups[0].maxSize = 20;
        d.nodeGroups[0].desiredSize = 20;
      }),
    );
    // 20 nodes over 2 AZs: 10 per AZ, plus 6 addresses for control-plane ENIs; a /28 has 11.
    expect(e.report).toContain(
      "network.zones.us-east-1a.node: 172.16.1.0/28 (node, us-east-1a) has 11 usable addresses (AWS keeps 5), fewer than the 16",
    );
    expect(e.report).toContain("use a /27 or larger");
  });

  it("rejects a prefix-delegated pod subnet with fewer free /28 blocks than nodes", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-east-1b"].pod = "172.16.11.0/26";
        d.nodeGroups[0].maxSize = 10;
      }),
    );
    // a /26 has four /28 blocks; the first and last hold reserved addresses.
    expect(e.report).toContain(
      "network.zones.us-east-1b.pod: 172.16.11.0/26 (pod, us-east-1b) has 2 free /28 blocks for prefix delegation, fewer than its 5 nodes",
    );
  });

  it("refuses, with both numbers, pod subnets whose prefix reservations cannot hold nodes x maxPods", () => {
    const e = rejection(
      demo((d) => {
        d.nodeGroups[0].maxSize = 6;
      }),
    );
    // 3 nodes per AZ x (108 pod addresses in 7 prefixes + 1 warm prefix) = 24 prefixes; a /24 reserves
    // 14 /28 blocks at the most (its first and last hold AWS's reserved addresses).
    expect(e.report).toContain(
      "network.zones.us-east-1a.pod: 172.16.10.0/24 (pod, us-east-1a) cannot reserve the /28 blocks its pods need at maxSize: ng-2-workers: 3 nodes x 110 pods hold 24 prefixes (3 of them warm)",
    );
    expect(e.report).toContain("at most 14 of its 14 free blocks can be reserved");
    expect(e.report).toContain("use a /23 or larger subnet, or lower maxPods or maxSize");
  });

  it("warns in secondary-IP mode when the node subnet cannot hold the pods", () => {
    const loaded = load(
      edited("public-pods", (d) => {
        d.nodeGroups[0].maxSize = 10;
      }),
    );
    // 5 nodes per AZ in the public subnet, 58 pods each of which 56 take an address on 4 ENIs:
    // 5 x 56 pod addresses + 5 x 4 interface addresses + 1 NAT gateway + 8 for load balancers = 309 > 251.
    expect(loaded.report).toContain(
      "warning: network.zones.us-east-1a.public: 172.16.100.0/24 (public, us-east-1a) has 251 usable addresses, but ng-public: 5 nodes x 58 pods and their interfaces need 309",
    );
    expect(loaded.warnings.map((w) => w.id)).toContain("subnet-capacity");
  });
});

describe("cluster", () => {
  it("rejects a Kubernetes version not in EKS's major.minor form", () => {
    const e = rejection(demo((d) => (d.cluster.version = "1.35.2")));
    expect(e.report).toContain(
      'cluster.version: "1.35.2" is not a Kubernetes minor version in the form EKS takes ("1.35")',
    );
  });

  it("warns about a version EKS is not known to support", () => {
    const loaded = load(demo((d) => (d.cluster.version = "1.24")));
    expect(loaded.report).toContain("warning: cluster.version: EKS is not known to support Kubernetes 1.24");
  });

  it("rejects a control plane in a single AZ", () => {
    const e = rejection(
      demo((d) => {
        delete d.network.zones["us-east-1b"];
      }),
    );
    expect(e.report).toContain(
      "network.zones: the control plane needs subnets in at least two AZs; the plan has them in 1 (us-east-1a)",
    );
  });

  it("rejects dedicated control-plane subnets in a single AZ", () => {
    const e = rejection(demo((d) => (d.network.zones["us-east-1a"].controlPlane = "172.16.50.0/28")));
    expect(e.report).toContain(
      "the control plane needs subnets in at least two AZs; the plan has them in 1 (us-east-1a)",
    );
  });

  it("rejects a control-plane subnet without the 6 free addresses EKS asks for", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-east-1a"].node = "172.16.1.0/28";
        d.nodeGroups[0].maxSize = 12;
        d.nodeGroups[0].desiredSize = 12;
      }),
    );
    // 6 nodes per AZ and 6 control-plane addresses: 12 > 11 usable.
    expect(e.report).toContain(
      "172.16.1.0/28 (node, us-east-1a) has 11 usable addresses (AWS keeps 5), fewer than the 12 its nodes, gateways and control-plane interfaces need",
    );
  });
});

describe("public-IP pods", () => {
  const publicPods = (edit: Parameters<typeof edited>[1]) => edited("public-pods", edit);

  it("rejects them with external SNAT off", () => {
    const e = rejection(publicPods((d) => (d.cni.externalSnat = false)));
    expect(e.report).toContain(
      "workloads.publicIpPods[0]: shop-egress: pods with their own Elastic IP need cni.externalSnat: true",
    );
  });

  it("rejects them when every node group sits in the private node subnets", () => {
    const e = rejection(publicPods((d) => (d.nodeGroups[0].subnet = "node")));
    expect(e.report).toContain(
      "workloads.publicIpPods[0]: shop-egress: no node group has subnet: public, so these pods would sit in private subnets",
    );
  });

  it("rejects them on a named node group in private subnets", () => {
    const e = rejection(
      publicPods((d) => {
        d.nodeGroups.push({ ...d.nodeGroups[0], name: "private", subnet: "node" });
        d.workloads.publicIpPods[0].nodeGroups = ["private"];
      }),
    );
    expect(e.report).toContain(
      "workloads.publicIpPods[0].nodeGroups[0]: shop-egress: node group private is in the private node subnets",
    );
  });

  it("rejects them with custom networking, whose pod subnets route through NAT", () => {
    const e = rejection(
      publicPods((d) => {
        d.cni.customNetworking = true;
        for (const [i, zone] of Object.values(d.network.zones).entries())
          (zone as Record<string, string>).pod = `172.16.${10 + i}.0/24`;
      }),
    );
    expect(e.report).toContain(
      "shop-egress: with custom networking the pods take addresses of the pod subnets, which route through NAT",
    );
  });

  it("accepts them with prefix delegation (fault 5 of issue 15: the sidecar finds the ENI through the node's prefixes)", () => {
    const loaded = load(publicPods((d) => (d.cni.prefixDelegation = true)));
    expect(loaded.env.cni.prefixDelegation).toBe(true);
    expect(loaded.warnings.filter((w) => w.path[0] === "workloads")).toEqual([]);
  });

  it("warns when the Elastic IPs exceed the default quota, counting the NAT gateway's", () => {
    const loaded = load(publicPods((d) => (d.workloads.publicIpPods[0].replicas = 5)));
    expect(loaded.report).toContain(
      "warning: workloads.publicIpPods: this environment needs 6 Elastic IPs in us-east-1 (5 for pods, 1 for NAT), above the default quota of 5 per region",
    );
  });
});
