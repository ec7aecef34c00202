/**
 * verify's checks on hand-written recorded states (fixtures/recorded/<env>/): the state of each
 * deployed environment holds to its plan, and each edit below breaks exactly one check, which names
 * the thing, the value found and what the plan says.
 */
import { editedState, recorded, verifyState, without, wrongChecks, wrongRows } from "./support/recorded";

const demo = recorded("demo");
const publicPods = recorded("public-pods");
const telco = recorded("telco");

describe("a recorded state that matches its plan", () => {
  it.each([
    ["demo", demo],
    ["public-pods", publicPods],
    ["telco", telco],
  ])("%s: every check runs and holds", (environment, texts) => {
    const report = verifyState(environment, texts);
    expect(wrongRows(report)).toEqual([]);
    expect(report.result).toBe("ok");
    expect(report.summary).toEqual({ ok: 9, wrong: 0, skipped: 0 });
  });

  it("demo: rows say what was compared (every node, every pod with its own address, every Service)", () => {
    const report = verifyState("demo", demo);
    const rows = (id: string) => report.checks.find((c) => c.id === id)!.rows;
    expect(rows("nodes").filter((r) => r.property === "allocatable pods")).toEqual([
      expect.objectContaining({ subject: "node ip-172-16-1-57.ec2.internal", found: "110", status: "ok" }),
      expect.objectContaining({ subject: "node ip-172-16-2-183.ec2.internal", found: "110", status: "ok" }),
    ]);
    // Host-network pods (aws-node, kube-proxy) show the node's address; a Succeeded job's address is stale.
    expect(rows("pods").map((r) => r.subject)).toEqual([
      "pod bootcamp/kubernetes-bootcamp-6f8d7c9b5d-4xq2z",
      "pod bootcamp/kubernetes-bootcamp-6f8d7c9b5d-m7k9p",
      "pod kube-system/coredns-5c8d9f7b6c-8wjzr",
      "pod kube-system/coredns-5c8d9f7b6c-tq4vd",
    ]);
    expect(rows("services").map((r) => r.found)).toEqual(["172.17.0.1", "172.17.0.10", "172.17.0.173"]);
    expect(rows("subnets")).toContainEqual(
      expect.objectContaining({
        subject: "subnet 172.16.10.0/24 (pod subnet of us-east-1a)",
        property: "free aligned /28 blocks",
        found: "12",
        expected: "at least 6: pods hold 8 prefixes here at maxSize (warm ones included), 2 delegated now",
      }),
    );
  });

  it("a state checked against another environment's plan is wrong", () => {
    expect(verifyState("public-pods", demo).result).toBe("wrong");
  });
});

describe("one thing off the plan: exactly its check fails", () => {
  const cases: Array<[string, string, () => ReturnType<typeof verifyState>, object]> = [
    [
      "a node with allocatable pods 58",
      "nodes",
      () =>
        verifyState(
          "demo",
          editedState(demo, "nodes.json", (d) => (d.items[1].status.allocatable.pods = "58")),
        ),
      {
        subject: "node ip-172-16-2-183.ec2.internal",
        property: "allocatable pods",
        found: "58",
        expected: "110 (max pods of ng-2-workers, set in the environment)",
      },
    ],
    [
      "a pod in a node subnet",
      "pods",
      () =>
        verifyState(
          "demo",
          editedState(demo, "pods.json", (d) => {
            d.items[0].status.podIP = "172.16.1.150";
            d.items[0].status.podIPs = [{ ip: "172.16.1.150" }];
          }),
        ),
      {
        subject: "pod bootcamp/kubernetes-bootcamp-6f8d7c9b5d-4xq2z",
        property: "address",
        found: "172.16.1.150 (node subnet of us-east-1a)",
        expected:
          "in 172.16.10.0/24 (pod subnet of us-east-1a, custom networking: ip-172-16-1-57.ec2.internal is in us-east-1a)",
      },
    ],
    [
      "a Service IP outside the service range",
      "services",
      () =>
        verifyState(
          "demo",
          editedState(demo, "services.json", (d) => {
            d.items[1].spec.clusterIP = "10.100.0.10";
            d.items[1].spec.clusterIPs = ["10.100.0.10"];
          }),
        ),
      {
        subject: "service kube-system/kube-dns",
        found: "10.100.0.10",
        expected: "in 172.17.0.0/24 (cluster.serviceCidr)",
      },
    ],
    [
      "prefix delegation off in aws-node",
      "aws-node",
      () =>
        verifyState(
          "demo",
          editedState(demo, "aws-node.json", (d) => {
            const env = d.spec.template.spec.containers[0].env;
            env.find((e: any) => e.name === "ENABLE_PREFIX_DELEGATION").value = "false";
          }),
        ),
      {
        subject: "daemonset kube-system/aws-node",
        property: "ENABLE_PREFIX_DELEGATION",
        found: "false",
        expected: "true",
      },
    ],
    [
      "a missing ENIConfig",
      "eniconfigs",
      () =>
        verifyState(
          "demo",
          editedState(demo, "eniconfigs.json", (d) => d.items.pop()),
        ),
      { subject: "ENIConfig us-east-1b", property: "exists", found: "missing" },
    ],
    [
      "a fragmented pod subnet (an interface outside the plan with one address in each of nine /28 blocks)",
      "subnets",
      () =>
        verifyState(
          "demo",
          editedState(demo, "network-interfaces.json", (d) =>
            d.NetworkInterfaces.push({
              AvailabilityZone: "us-east-1a",
              Description: "legacy batch host",
              Groups: [{ GroupId: "sg-0aa1bb2cc3dd4ee5f", GroupName: "legacy-batch" }],
              InterfaceType: "interface",
              NetworkInterfaceId: "eni-0f9e8d7c6b5a40321",
              PrivateIpAddress: "172.16.10.52",
              PrivateIpAddresses: [
                "172.16.10.52",
                "172.16.10.68",
                "172.16.10.84",
                "172.16.10.100",
                "172.16.10.116",
                "172.16.10.132",
                "172.16.10.148",
                "172.16.10.164",
                "172.16.10.180",
              ].map((a, i) => ({ Primary: i === 0, PrivateIpAddress: a })),
              Status: "in-use",
              SubnetId: "subnet-0b7e1c2d3f4a5b601",
              VpcId: "vpc-0f1e2d3c4b5a69788",
            }),
          ),
        ),
      {
        subject: "subnet 172.16.10.0/24 (pod subnet of us-east-1a)",
        property: "free aligned /28 blocks",
        found: "3; 9 held outside the plan (eni-0f9e8d7c6b5a40321)",
        expected: "at least 6: pods hold 8 prefixes here at maxSize (warm ones included), 2 delegated now",
      },
    ],
    [
      "a missing Multus reservation",
      "reservations",
      () =>
        verifyState(
          "telco",
          editedState(telco, "subnet-cidr-reservations.json", (d) => {
            d.SubnetIpv4CidrReservations = d.SubnetIpv4CidrReservations.filter(
              (r: { Cidr: string }) => r.Cidr !== "10.30.13.64/26",
            );
          }),
        ),
      {
        subject: "subnet 10.30.13.0/24 (multus 2 subnet of eu-central-1b)",
        property: "explicit reservation for Multus network media",
        found: "none",
        expected: "explicit 10.30.13.64/26",
      },
    ],
    [
      "a missing prefix reservation (the plan grew, the network stack was not deployed)",
      "reservations",
      () =>
        verifyState(
          "demo",
          editedState(demo, "subnet-cidr-reservations.json", (d) => {
            d.SubnetIpv4CidrReservations = d.SubnetIpv4CidrReservations.filter(
              (r: { Cidr: string }) => r.Cidr !== "172.16.11.80/28",
            );
          }),
        ),
      {
        subject: "subnet 172.16.11.0/24 (pod subnet of us-east-1b)",
        property: "prefix reservation for pod /28 prefixes (slot 10 of the pod subnet)",
        expected: "prefix 172.16.11.80/28",
      },
    ],
    [
      "an Elastic IP on a foreign address (the pod restarted with a new one)",
      "public-ips",
      () => {
        const moved = editedState(publicPods, "addresses.json", (d) => {
          d.Addresses[2].PrivateIpAddress = "172.16.101.200";
        });
        return verifyState(
          "public-pods",
          editedState(moved, "network-interfaces.json", (d) => {
            const ips = d.NetworkInterfaces[2].PrivateIpAddresses;
            ips.find((a: any) => a.PrivateIpAddress === "172.16.101.200").Association = ips.find(
              (a: any) => a.PrivateIpAddress === "172.16.101.152",
            ).Association;
            delete ips.find((a: any) => a.PrivateIpAddress === "172.16.101.152").Association;
          }),
        );
      },
      {
        subject: "pod shop/shop-egress-1",
        property: "Elastic IP",
        found: "203.0.113.11 on 172.16.101.200",
        expected: "203.0.113.11 on 172.16.101.152 (the pod's address)",
      },
    ],
    [
      "a Multus address not on its ENI",
      "multus",
      () =>
        verifyState(
          "telco",
          editedState(telco, "network-interfaces.json", (d) => {
            const eni = d.NetworkInterfaces.find((e: any) => e.NetworkInterfaceId === "eni-0a2b3c4d5e6f70003");
            eni.PrivateIpAddresses = eni.PrivateIpAddresses.filter((a: any) => a.PrivateIpAddress !== "10.30.12.64");
          }),
        ),
      {
        subject: "pod telco/cnf-demo-eu-central-1a-7c9d8b6f5-q2w4e",
        property: "telco/media-eu-central-1a (net2): 10.30.12.64 in EC2",
        found: "on no interface",
        expected:
          "on the Multus interface 2 of ip-10-30-0-71.eu-central-1.compute.internal (i-0a0b0c0d0e0f01003, subnet 10.30.12.0/24)",
      },
    ],
  ];

  it.each(cases)("%s: %s", (_, check, report, row) => {
    const result = report();
    expect(wrongChecks(result)).toEqual([check]);
    const wrong = wrongRows(result);
    expect(wrong).toEqual([expect.objectContaining({ check, status: "wrong", ...row })]);
    expect(wrong[0].fix).toEqual(expect.any(String));
  });
});

describe("other ways off the plan", () => {
  it("without custom networking, a pod must be in its node's own subnet", () => {
    const report = verifyState(
      "public-pods",
      editedState(publicPods, "pods.json", (d) => (d.items[2].status.podIP = "172.16.1.77")),
    );
    expect(wrongRows(report)).toEqual([
      expect.objectContaining({
        check: "pods",
        subject: "pod kube-system/coredns-7d4b9c8f6e-k2m8n",
        found: "172.16.1.77 (node subnet of us-east-1a)",
        expected:
          "in 172.16.100.0/24 (public subnet of us-east-1a, no custom networking: the subnet of ip-172-16-100-25.ec2.internal's primary address)",
      }),
    ]);
  });

  it("a node labelled with another AZ than its instance's, and a node group short of nodes", () => {
    const report = verifyState(
      "demo",
      editedState(demo, "nodes.json", (d) => {
        d.items[0].metadata.labels["topology.kubernetes.io/zone"] = "us-east-1b";
        d.items.pop();
      }),
    );
    expect(wrongRows(report).map((r) => [r.subject, r.property, r.found, r.expected])).toEqual([
      [
        "node ip-172-16-1-57.ec2.internal",
        "zone label topology.kubernetes.io/zone",
        "us-east-1b",
        "us-east-1a (the AZ of i-0d3c5f1e2a4b69c71; ng-2-workers runs in us-east-1a and us-east-1b)",
      ],
      ["node group ng-2-workers", "nodes", "1", "2"],
    ]);
  });

  it("an Elastic IP of the environment tagged for a pod the plan does not have, still associated", () => {
    const report = verifyState(
      "public-pods",
      editedState(publicPods, "addresses.json", (d) =>
        d.Addresses.push({
          AllocationId: "eipalloc-0b1c2d3e4f5a60103",
          AssociationId: "eipassoc-0c1d2e3f4a5b60103",
          Domain: "vpc",
          NetworkInterfaceId: "eni-05a6b7c8d9e0f1a02",
          PrivateIpAddress: "172.16.100.61",
          PublicIp: "203.0.113.12",
          Tags: [
            { Key: "eks-custom-networking/pod", Value: "shop/shop-egress-2" },
            { Key: "Cluster", Value: "cluster-demo-2" },
          ],
        }),
      ),
    );
    expect(wrongRows(report)).toEqual([
      expect.objectContaining({
        check: "public-ips",
        subject: "Elastic IP 203.0.113.12",
        found: "172.16.100.61 (held by no pod)",
        expected: "not associated: shop/shop-egress-2 is not a pod of the plan",
      }),
    ]);
  });

  it("an ENIConfig with another security group, and one the plan does not make", () => {
    const report = verifyState(
      "demo",
      editedState(demo, "eniconfigs.json", (d) => {
        d.items[0].spec.securityGroups = ["sg-0123456789abcdef0"];
        d.items.push({
          apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
          kind: "ENIConfig",
          metadata: { name: "spare" },
          spec: {},
        });
      }),
    );
    expect(wrongRows(report).map((r) => [r.subject, r.property, r.found])).toEqual([
      ["ENIConfig us-east-1a", "security groups", "sg-0123456789abcdef0"],
      ["ENIConfig spare", "exists", "present"],
    ]);
  });

  it("a Multus address outside its network's range", () => {
    const report = verifyState(
      "telco",
      editedState(telco, "pods.json", (d) => {
        const annotations = d.items[1].metadata.annotations;
        annotations["k8s.v1.cni.cncf.io/network-status"] = annotations["k8s.v1.cni.cncf.io/network-status"].replace(
          "10.30.9.64",
          "10.30.9.200",
        );
      }),
    );
    expect(wrongRows(report).map((r) => [r.property, r.found, r.expected])).toEqual([
      ["telco/signalling-eu-central-1b (net1)", "10.30.9.200", "in 10.30.9.64/26 (signalling in eu-central-1b)"],
      expect.arrayContaining(["telco/signalling-eu-central-1b (net1): 10.30.9.200 in EC2", "on no interface"]),
    ]);
  });
});

describe("files that were not recorded", () => {
  it("skip exactly the checks that read them, and say which files", () => {
    const report = verifyState("demo", without(demo, "network-interfaces.json"));
    const skipped = report.checks.filter((c) => c.status === "skipped");
    expect(skipped.map((c) => [c.id, c.missing])).toEqual([
      ["eniconfigs", ["network-interfaces.json"]],
      ["subnets", ["network-interfaces.json"]],
      ["multus", ["network-interfaces.json"]],
    ]);
    expect(report.result).toBe("ok");
    expect(report.summary).toEqual({ ok: 6, wrong: 0, skipped: 3 });
  });
});
