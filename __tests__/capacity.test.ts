import { addressesNeeded, capacityPlan } from "../modules/plan/capacity";
import { loadEnvironment } from "../modules/load/load";

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
    expect(addressesNeeded(pub)).toBe(60);
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
