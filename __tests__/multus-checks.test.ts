/**
 * Multus rejections and warnings, each through the synth path (nothing may be written) and each
 * identified by its message: the field, the values involved and the fix. Plus the pure plan behind
 * them: ranges, node slots, and the ENIs the VPC CNI keeps.
 */
import { loadEnvironment } from "../modules/load/load";
import { capacityPlan } from "../modules/plan/capacity";
import { nodeGroupMaxPods } from "../modules/plan/node-group-max-pods";
import { cniEniNeeds, nodeSlots } from "../modules/plan/node-slots";
import { masterInterface, multusRanges } from "../modules/plan/multus-ranges";
import { eksImageRegistry, multusImage } from "../modules/plan/images";
import { edited, load, rejection, type Editable } from "./support/environments";

const telco = (edit: (d: Editable) => void) => edited("telco", edit);
const cnf = (d: Editable) => d.nodeGroups.find((g: { name: string }) => g.name === "cnf");
const network = (d: Editable, name: string) => d.multus.networks.find((n: { name: string }) => n.name === name);
const warningsOf = (text: string) =>
  load(text, "environments/telco-test.yaml")
    .warnings.map((w) => `${w.path.join(".")}: ${w.message}\n  fix: ${w.fix}`)
    .join("\n");

describe("Multus rejections", () => {
  it("rejects a range outside its subnet", () => {
    const e = rejection(telco((d) => (network(d, "signalling").ranges["eu-central-1a"] = "10.30.9.64/26")));
    expect(e.report).toContain(
      "multus.networks[0].ranges.eu-central-1a: signalling: range 10.30.9.64/26 is not inside its subnet network.zones.eu-central-1a.multus[0] (10.30.8.0/24)",
    );
    expect(e.report).toContain("fix: choose a block inside 10.30.8.0/24");
  });

  it("rejects a range that takes addresses AWS keeps, naming them", () => {
    const e = rejection(telco((d) => (network(d, "oam").ranges["eu-central-1b"] = "10.30.9.192/26")));
    expect(e.report).toContain(
      "multus.networks[1].ranges.eu-central-1b: oam: range 10.30.9.192/26 takes 10.30.9.255, which AWS keeps in 10.30.9.0/24",
    );
    const first = rejection(telco((d) => (network(d, "signalling").ranges["eu-central-1a"] = "10.30.8.0/27")));
    expect(first.report).toContain(
      "range 10.30.8.0/27 takes 10.30.8.0, 10.30.8.1, 10.30.8.2, 10.30.8.3, which AWS keeps",
    );
    expect(first.report).toContain(
      "fix: keep the range clear of the first four and the last address of the subnet, e.g. 10.30.8.32/27",
    );
  });

  it("rejects more Multus interfaces than the instance type has ENIs left after the VPC CNI's, naming both numbers", () => {
    const e = rejection(telco((d) => (cnf(d).multusInterfaces = 3)));
    expect(e.report).toContain(
      "nodeGroups[1].multusInterfaces: cnf: m5.2xlarge attaches 4 ENIs on its default network card and the VPC CNI needs 2 of them (the primary, which hosts no pods with custom networking, and 1 pod ENI at the least, or no pod gets an address), so at most 2 are left for Multus, not 3",
    );
    expect(e.report).toContain("fix: lower multusInterfaces to 2 or less");
  });

  it("counts the pod ENIs an explicit maxPods needs", () => {
    // m5.large without prefix delegation: 3 ENIs, 9 pod addresses each; 20 pods need 2 pod ENIs + the primary.
    const e = rejection(
      telco((d) => {
        d.cni.prefixDelegation = false;
        delete d.cni.warmPrefixTarget;
        Object.assign(cnf(d), { instanceType: "m5.large", multusInterfaces: 1, maxPods: 20 });
        d.multus.networks = d.multus.networks.filter((n: { interfaceIndex: number }) => n.interfaceIndex === 1);
        d.workloads.multusPods[0].networks = ["signalling"];
      }),
    );
    expect(e.report).toContain(
      "cnf: m5.large attaches 3 ENIs on its default network card and the VPC CNI needs 3 of them (the primary, which hosts no pods with custom networking, and the 2 pod ENIs maxPods 20 needs)",
    );
    expect(e.report).toContain("so at most 0 are left for Multus, not 1");
  });

  it("rejects Multus interfaces without a multus section", () => {
    const e = rejection(
      telco((d) => {
        delete d.multus;
        d.workloads.multusPods = [];
      }),
    );
    expect(e.report).toContain(
      "nodeGroups[1].multusInterfaces: cnf: multusInterfaces is 2, but the environment has no multus section",
    );
  });

  it("rejects a Multus node group in an AZ without a Multus subnet of each index", () => {
    const e = rejection(telco((d) => (d.network.zones["eu-central-1b"].multus = ["10.30.9.0/24"])));
    expect(e.report).toContain(
      "network.zones.eu-central-1b.multus: cnf has multusInterfaces: 2 and runs in eu-central-1b, but network.zones.eu-central-1b.multus lists 1 subnet",
    );
    expect(e.report).toContain(
      "multus.networks[2].ranges.eu-central-1b: media rides on Multus interface 2, but eu-central-1b has no Multus subnet of that index",
    );
  });

  it("rejects a network on an interface no node group has", () => {
    const e = rejection(telco((d) => (network(d, "media").interfaceIndex = 3)));
    expect(e.report).toContain(
      "multus.networks[2].interfaceIndex: media rides on Multus interface 3, but no node group has that many (multusInterfaces: cnf 2)",
    );
  });

  it("rejects two networks whose ranges overlap in one subnet", () => {
    const e = rejection(telco((d) => (network(d, "oam").ranges["eu-central-1a"] = "10.30.8.96/27")));
    expect(e.report).toContain(
      "multus.networks[1].ranges.eu-central-1a: oam: range 10.30.8.96/27 overlaps multus.networks[0].ranges.eu-central-1a (10.30.8.64/26) in the same subnet",
    );
  });

  it("rejects pod ranges that leave too few addresses for the nodes' Multus interfaces", () => {
    const e = rejection(
      telco((d) => {
        d.network.zones["eu-central-1a"].multus[0] = "10.30.8.0/28";
        network(d, "signalling").ranges["eu-central-1a"] = "10.30.8.4/30";
        network(d, "oam").ranges["eu-central-1a"] = "10.30.8.8/30";
        Object.assign(cnf(d), { desiredSize: 8, minSize: 8, maxSize: 8 });
      }),
    );
    expect(e.report).toContain(
      "network.zones.eu-central-1a.multus[0]: 10.30.8.0/28 has 11 usable addresses, 8 of them reserved for pods (signalling 10.30.8.4/30, oam 10.30.8.8/30), leaving 3 for the 4 Multus interfaces of the nodes in eu-central-1a",
    );
  });

  it("rejects a range for an AZ the plan does not have", () => {
    const e = rejection(telco((d) => (network(d, "media").ranges["eu-central-1c"] = "10.30.14.64/26")));
    expect(e.report).toContain(
      "multus.networks[2].ranges.eu-central-1c: media has a range for eu-central-1c, which network.zones does not plan",
    );
  });

  it("rejects Multus pods naming a network that does not exist", () => {
    const e = rejection(telco((d) => (d.workloads.multusPods[0].networks = ["signalling", "voice"])));
    expect(e.report).toContain("workloads.multusPods[0].networks[1]: cnf-demo: there is no Multus network voice");
    expect(e.report).toContain("fix: use one of signalling, oam, media");
  });

  it("rejects Multus pods that could run in no AZ", () => {
    const e = rejection(
      telco((d) => {
        network(d, "signalling").ranges = { "eu-central-1a": "10.30.8.64/26" };
        network(d, "media").ranges = { "eu-central-1b": "10.30.13.64/26" };
      }),
    );
    expect(e.report).toContain(
      "workloads.multusPods[0]: cnf-demo: no AZ has both a range of every network it names (signalling, media) and Multus nodes with interface 2",
    );
  });

  it("rejects Spot capacity for fixed Multus nodes", () => {
    const e = rejection(telco((d) => (cnf(d).capacityType = "SPOT")));
    expect(e.report).toContain(
      "nodeGroups[1].capacityType: cnf: Multus nodes are fixed instances that nothing replaces",
    );
  });

  it("rejects a malformed range with the network address to write", () => {
    const e = rejection(telco((d) => (network(d, "oam").ranges["eu-central-1a"] = "10.30.8.130/26")));
    expect(e.report).toContain("multus.networks[1].ranges.eu-central-1a: 10.30.8.130/26 has host bits set");
    expect(e.report).toContain("fix: write 10.30.8.128/26");
  });

  it("reports every Multus problem of a file at once, with its line", () => {
    const e = rejection(
      telco((d) => {
        network(d, "signalling").ranges["eu-central-1a"] = "10.30.9.64/26";
        cnf(d).multusInterfaces = 3;
      }),
      "multi",
    );
    expect(e.problems.filter((p) => p.severity === "error").map((p) => p.path.join("."))).toEqual(
      expect.arrayContaining(["multus.networks.0.ranges.eu-central-1a", "nodeGroups.1.multusInterfaces"]),
    );
    expect(e.report).toMatch(/multi\.yaml:\d+: error: multus\.networks\[0\]\.ranges\.eu-central-1a/);
  });
});

describe("Multus warnings", () => {
  it("warns that minSize and maxSize do not apply to fixed Multus nodes", () => {
    expect(warningsOf(telco((d) => (cnf(d).maxSize = 4)))).toContain(
      "nodeGroups.1.desiredSize: cnf: a Multus node group is 2 fixed nodes (desiredSize); minSize 2 and maxSize 4 are not used, nothing scales it",
    );
  });

  it("warns that macvlan traffic leaving the node is dropped by the VPC", () => {
    expect(warningsOf(telco((d) => (network(d, "oam").type = "macvlan")))).toContain(
      "multus.networks.1.type: oam: macvlan gives each pod its own MAC address, and the VPC drops frames",
    );
  });

  it("warns when Multus nodes of an AZ carry a network's interface but the network has no range there", () => {
    expect(warningsOf(telco((d) => delete network(d, "oam").ranges["eu-central-1b"]))).toContain(
      "multus.networks.1.ranges: oam: Multus nodes in eu-central-1b carry interface 1, but the network has no range in eu-central-1b",
    );
  });

  it("warns when more pods want addresses than a range has, or than the ENIs can hold", () => {
    const text = warningsOf(
      telco((d) => {
        network(d, "media").ranges["eu-central-1a"] = "10.30.12.64/28";
        d.workloads.multusPods[0].replicas = 20;
      }),
    );
    expect(text).toContain(
      "multus.networks.2.ranges.eu-central-1a: media: 20 pods (cnf-demo 20) want an address in eu-central-1a, but the range 10.30.12.64/28 has 16",
    );
    expect(text).toContain(
      "in eu-central-1a, Multus pods want 20 addresses on interface 1, but 1 cnf node (m5.2xlarge) hold 14 secondary addresses per ENI: 14",
    );
  });

  it("passes the shipped telco environment without warnings", () => {
    expect(loadEnvironment({ EKS_ENV: "telco" }).warnings).toEqual([]);
  });

  it("warns about a network with ranges in several AZs whose routes miss another AZ's Multus subnet, naming the subnets, with a stable id", () => {
    const loaded = load(telco((d) => (network(d, "media").routes = ["10.30.12.0/24"])));
    const [problem] = loaded.warnings;
    expect(loaded.warnings).toHaveLength(1);
    expect(problem).toMatchObject({ id: "multus-routes-between-zones", path: ["multus", "networks", 2, "routes"] });
    expect(problem.message).toBe(
      "media has ranges in eu-central-1a, eu-central-1b, but its routes do not cover the Multus subnet 10.30.13.0/24 (eu-central-1b): a pod in another AZ answers a peer there through eth0, and the VPC drops the reply",
    );
    expect(problem.fix).toContain("add 10.30.13.0/24 to multus.networks[2].routes");
    const none = load(telco((d) => delete network(d, "signalling").routes)).warnings;
    expect(none.map((w) => w.message)).toEqual([
      expect.stringContaining("the Multus subnets 10.30.8.0/24 (eu-central-1a), 10.30.9.0/24 (eu-central-1b)"),
    ]);
    // A route that covers a subnet (here the whole VPC block) is enough; a single-AZ network needs none.
    expect(load(telco((d) => (network(d, "media").routes = ["10.30.0.0/16"]))).warnings).toEqual([]);
    expect(
      load(
        telco((d) => {
          delete network(d, "oam").routes;
          delete network(d, "oam").ranges["eu-central-1b"];
        }),
      ).warnings.map((w) => w.id),
    ).toEqual(["multus-range-missing"]); // only "nodes in eu-central-1b carry interface 1, but no range there"
  });

  it("warns that a whereabouts newer than the manifests followed may need other objects", () => {
    const [problem] = load(telco((d) => (d.multus.whereaboutsVersion = "v0.10.0"))).warnings;
    expect(problem).toMatchObject({ id: "whereabouts-newer-than-manifests", path: ["multus", "whereaboutsVersion"] });
    expect(problem.message).toContain("follow v0.9.4's manifests (doc/crds); v0.10.0 may need others");
  });
});

describe("Multus over time: rejections", () => {
  it("rejects a whereabouts that never refreshes its token, which fails every assignment once the token expires", () => {
    const e = rejection(telco((d) => (d.multus.whereaboutsVersion = "v0.8.0")));
    expect(e.report).toMatch(
      /test\.yaml:\d+: error: multus\.whereaboutsVersion: whereabouts v0\.8\.0 writes its service-account token into the plugin's kubeconfig once and never refreshes it \(fixed in v0\.9\.3, whereabouts #661\)/,
    );
    expect(e.report).toContain("fix: set whereaboutsVersion: v0.9.4 (or remove it for that default)");
    expect(rejection(telco((d) => (d.multus.whereaboutsVersion = "v0.9.2"))).report).toContain("never refreshes it");
  });

  it("rejects v0.9.3, which refreshes its token but has no /ip-reconciler for the reconciler Deployment", () => {
    const e = rejection(telco((d) => (d.multus.whereaboutsVersion = "v0.9.3")));
    expect(e.report).toContain("v0.9.3 has no such binary (its reconciler runs inside the DaemonSet)");
  });

  it("defaults whereaboutsVersion to v0.9.4", () => {
    expect(load(telco((d) => delete d.multus.whereaboutsVersion)).env.multus!.whereaboutsVersion).toBe("v0.9.4");
  });

  it("rejects Multus on Kubernetes before 1.30, where the admission policies that bound its helpers are not GA", () => {
    const e = rejection(telco((d) => (d.cluster.version = "1.29")));
    expect(e.report).toContain(
      "cluster.version: Multus needs Kubernetes 1.30 or later, not 1.29: the component that untaints Multus nodes and the pods' ip-assigner are held to their own node and pod by ValidatingAdmissionPolicies",
    );
    expect(() => load(edited("demo", (d) => (d.cluster.version = "1.29")))).not.toThrow();
  });
});

describe("the Multus plan", () => {
  const { env } = loadEnvironment({ EKS_ENV: "telco" });

  it("places desiredSize slots round-robin over the group's AZs", () => {
    const slots = nodeSlots({
      ...env,
      nodeGroups: env.nodeGroups.map((g) => (g.name === "cnf" ? { ...g, desiredSize: 3 } : g)),
    });
    expect(slots.map((s) => [s.name, s.az])).toEqual([
      ["cnf-0", "eu-central-1a"],
      ["cnf-1", "eu-central-1b"],
      ["cnf-2", "eu-central-1a"],
    ]);
  });

  it("computes maxPods with the ENIs Multus takes away, as the calculator's --cni-max-eni does", () => {
    const group = env.nodeGroups.find((g) => g.name === "cnf")!;
    const secondaryIps = { ...env.cni, prefixDelegation: false };
    // m5.2xlarge: 4 ENIs x 15 addresses; custom networking drops the primary; 2 Multus ENIs leave 1 pod ENI.
    expect(nodeGroupMaxPods(group, { ...env, cni: secondaryIps }).computed).toMatchObject({
      podEnis: 1,
      uncapped: 16,
      recommended: 16,
    });
    expect(nodeGroupMaxPods({ ...group, multusInterfaces: 0 }, { ...env, cni: secondaryIps }).computed).toMatchObject({
      podEnis: 3,
      uncapped: 44,
    });
    expect(cniEniNeeds(group, env)).toEqual({
      enis: 4,
      cniEnis: 2,
      podEnis: 1,
      availableForMultus: 2,
      maxPods: 110,
      explicitMaxPods: false,
      trunkEni: false,
    });
  });

  it("counts the Multus nodes where they are: fixed slots in the node subnets, their Multus interfaces in the Multus subnets", () => {
    const plan = capacityPlan(env);
    const cnfPlacements = plan.placements.filter((p) => p.group.name === "cnf").map((p) => [p.az, p.nodes, p.maxPods]);
    expect(cnfPlacements).toEqual([
      ["eu-central-1a", 1, 110],
      ["eu-central-1b", 1, 110],
    ]);
    const multus = plan.subnets
      .filter((d) => d.subnet.role === "multus")
      .map((d) => [d.subnet.az, d.subnet.interfaceIndex, d.interfaceAddresses]);
    expect(multus).toEqual([
      ["eu-central-1a", 1, 1],
      ["eu-central-1a", 2, 1],
      ["eu-central-1b", 1, 1],
      ["eu-central-1b", 2, 1],
    ]);
  });

  it("derives each range's pool and gateway from the subnet and the reservation", () => {
    const [first] = multusRanges(env);
    expect(first).toMatchObject({
      az: "eu-central-1a",
      subnetCidr: "10.30.8.0/24",
      reservationCidr: "10.30.8.64/26",
      rangeStart: "10.30.8.64",
      rangeEnd: "10.30.8.127",
      gateway: "10.30.8.1",
    });
    expect(multusRanges(env)).toHaveLength(6);
  });

  it("names the master after AL2023's name for the interface's device index unless told", () => {
    expect(masterInterface({ interfaceIndex: 1 })).toBe("ens6");
    expect(masterInterface({ interfaceIndex: 2 })).toBe("ens7");
    expect(masterInterface({ interfaceIndex: 1, master: "eth1" })).toBe("eth1");
  });

  it("takes the Multus image from the region's EKS registry account", () => {
    expect(multusImage("us-east-1", "v4.1.4-eksbuild.3")).toBe(
      "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/multus-cni:v4.1.4-eksbuild.3_thick",
    );
    expect(multusImage("af-south-1", "v4.1.4-eksbuild.3")).toBe(
      "877085696533.dkr.ecr.af-south-1.amazonaws.com/eks/multus-cni:v4.1.4-eksbuild.3_thick",
    );
    expect(eksImageRegistry("cn-north-1")).toBe("918309763551.dkr.ecr.cn-north-1.amazonaws.com.cn");
    expect(eksImageRegistry("xx-nowhere-1")).toBeUndefined();
  });
});
