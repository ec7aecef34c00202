/**
 * Public Multus networks: the rules that reject or warn (through the synth path, nothing written),
 * the plan of fixed addresses behind them, the IP plan that shows them, and a pod with a whereabouts
 * network and a public one (telco with a third interface).
 */
import { loadEnvironment } from "../modules/load/load";
import { capacityPlan } from "../modules/plan/capacity";
import { multusPublicPods, multusSlotAddresses } from "../modules/plan/multus-public";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { manifestReleases } from "./support/kubernetes";
import { edited, load, rejection, type Editable } from "./support/environments";
import { resolveCrossStack, resources, synthEnvironment } from "./support/synth";
import { writeEnvironmentFile } from "./support/environments";

const edge = (edit: (d: Editable) => void) => edited("telco-edge", edit);
const net = (d: Editable, name: string) => d.multus.networks.find((n: { name: string }) => n.name === name);
const edgeGroup = (d: Editable) => d.nodeGroups.find((g: { name: string }) => g.name === "edge");
const sbc = (d: Editable) => d.workloads.multusPods[0];

describe("public Multus networks: rejections", () => {
  it("rejects a public network sharing its interface index with another network", () => {
    const e = rejection(
      edge((d) =>
        d.multus.networks.push({
          name: "signalling",
          namespace: "edge",
          type: "ipvlan",
          interfaceIndex: 1,
          ranges: { "eu-west-1a": "10.40.8.32/28", "eu-west-1b": "10.40.8.96/28" },
        }),
      ),
    );
    expect(e.report).toContain(
      "multus.networks[0].interfaceIndex: transit-a is public and rides on Multus interface 1, which multus.networks[2] (signalling) uses too",
    );
    expect(e.report).toContain("fix: give transit-a an interface index of its own");
  });

  it("rejects macvlan and routes on a public network", () => {
    const e = rejection(
      edge((d) => {
        net(d, "transit-a").type = "macvlan";
        net(d, "transit-b").routes = ["10.40.9.0/26"];
      }),
    );
    expect(e.report).toContain(
      "multus.networks[0].type: transit-a is public, but macvlan gives each pod a MAC address of its own, which the VPC drops",
    );
    expect(e.report).toContain("multus.networks[1].routes: transit-b is public: everything from its addresses leaves");
  });

  it("rejects inbound rules EC2 would refuse or that contradict themselves", () => {
    const e = rejection(
      edge((d) => {
        const rules = net(d, "transit-a").public.allowFrom;
        rules.push({ cidr: "198.51.100.0/24", protocol: "icmp", fromPort: 8 });
        rules.push({ cidr: "198.51.100.0/24", protocol: "tcp", fromPort: 443, toPort: 80 });
        rules.push({ cidr: "198.51.100.0/24", protocol: "udp", fromPort: 5060, toPort: 5061 });
        rules.push({ cidr: "198.51.100.1/24", protocol: "tcp" });
        rules.push({ cidr: "203.0.113.0/24", description: "partner's office" });
      }),
    );
    const at = (i: number) => `multus.networks[0].public.allowFrom[${i}]`;
    expect(e.report).toContain(`${at(3)}.fromPort: transit-a: protocol icmp has no ports, but the rule names 8`);
    expect(e.report).toContain(`${at(4)}.toPort: transit-a: toPort 80 is below fromPort 443`);
    expect(e.report).toContain(`${at(5)}: transit-a: the rule allows what allowFrom[0] allows already`);
    expect(e.report).toContain(`${at(6)}.cidr: 198.51.100.1/24 has host bits set`);
    expect(e.report).toContain(`${at(7)}.description: transit-a: EC2 refuses the rule description "partner's office"`);
  });

  it("rejects a range with fewer addresses than the Multus nodes that carry the interface in its AZ", () => {
    const e = rejection(
      edge((d) => {
        edgeGroup(d).desiredSize = edgeGroup(d).minSize = edgeGroup(d).maxSize = 4;
        net(d, "transit-b").ranges["eu-west-1b"] = "10.40.9.80/32";
      }),
    );
    expect(e.report).toContain(
      "multus.networks[1].ranges.eu-west-1b: transit-b is public: each of the 2 Multus nodes in eu-west-1b that carry interface 2 (edge-1, edge-3) takes a fixed address of its range, but 10.40.9.80/32 has 1",
    );
    expect(e.report).toContain("fix: make the range at least /31");
  });

  it("rejects replicas other than 1 and a public network named by two workloads", () => {
    const e = rejection(
      edge((d) => {
        sbc(d).replicas = 2;
        d.workloads.multusPods.push({ ...sbc(d), name: "sbc2", replicas: 1, networks: ["transit-b"] });
      }),
    );
    expect(e.report).toContain(
      "workloads.multusPods[0].replicas: sbc is on public networks transit-a, transit-b, so it runs one pod on each node slot",
    );
    expect(e.report).toContain(
      "workloads.multusPods[1].networks: sbc2 names public network transit-b, which workloads.multusPods[0] (sbc) names too",
    );
  });

  it("rejects a security group name EC2 refuses (a cluster named sg-...)", () => {
    const e = rejection(edge((d) => (d.cluster.name = "sg-edge")));
    expect(e.report).toContain(
      'the security group of public Multus network transit-a would be "sg-edge-multus-transit-a", which EC2 (security group names) refuses',
    );
  });
});

describe("public Multus networks: warnings", () => {
  it("passes the shipped telco-edge without warnings (5 Elastic IPs: 4 for the pods, 1 for NAT)", () => {
    expect(loadEnvironment({ EKS_ENV: "telco-edge" }).warnings).toEqual([]);
  });

  it("warns, with a stable id, about inbound rules open to the whole internet", () => {
    const loaded = load(
      edge((d) => net(d, "transit-b").public.allowFrom.push({ cidr: "0.0.0.0/0", protocol: "tcp", fromPort: 443 })),
    );
    const open = loaded.warnings.filter((w) => w.id === "multus-public-ingress-from-anywhere");
    expect(open.map((w) => [w.path.join("."), w.message])).toEqual([
      [
        "multus.networks.1.public.allowFrom.2.cidr",
        "transit-b: 0.0.0.0/0 lets the whole internet reach its pods' public addresses (tcp 443-443)",
      ],
    ]);
  });

  it("counts the pods' Elastic IPs on public networks against the default quota", () => {
    const loaded = load(edge((d) => (edgeGroup(d).desiredSize = edgeGroup(d).minSize = edgeGroup(d).maxSize = 3)));
    expect(loaded.warnings.map((w) => w.message)).toContain(
      'this environment needs 7 Elastic IPs in eu-west-1 (6 for pods, 1 for NAT), above the default quota of 5 per region ("EC2-VPC Elastic IPs", L-0263D0A3)',
    );
  });

  it("warns, with a stable id, when several node groups carry a public network's interface", () => {
    const loaded = load(
      edge((d) =>
        d.nodeGroups.push({
          ...edgeGroup(d),
          name: "edge2",
          desiredSize: 1,
          minSize: 1,
          maxSize: 1,
          zones: ["eu-west-1a"],
        }),
      ),
    );
    expect(
      loaded.warnings.filter((w) => w.id === "multus-public-addresses-follow-group-order").map((w) => w.path.join(".")),
    ).toEqual(["multus.networks.0.interfaceIndex", "multus.networks.1.interfaceIndex"]);
  });
});

describe("the plan of fixed addresses", () => {
  it("gives each slot the next address of the range in its AZ, so a slot added to the last group leaves the others where they are", () => {
    const addresses = (desired: number) =>
      multusSlotAddresses(
        load(edge((d) => (edgeGroup(d).desiredSize = edgeGroup(d).minSize = edgeGroup(d).maxSize = desired))).env,
      ).map((a) => `${a.network.name} ${a.slot.name} ${a.address}`);
    const two = addresses(2);
    expect(two).toEqual([
      "transit-a edge-0 10.40.8.16",
      "transit-a edge-1 10.40.8.80",
      "transit-b edge-0 10.40.9.16",
      "transit-b edge-1 10.40.9.80",
    ]);
    const four = addresses(4);
    expect(four).toEqual(expect.arrayContaining(two));
    expect(four.filter((a) => !two.includes(a))).toEqual([
      "transit-a edge-2 10.40.8.17",
      "transit-a edge-3 10.40.8.81",
      "transit-b edge-2 10.40.9.17",
      "transit-b edge-3 10.40.9.81",
    ]);
  });
});

describe("the IP plan of public Multus networks", () => {
  const loaded = loadEnvironment({ EKS_ENV: "telco-edge" });
  const report = ipPlanReport(loaded);
  const multus = report.zones
    .flatMap((z) => z.subnets.map((s) => ({ az: z.az, ...s })))
    .filter((s) => s.role === "multus");

  it("routes the public networks' subnets to the internet gateway, and shows their fixed addresses with the pods and Elastic IP names", () => {
    expect(multus.map((s) => [s.az, s.interfaceIndex, s.routesToInternetGateway, s.demand.fixedAddresses])).toEqual([
      [
        "eu-west-1a",
        1,
        true,
        [
          {
            address: "10.40.8.16",
            network: "transit-a",
            slot: "edge-0",
            pod: "edge/sbc-edge-0-0",
            publicIpName: "sbc-edge-0-0-transit-a",
          },
        ],
      ],
      [
        "eu-west-1a",
        2,
        true,
        [
          {
            address: "10.40.9.16",
            network: "transit-b",
            slot: "edge-0",
            pod: "edge/sbc-edge-0-0",
            publicIpName: "sbc-edge-0-0-transit-b",
          },
        ],
      ],
      [
        "eu-west-1b",
        1,
        true,
        [
          {
            address: "10.40.8.80",
            network: "transit-a",
            slot: "edge-1",
            pod: "edge/sbc-edge-1-0",
            publicIpName: "sbc-edge-1-0-transit-a",
          },
        ],
      ],
      [
        "eu-west-1b",
        2,
        true,
        [
          {
            address: "10.40.9.80",
            network: "transit-b",
            slot: "edge-1",
            pod: "edge/sbc-edge-1-0",
            publicIpName: "sbc-edge-1-0-transit-b",
          },
        ],
      ],
    ]);
    expect(formatIpPlanReport(report)).toContain(
      "multus 1 (public): 10.40.8.16/28 reserved for public network transit-a, 10.40.8.16 fixed on edge-0 for edge/sbc-edge-0-0, Elastic IP sbc-edge-0-0-transit-a",
    );
  });

  it("counts a fixed address once, inside its range, and not again as an interface address", () => {
    const plan = capacityPlan(loaded.env);
    for (const d of plan.subnets.filter((s) => s.subnet.role === "multus")) {
      expect([d.interfaceAddresses, d.reservations.map((r) => r.addresses), d.fixedAddresses.length]).toEqual([
        0,
        [16],
        1,
      ]);
    }
    // Without the public section, the same ENIs take an address each outside the range.
    const privateEnv = load(
      edge((d) => {
        for (const n of d.multus.networks) delete n.public;
        d.workloads.multusPods = [];
      }),
    ).env;
    for (const d of capacityPlan(privateEnv).subnets.filter((s) => s.subnet.role === "multus"))
      expect([d.interfaceAddresses, d.fixedAddresses]).toEqual([1, []]);
  });

  it("leaves telco's private Multus subnets routed through NAT", () => {
    const telco = ipPlanReport(loadEnvironment({ EKS_ENV: "telco" }));
    const subnets = telco.zones.flatMap((z) => z.subnets).filter((s) => s.role === "multus");
    expect(subnets.map((s) => s.routesToInternetGateway)).toEqual([false, false, false, false]);
  });
});

describe("a pod with a whereabouts network and a public one (telco with a third interface)", () => {
  const text = edited("telco", (d) => {
    d.network.zones["eu-central-1a"].multus.push("10.30.10.0/26");
    d.network.zones["eu-central-1b"].multus.push("10.30.11.0/26");
    const cnf = d.nodeGroups.find((g: { name: string }) => g.name === "cnf");
    cnf.instanceType = "m5.4xlarge"; // 8 ENIs: 2 for the VPC CNI, 3 for Multus
    cnf.multusInterfaces = 3;
    d.multus.networks.push({
      name: "internet",
      namespace: "telco",
      type: "ipvlan",
      interfaceIndex: 3,
      ranges: { "eu-central-1a": "10.30.10.16/28", "eu-central-1b": "10.30.11.16/28" },
      public: { allowFrom: [{ cidr: "198.51.100.0/24", protocol: "tcp", fromPort: 443 }] },
    });
    d.workloads.multusPods[0].networks = ["signalling", "internet"];
  });
  const loaded = load(text);
  const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("telco-internet", text) });
  afterAll(() => synth.cleanup());

  it("runs a StatefulSet per slot whose sidecar assigns the whereabouts address and only checks the fixed one, with its IAM role", () => {
    const release = manifestReleases(synth.stack("workloads")).find((r) => r.release.name === "cnf-demo")!;
    const statefulSets = release.objects.filter((o) => o.kind === "StatefulSet") as unknown as Array<{
      metadata: { name: string };
      spec: {
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { initContainers: Array<{ env: Array<{ name: string; value?: string }> }> };
        };
      };
    }>;
    expect(statefulSets.map((s) => s.metadata.name)).toEqual(["cnf-demo-cnf-0", "cnf-demo-cnf-1"]);
    const first = statefulSets[0].spec.template;
    expect(first.metadata.annotations["k8s.v1.cni.cncf.io/networks"]).toBe(
      "telco/signalling-eu-central-1a,telco/internet-cnf-0",
    );
    expect(first.spec.initContainers[0].env.find((e) => e.name === "INTERFACES")!.value).toBe(
      "net1,10.30.8.64,10.30.8.127,10.30.8.0-24,10.30.8.0 net2,10.30.10.16,10.30.10.16,-,-",
    );
    expect(release.objects.filter((o) => o.kind === "Deployment")).toEqual([]);
    expect(release.objects.find((o) => o.kind === "ServiceAccount")!.metadata!.annotations).toEqual({
      "eks.amazonaws.com/role-arn": expect.stringContaining("aws_iam_role."),
    });
  });

  it("gives only the third interface's ENIs a fixed address and the network's security group", () => {
    const enis = Object.values(
      resources<{
        tags: Record<string, string>;
        private_ips?: string[];
        security_groups: string[];
        lifecycle?: { ignore_changes: string[] };
      }>(synth.stack("nodes"), "aws_network_interface"),
    );
    const group = (e: { security_groups: string[] }) =>
      (resolveCrossStack(synth, e.security_groups[0]).resource as { name?: string }).name ?? "the cluster's";
    const fixed = enis
      .filter((e) => e.private_ips)
      .map((e) => [e.tags.Name, e.private_ips, e.lifecycle ?? null, group(e)]);
    expect(fixed).toEqual([
      ["telco-core-cnf-0-multus-3", ["10.30.10.16"], null, "telco-core-multus-internet"],
      ["telco-core-cnf-1-multus-3", ["10.30.11.16"], null, "telco-core-multus-internet"],
    ]);
    expect(
      enis.filter((e) => !e.private_ips).every((e) => e.security_groups[0].includes("cluster_security_group_id")),
    ).toBe(true);
    expect(multusPublicPods(loaded.env).map((p) => p.podKey)).toEqual([
      "telco/cnf-demo-cnf-0-0",
      "telco/cnf-demo-cnf-1-0",
    ]);
  });
});

describe("a network made public (telco's media)", () => {
  const text = edited("telco", (d) => {
    const media = d.multus.networks.find((n: { name: string }) => n.name === "media");
    delete media.routes;
    media.public = { allowFrom: [{ cidr: "198.51.100.0/24", protocol: "udp", fromPort: 5004, toPort: 5005 }] };
  });
  const before = synthEnvironment({
    EKS_ENV_FILE: writeEnvironmentFile(
      "telco",
      edited("telco", () => undefined),
    ),
  });
  const after = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("telco", text) });
  afterAll(() => {
    before.cleanup();
    after.cleanup();
  });
  type Association = { subnet_id: string; route_table_id: string };
  const associations = (json: ReturnType<typeof before.stack>) =>
    resources<Association>(json, "aws_route_table_association");

  it("keeps every route table association's address: its subnets' route table changes in place, to the public one", () => {
    const [was, is] = [associations(before.stack("network")), associations(after.stack("network"))];
    expect(Object.keys(is).sort()).toEqual(Object.keys(was).sort());
    const changed = Object.keys(is).filter((id) => is[id].route_table_id !== was[id].route_table_id);
    expect(changed.sort()).toEqual([
      expect.stringMatching(/^routes_private-eu-central-1a-multus-2_/),
      expect.stringMatching(/^routes_private-eu-central-1b-multus-2_/),
    ]);
    for (const id of changed) expect(is[id].route_table_id).toMatch(/^\$\{aws_route_table\.routes_public_/);
  });
});
