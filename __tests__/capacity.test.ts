import { nodeAddressDemand, nodeSurge } from "../modules/plan/address-demand";
import { addressesNeeded, capacityPlan, loadOf, prefixBlocksNeeded } from "../modules/plan/capacity";
import { loadEnvironment } from "../modules/load/load";
import { maxPodsFor } from "../modules/plan/max-pods";
import { edited, load } from "./support/environments";

const demandOf = (name: string, role: string, az: string) => {
  const plan = capacityPlan(loadEnvironment({ EKS_ENV: name }).env);
  const demand = plan.subnets.find((d) => d.subnet.role === role && d.subnet.az === az);
  if (!demand) throw new Error(`no ${role} subnet in ${az}`);
  return demand;
};

describe("capacity plan", () => {
  it("demo: one node per AZ, its 108 pod addresses as 7 /28 prefixes in the pod subnet of the AZ", () => {
    const pod = demandOf("demo", "pod", "us-east-1a");
    expect(pod).toMatchObject({
      usable: 251,
      free28Blocks: 14,
      nodes: 0,
      podNodes: 1,
      podPrefixes: 7,
      podAddresses: 0,
    });
    // m5.xlarge with custom networking and prefix delegation: one secondary ENI (14 x 16 slots) serves all pods.
    expect(pod.interfaceAddresses).toBe(1);
    const node = demandOf("demo", "node", "us-east-1a");
    expect(node).toMatchObject({ nodes: 1, podNodes: 0, interfaceAddresses: 1, infrastructure: 6 });
  });

  it("demo: the single NAT gateway takes an address of the first AZ's public subnet only", () => {
    expect(demandOf("demo", "public", "us-east-1a").infrastructure).toBe(1);
    expect(demandOf("demo", "public", "us-east-1b").infrastructure).toBe(0);
  });

  it("public-pods: pods take secondary addresses of the public subnet their node sits in", () => {
    const pub = demandOf("public-pods", "public", "us-east-1b");
    // m5.xlarge, 58 max pods (56 with addresses) on 4 ENIs: 1 node, 4 interface addresses, 56 pod addresses.
    expect(pub).toMatchObject({ nodes: 1, podNodes: 1, interfaceAddresses: 4, podAddresses: 56, podPrefixes: 0 });
    // ... plus the 8 addresses a subnet tagged for load balancers keeps free for them.
    expect(pub.loadBalancers).toBe(8);
    expect(addressesNeeded(pub)).toBe(68);
  });

  it("production: control-plane ENIs go to the dedicated subnets, not the node subnets", () => {
    expect(demandOf("production", "controlPlane", "eu-west-1a").infrastructure).toBe(6);
    expect(demandOf("production", "node", "eu-west-1a").infrastructure).toBe(0);
  });

  it("production: node groups spread maxSize over their AZs, rounded up", () => {
    // general: maxSize 12 over 3 AZs = 4; batch-spot: 9 over 3 = 3.
    expect(demandOf("production", "node", "eu-west-1c").nodes).toBe(7);
  });
});

describe("the demand rule: a node's pods at max pods, its warm prefixes, and the surge of a rollout", () => {
  it("an m5.xlarge with custom networking and prefix delegation: 108 pod addresses in 7 prefixes, 1 warm, on one pod ENI", () => {
    const computed = maxPodsFor("m5.xlarge", { customNetworking: true, prefixDelegation: true });
    // WARM_PREFIX_TARGET unset: the add-on's manifest default of 1.
    expect(nodeAddressDemand(110, computed, {})).toEqual({
      unit: "prefix",
      podUnits: 7,
      warmUnits: 1,
      unitsPerEni: 14,
      eniUnits: [8],
      // No security groups for pods: no trunk, no branch pods.
      trunkEni: false,
      branchPods: 0,
    });
    expect(nodeAddressDemand(110, computed, { warmPrefixTarget: 3 }).warmUnits).toBe(3);
    // WARM_IP_TARGET overrides the prefix target in the CNI; the larger is counted (40 addresses: 3 prefixes).
    expect(nodeAddressDemand(110, computed, { warmPrefixTarget: 1, warmIpTarget: 40 }).warmUnits).toBe(3);
  });

  it("never counts more warm units than the node's ENIs hold", () => {
    // Secondary IPs, m5.xlarge: 4 ENIs x 14 addresses = 56 = the 56 pods of max pods 58: no room for a warm ENI.
    const full = nodeAddressDemand(
      58,
      maxPodsFor("m5.xlarge", { customNetworking: false, prefixDelegation: false }),
      {},
    );
    expect(full).toMatchObject({ unit: "address", podUnits: 56, warmUnits: 0, eniUnits: [14, 14, 14, 14] });
    // 20 pods leave room: WARM_ENI_TARGET's default keeps one whole ENI's 14 addresses warm.
    const part = nodeAddressDemand(
      22,
      maxPodsFor("m5.xlarge", { customNetworking: false, prefixDelegation: false }),
      {},
    );
    expect(part).toMatchObject({ podUnits: 20, warmUnits: 14, eniUnits: [14, 14, 6] });
  });

  it("surge: the larger of twice the group's AZs and maxUnavailable, spread over its AZs; a replacement adds the group again", () => {
    expect(nodeSurge({ maxUnavailable: 1, multusInterfaces: 0 }, 2, 1)).toEqual({
      rollout: 2,
      replacement: 1,
      nodes: 2,
      kind: "rollout",
    });
    // EKS's example: 5 AZs and maxUnavailable 20 launch 20 nodes, 4 per AZ.
    expect(nodeSurge({ maxUnavailable: 20, multusInterfaces: 0 }, 5, 3).rollout).toBe(4);
    expect(nodeSurge({ maxUnavailable: 2, multusInterfaces: 0 }, 3, 4)).toMatchObject({
      nodes: 4,
      kind: "replacement",
    });
    // Multus slots are replaced destroy-before-create.
    expect(nodeSurge({ maxUnavailable: 1, multusInterfaces: 2 }, 2, 1)).toEqual({
      rollout: 0,
      replacement: 0,
      nodes: 0,
      kind: "none",
    });
  });

  it("demo: a rollout adds two nodes per AZ, their two pod ENIs and two warm prefixes, not their pods", () => {
    const pod = demandOf("demo", "pod", "us-east-1a");
    expect([pod.podPrefixes, pod.warmPrefixes, pod.interfaceAddresses]).toEqual([7, 1, 1]);
    expect(loadOf(pod, "rollout")).toMatchObject({ podPrefixes: 7, warmPrefixes: 3, interfaceAddresses: 3 });
    expect([prefixBlocksNeeded(pod), prefixBlocksNeeded(pod, "rollout")]).toEqual([9, 11]);
    const node = demandOf("demo", "node", "us-east-1a");
    // 2 surge nodes; a control-plane upgrade: up to 4 ENIs beside 5 new ones, 9 where 6 were kept free.
    expect(node.surge).toMatchObject({ nodes: 2, interfaceAddresses: 2, infrastructure: 3 });
    expect([addressesNeeded(node), addressesNeeded(node, "rollout")]).toEqual([15, 20]);
    expect(node.surge.shares.map((s) => [s.placement.group.name, s.nodes])).toEqual([["ng-2-workers", 2]]);
  });

  it("telco: Multus nodes add no surge", () => {
    const node = demandOf("telco", "node", "eu-central-1a");
    expect(node.surge.shares.map((s) => s.placement.group.name)).toEqual(["general"]);
  });

  it("subnet discovery: the primary ENI's pods stay in the node subnet, the further ENIs go where most addresses are free", () => {
    const plan = capacityPlan(loadEnvironment({ EKS_ENV: "subnet-discovery" }).env);
    const [node, pod] = ["node", "pod"].map((role) => plan.subnets.find((d) => d.subnet.role === role)!);
    // m5.xlarge, 58 max pods: 14 pods on the primary, 42 on three further ENIs; 3 nodes per AZ.
    expect([node.nodes, node.podAddresses, node.interfaceAddresses]).toEqual([3, 42, 3]);
    // A /20 pod subnet has far more free addresses than a /24 node subnet, so all 9 further ENIs go there.
    expect([pod.podAddresses, pod.interfaceAddresses]).toEqual([126, 9]);
  });

  it("subnet discovery: when the node subnet has more room, further ENIs go there until the pod subnet has more", () => {
    const env = load(
      edited("subnet-discovery", (d) => {
        d.network.zones["us-west-2a"].node = "10.40.16.0/20";
        d.network.zones["us-west-2a"].pod = "100.64.0.0/26";
      }),
    ).env;
    const plan = capacityPlan(env);
    const inAz = (role: string) => plan.subnets.find((d) => d.subnet.role === role && d.subnet.az === "us-west-2a")!;
    // A /26 has 59 usable addresses, a /20 4,091: every further ENI (15 addresses with its pods) lands in the node subnet.
    expect(inAz("pod").interfaceAddresses).toBe(0);
    expect(inAz("node").podAddresses).toBe(3 * 56);
  });
});
