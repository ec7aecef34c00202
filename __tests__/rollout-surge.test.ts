/**
 * Surge in every capacity figure: a subnet that holds the nodes at maxSize but not the extra nodes
 * of a rollout (or of a whole group replaced beside itself), or a control-plane upgrade's new ENIs,
 * gets a warning that names the group, the subnet, both numbers and the fix; the article's demo gets
 * none.
 */
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { addressesNeeded, capacityPlan } from "../modules/plan/capacity";
import { edited, load } from "./support/environments";

const surgeWarnings = (text: string) => load(text).warnings.filter((w) => w.id === "rollout-surge-capacity");

describe("rollout surge", () => {
  it("demo passes with no warning but the one about its open API endpoint", () => {
    const { warnings } = loadEnvironment({ EKS_ENV: "demo" });
    expect(warnings.map((w) => w.path.join("."))).toEqual(["cluster.endpoint.publicAccessCidrs"]);
  });

  it("every shipped environment holds its rollouts", () => {
    for (const name of environmentNames()) {
      expect(loadEnvironment({ EKS_ENV: name }).warnings.filter((w) => w.id === "rollout-surge-capacity")).toEqual([]);
    }
  });

  it("a node subnet that fits maxSize but not a rollout: the group, the subnet, both numbers, the fix", () => {
    const warnings = surgeWarnings(
      edited("demo", (d) => {
        d.network.zones["us-east-1a"].node = "172.16.1.0/27";
        d.nodeGroups[0].maxUnavailable = 20;
      }),
    );
    const node = warnings.find((w) => w.path.join(".") === "network.zones.us-east-1a.node");
    // 1 node + 6 for control-plane ENIs + 8 for load balancers = 15 of 27; a rollout adds the larger
    // of 4 (twice 2 AZs) and 20 nodes, 10 per AZ, and an upgrade 3 control-plane ENIs: 28.
    expect(node?.message).toBe(
      "172.16.1.0/27 (node, us-east-1a) has 27 usable addresses: enough for the 15 it needs at maxSize, not for the 28 during a rollout (ng-2-workers: 10 more nodes in a rollout (EKS adds the larger of twice the group's AZs and its maxUnavailable 20); a control-plane upgrade: 3 more addresses for new ENIs beside the old ones); new nodes or interfaces fail to start until old ones are gone",
    );
    expect(node?.fix).toBe("use a /26 or larger subnet, lower maxSize, or lower maxUnavailable");
    expect(node?.severity).toBe("warning");
  });

  it("a pod subnet whose prefix reservations hold maxSize but not a rollout's warm prefixes", () => {
    const warnings = surgeWarnings(edited("demo", (d) => (d.nodeGroups[0].maxUnavailable = 14)));
    expect(warnings.map((w) => w.path.join("."))).toEqual([
      "network.zones.us-east-1a.pod",
      "network.zones.us-east-1b.pod",
    ]);
    // 7 pod prefixes + 1 warm at maxSize; 7 surge nodes per AZ add one warm prefix and one ENI each.
    expect(warnings[0].message).toBe(
      "172.16.10.0/24 (pod, us-east-1a) holds its pods' 8 /28 prefixes at maxSize, but not through a rollout: ng-2-workers: 7 more nodes in a rollout (EKS adds the larger of twice the group's AZs and its maxUnavailable 14) bring it to 15 prefixes and 8 single addresses, and at most 14 blocks can be reserved beside those addresses; new nodes' pods wait for addresses until old nodes are gone",
    );
    expect(warnings[0].fix).toBe("use a /23 or larger subnet, lower maxSize or maxPods, or lower maxUnavailable");
  });

  it("a group replaced whole beside itself (create-before-destroy) counts its size again", () => {
    // production's general group alone in eu-west-1a with maxSize 30: 10 nodes per AZ, + 8 addresses
    // for load balancers = 18 of a /27's 27; replaced, 10 more nodes beside them (a rollout adds 2): 28.
    const warnings = surgeWarnings(
      edited("production", (d) => {
        d.network.zones["eu-west-1a"].node = "10.20.0.0/27";
        d.nodeGroups[0].maxSize = 30;
        d.nodeGroups[1].zones = ["eu-west-1b", "eu-west-1c"];
      }),
    );
    const node = warnings.find((w) => w.path.join(".") === "network.zones.eu-west-1a.node");
    expect(node?.message).toContain(
      "10.20.0.0/27 (node, eu-west-1a) has 27 usable addresses: enough for the 18 it needs at maxSize, not for the 28 during a rollout",
    );
    expect(node?.message).toContain("general: 10 more nodes while the whole group is replaced beside the old one");
  });

  it("a control-plane subnet is held against an upgrade's new ENIs beside the old ones", () => {
    const plan = capacityPlan(loadEnvironment({ EKS_ENV: "production" }).env);
    const controlPlane = plan.subnets.find((d) => d.subnet.role === "controlPlane")!;
    // EKS wants 6 free; an upgrade puts up to 5 new ENIs beside up to 4 old ones: 9 of a /28's 11.
    expect([addressesNeeded(controlPlane), addressesNeeded(controlPlane, "rollout")]).toEqual([6, 9]);
    expect(controlPlane.surge.shares).toEqual([]);
  });
});
