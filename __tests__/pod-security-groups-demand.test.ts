/**
 * Security groups for pods in the one demand rule (modules/plan/address-demand.ts): a node's trunk ENI
 * is one more interface and its branch ENIs are single addresses, both counted by nodeAddressDemand
 * and placed by placePodEnis, so the capacity checks, the prefix reservations (and the CIDR
 * reservations verify compares), the IP plan in text and JSON and the diagram all read them from the
 * same figures; nothing counts them a second time or not at all.
 * Starts from fixtures/environments/pod-security-groups.yaml (m5.large, secondary IPs, maxSize 4 over 2 AZs).
 */
import { nodeAddressDemand, worstBranchMix } from "../modules/plan/address-demand";
import { addressesNeeded, capacityPlan, loadOf, singleAddresses, type SubnetDemand } from "../modules/plan/capacity";
import { plannedCidrReservations } from "../modules/plan/cidr-reservations";
import { maxPodsFor } from "../modules/plan/max-pods";
import { subnetPrefixReservations } from "../modules/plan/prefix-reservations";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { edited, load, rejection, type Editable } from "./support/environments";

const fixture = (edit: (d: Editable) => void = () => undefined) => edited("pod-security-groups", edit);
const withoutPodSecurityGroups = (d: Editable) => delete d.cni.podSecurityGroups;
const both =
  (...edits: Array<(d: Editable) => void>) =>
  (d: Editable) =>
    edits.forEach((e) => e(d));
const customNetworkingWithPrefixes = (d: Editable) => {
  d.cni.customNetworking = true;
  d.cni.prefixDelegation = true;
  d.network.zones["us-east-1a"].pod = "10.60.16.0/20";
  d.network.zones["us-east-1b"].pod = "10.60.32.0/20";
};
const subnetOf = (plan: ReturnType<typeof capacityPlan>, role: string, az = "us-east-1a"): SubnetDemand =>
  plan.subnets.find((d) => d.subnet.role === role && d.subnet.az === az)!;

describe("the rule: a trunk per node, and the mix of branch pods that takes the most room", () => {
  it("m5.large, secondary IPs: 9 of 18 pods on branch ENIs hold the most (the warm ENI stays), 2 with WARM_IP_TARGET 2", () => {
    const computed = maxPodsFor("m5.large", {
      customNetworking: false,
      prefixDelegation: false,
      podSecurityGroups: true,
    });
    // 20 max pods, 18 with an address; 2 pod ENIs of 9 (the third ENI is the trunk). All 18 on the pod
    // ENIs fill both (no room for warm ones): 18 + 2 ENIs = 20. With 9 on branch ENIs the primary holds
    // the other 9 and WARM_ENI_TARGET (1) keeps the second ENI's 9 warm: 18 + 2 + 9 branch = 29.
    expect(nodeAddressDemand(20, computed, {})).toEqual({
      unit: "address",
      podUnits: 9,
      warmUnits: 9,
      unitsPerEni: 9,
      eniUnits: [9, 9],
      trunkEni: true,
      branchPods: 9,
    });
    // WARM_IP_TARGET 2: 16 pods + 2 warm fill the pod ENIs; from 2 branch pods on, every mix holds 22.
    expect(worstBranchMix(18, 9, computed, { warmIpTarget: 2 })).toBe(2);
    // 5 pods, 2 warm: 7 + 1 ENI either way, so none is counted on a branch ENI (the first on a tie).
    expect(worstBranchMix(5, 9, computed, { warmIpTarget: 2 })).toBe(0);
  });

  it("custom networking and prefix delegation: branch pods come on top of the /28s they do not empty", () => {
    const m6i = maxPodsFor("m6i.2xlarge", { customNetworking: true, prefixDelegation: true, podSecurityGroups: true });
    // 108 pods take 7 prefixes; 97 still do, so 11 branch addresses come on top (8 x 16 + 1 + 11 = 140);
    // 12 leave 96 = 6 prefixes (7 x 16 + 1 + 12 = 125); all 38 leave 70 in 5 (6 x 16 + 1 + 38 = 135).
    expect(worstBranchMix(108, 38, m6i, {})).toBe(11);
    expect(nodeAddressDemand(110, m6i, {})).toMatchObject({ podUnits: 7, warmUnits: 1, eniUnits: [8], branchPods: 11 });
    const m5 = maxPodsFor("m5.large", { customNetworking: true, prefixDelegation: true, podSecurityGroups: true });
    expect(worstBranchMix(108, 9, m5, {})).toBe(9);
    // 5 pods: the fifth in a prefix of its own and four branch addresses (16 + 16 + 1 + 4) beat five.
    expect(worstBranchMix(5, 9, m5, {})).toBe(4);
    expect(worstBranchMix(1, 9, m5, {})).toBe(0);
    expect(worstBranchMix(16, 0, m5, {})).toBe(0);
  });

  it("counts no trunk and no branch pod without security groups for pods, or on a type that takes no trunk", () => {
    const plain = maxPodsFor("m5.large", { customNetworking: false, prefixDelegation: false });
    expect(nodeAddressDemand(29, plain, {})).toMatchObject({ trunkEni: false, branchPods: 0 });
    const t3 = maxPodsFor("t3.large", { customNetworking: false, prefixDelegation: false, podSecurityGroups: true });
    expect(nodeAddressDemand(35, t3, {})).toMatchObject({ trunkEni: false, branchPods: 0 });
  });
});

describe("the capacity plan: where the trunk and branch ENIs go", () => {
  it("secondary IPs: the node subnet holds each node's trunk and branch addresses beside its pod ENIs", () => {
    const plan = capacityPlan(load(fixture()).env);
    const plain = capacityPlan(load(fixture(withoutPodSecurityGroups)).env);
    // 2 nodes per AZ. Each: its primary, one more pod ENI, the trunk; 9 pods, 9 warm, 9 branch addresses.
    const node = subnetOf(plan, "node");
    expect(node).toMatchObject({
      nodes: 2,
      interfaceAddresses: 2 * 3,
      podAddresses: 2 * 9,
      warmAddresses: 2 * 9,
      branchAddresses: 2 * 9,
    });
    // Without: 27 pods fill the 3 ENIs of 9, no warm room, no trunk.
    expect(subnetOf(plain, "node")).toMatchObject({
      interfaceAddresses: 2 * 3,
      podAddresses: 2 * 27,
      warmAddresses: 0,
      branchAddresses: 0,
    });
    expect(singleAddresses(node) - singleAddresses(subnetOf(plain, "node"))).toBe(2 * (9 + 9 + 9 + 3 - 27 - 3));
    expect(addressesNeeded(node)).toBe(singleAddresses(node));
  });

  it("a rollout's surge nodes bring their own trunks; the branch pods they take over are counted once", () => {
    const node = subnetOf(capacityPlan(load(fixture()).env), "node");
    const rollout = loadOf(node, "rollout");
    // 2 surge nodes in the AZ (the group replaced beside itself), each a primary, a pod ENI and a trunk.
    expect(node.surge.nodes).toBe(2);
    expect(rollout.interfaceAddresses - node.interfaceAddresses).toBe(2 * 3);
    expect(rollout.branchAddresses).toBe(node.branchAddresses);
    expect(rollout.warmAddresses - node.warmAddresses).toBe(2 * 9);
  });

  it("custom networking and prefix delegation: trunks and branch addresses are in the ENIConfig's pod subnet", () => {
    const plan = capacityPlan(load(fixture(customNetworkingWithPrefixes)).env);
    const pod = subnetOf(plan, "pod");
    // m5.large: 108 pod addresses per node in 7 prefixes and 1 warm on its one pod ENI; 9 branch pods.
    expect(pod).toMatchObject({ nodes: 0, podNodes: 2, podPrefixes: 2 * 7, warmPrefixes: 2, branchAddresses: 2 * 9 });
    expect(pod.interfaceAddresses).toBe(2 * (1 + 1)); // a pod ENI and the trunk per node
    expect(subnetOf(plan, "node")).toMatchObject({ interfaceAddresses: 2, branchAddresses: 0 });
  });

  it("subnet discovery: trunks and branch ENIs stay in the node's subnet, pod ENIs go to the pool", () => {
    const plan = capacityPlan(
      load(
        fixture((d) => {
          d.cni.subnetDiscovery = true;
          d.network.zones["us-east-1a"].pod = "10.60.16.0/20";
          d.network.zones["us-east-1b"].pod = "10.60.32.0/20";
        }),
      ).env,
    );
    // The VPC resource controller makes both in the node's current subnet; it does no discovery
    // (pod-network.ts branchEniSubnet). The second pod ENI goes to the tagged /20, which has more free.
    expect(subnetOf(plan, "node")).toMatchObject({
      interfaceAddresses: 2 * 2,
      podAddresses: 2 * 9,
      branchAddresses: 2 * 9,
    });
    expect(subnetOf(plan, "pod")).toMatchObject({ interfaceAddresses: 2, warmAddresses: 2 * 9, branchAddresses: 0 });
  });
});

describe("prefix reservations and the checks count them as single addresses", () => {
  it("reserves the same /28 blocks with or without them, and leaves room outside for their addresses", () => {
    const reservations = (text: string) =>
      subnetPrefixReservations(capacityPlan(load(text).env)).find(
        (r) => r.demand.subnet.role === "pod" && r.demand.subnet.az === "us-east-1a",
      )!;
    const sgpp = reservations(fixture(customNetworkingWithPrefixes));
    const plain = reservations(fixture(both(customNetworkingWithPrefixes, withoutPodSecurityGroups)));
    expect(sgpp.atMaxSize.prefixes).toBe(plain.atMaxSize.prefixes);
    // 2 trunks and 18 branch addresses more to give out beside the reservations.
    expect(sgpp.atMaxSize.singles - plain.atMaxSize.singles).toBe(2 + 2 * 9);
    expect(sgpp.outsideAddresses).toBeGreaterThanOrEqual(sgpp.duringRollout.singles);
    // And those reservations are the ones verify expects to find in EC2.
    const planned = plannedCidrReservations(load(fixture(customNetworkingWithPrefixes)).env).filter(
      (r) => r.type === "prefix" && r.subnet.role === "pod" && r.subnet.az === "us-east-1a",
    );
    expect(planned.map((r) => r.cidr)).toEqual(sgpp.reservations.map((r) => r.cidr));
  });

  it("refuses a pod subnet whose prefix reservations hold the pods but leave no room for their branch ENIs", () => {
    // maxPods 18: 16 pod addresses per node, 1 prefix and 1 warm; 9 branch pods (16 + 16 + 1 + 9 at
    // worst). maxSize 6 over 2 AZs: 3 nodes in each /25 (123 usable, 6 free /28s, all 6 reserved for the
    // 6 prefixes): 27 addresses left outside, enough for 3 pod ENIs, not for 3 x (1 + 1 trunk + 9).
    const small = (d: Editable) => {
      customNetworkingWithPrefixes(d);
      d.network.zones["us-east-1a"].pod = "10.60.16.0/25";
      d.network.zones["us-east-1b"].pod = "10.60.16.128/25";
      d.nodeGroups[0].maxPods = 18;
      d.nodeGroups[0].maxSize = 6;
    };
    const plainProblems = load(fixture(both(small, withoutPodSecurityGroups))).warnings.filter(
      (w) => w.path.join(".") === "network.zones.us-east-1a.pod",
    );
    expect(plainProblems.map((w) => w.id)).toEqual(["rollout-surge-capacity"]);
    const e = rejection(fixture(small));
    const problem = e.problems.find((p) => p.path.join(".") === "network.zones.us-east-1a.pod")!;
    expect(problem.message).toContain(
      "10.60.16.0/25 (pod, us-east-1a) cannot reserve the /28 blocks its pods need at maxSize: workers: 3 nodes x 18 pods hold 6 prefixes (3 of them warm), but beside the 33 single addresses the subnet must also give out (interfaces (trunk ENIs included), 27 branch ENIs of pods with security groups of their own, gateways, load balancers, control-plane ENIs) at most 5 of its 6 free blocks can be reserved",
    );
  });
});

describe("the IP plan report shows them", () => {
  it("per node group (the branch pods counted per node) and per subnet, in JSON and in text", () => {
    const report = ipPlanReport(load(fixture()));
    expect(report.nodeGroups[0]).toMatchObject({ trunkEni: true, branchInterfaces: 9, branchPodsPerNode: 9 });
    const node = report.zones[0].subnets.find((s) => s.role === "node")!;
    expect(node.demand).toMatchObject({ interfaceAddresses: 6, branchAddresses: 18 });
    expect(node.demand.addresses).toBe(6 + 18 + 18 + 18 + 6 + 8); // + control-plane room, load balancers
    const text = formatIpPlanReport(report);
    expect(text).toContain("max pods 20 (recommended), a trunk ENI per node (9 of its pods counted on branch ENIs");
    expect(text).toContain("18 branch ENI addresses");
    expect(ipPlanReport(load(fixture(withoutPodSecurityGroups))).nodeGroups[0]).toMatchObject({
      trunkEni: false,
      branchPodsPerNode: 0,
    });
  });
});
