/**
 * Prefix reservations: every subnet pods take /28 prefixes from holds aligned reservations of type
 * prefix inside it, with at least the blocks its pods need at maxSize, in fixed slots that a change
 * of the plan's numbers never moves; the network stack creates exactly the plan's list, and the IP
 * plan JSON reports each one.
 */
import { loadEnvironment } from "../modules/load/load";
import { capacityPlan, prefixesHeld, takesPodPrefixes } from "../modules/plan/capacity";
import { cidr, contains, free28Blocks, overlaps } from "../modules/plan/cidr";
import {
  prefixReservationDescription,
  prefixReservations,
  reservationSlots,
  smallestSubnetHolding,
  subnetPrefixReservations,
} from "../modules/plan/prefix-reservations";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { edited, load, type Editable } from "./support/environments";
import { resources, synthNamed, type Synthesized } from "./support/synth";

type Reservation = { subnet_id: string; cidr_block: string; reservation_type: string; description: string };
type Subnet = { cidr_block: string; availability_zone: string; tags: Record<string, string> };

const aligned = (text: string) => {
  const block = cidr(text);
  return block.first % block.size === 0;
};

describe("reservation slots", () => {
  it("cut a /24 into its 14 free /28s, top down, leaving the first and the last (AWS's reserved addresses)", () => {
    const slots = reservationSlots("172.16.10.0/24");
    expect(slots).toHaveLength(14);
    expect(slots[0]).toEqual({ cidr: "172.16.10.224/28", blocks: 1 });
    expect(slots[13]).toEqual({ cidr: "172.16.10.16/28", blocks: 1 });
  });

  it("cut a larger subnet into halves of its edge sixteenths and whole middle ones: exactly its free /28 blocks, disjoint and aligned", () => {
    for (const subnet of [
      "100.64.0.0/18",
      "10.30.16.0/20",
      "10.20.0.0/23",
      "10.0.0.0/16",
      "10.0.0.0/25",
      "10.0.0.0/26",
    ]) {
      const slots = reservationSlots(subnet);
      const block = cidr(subnet);
      expect(slots.reduce((n, s) => n + s.blocks, 0)).toBe(free28Blocks(block));
      for (const [i, s] of slots.entries()) {
        expect(aligned(s.cidr)).toBe(true);
        expect(contains(block, cidr(s.cidr))).toBe(true);
        expect(cidr(s.cidr).size).toBe(s.blocks * 16);
        // Never the first /28 (network, router, DNS, reserved) or the last (broadcast).
        expect(overlaps(cidr(s.cidr), cidr(`${block.text.split("/")[0]}/28`))).toBe(false);
        expect(cidr(s.cidr).last).toBeLessThan(block.last - 15);
        for (const other of slots.slice(i + 1)) expect(overlaps(cidr(s.cidr), cidr(other.cidr))).toBe(false);
      }
      // The first n slots are always one contiguous range, growing downwards.
      for (let n = 1; n < slots.length; n++) expect(cidr(slots[n].cidr).last + 1).toBe(cidr(slots[n - 1].cidr).first);
    }
    expect(reservationSlots("100.64.0.0/18").map((s) => s.blocks)).toEqual([
      1,
      2,
      4,
      8,
      16,
      32,
      ...Array(14).fill(64),
      32,
      16,
      8,
      4,
      2,
      1,
    ]);
    expect(reservationSlots("10.0.0.0/27")).toEqual([]);
  });

  it("name the smallest subnet that holds a demand beside its single addresses", () => {
    expect(smallestSubnetHolding(14, 27)).toBe(24);
    expect(smallestSubnetHolding(14, 28)).toBe(23);
    expect(smallestSubnetHolding(24, 3)).toBe(23);
  });
});

describe.each(["demo", "production"])("%s: prefix reservations", (name) => {
  const env = loadEnvironment({ EKS_ENV: name }).env;
  const plan = capacityPlan(env);
  const planned = subnetPrefixReservations(plan);
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed(name)));
  afterAll(() => synth.cleanup());

  it("every pod subnet has reservations inside it, aligned, with at least the blocks its nodes at maxSize need for max pods", () => {
    const podSubnets = plan.subnets.filter((d) => d.subnet.role === "pod");
    expect(podSubnets.length).toBeGreaterThan(0);
    for (const d of podSubnets) {
      expect(takesPodPrefixes(d)).toBe(true);
      const mine = prefixReservations(env).filter((r) => r.subnet.cidr === d.subnet.cidr);
      expect(mine.length).toBeGreaterThan(0);
      for (const r of mine) {
        expect(aligned(r.cidr)).toBe(true);
        expect(contains(cidr(d.subnet.cidr), cidr(r.cidr))).toBe(true);
      }
      // Every node placed in the AZ at maxSize, each with its pods' prefixes at max pods.
      const needed = d.podPlacements.reduce((n, p) => n + p.nodes * Math.ceil(p.podAddressesPerNode / 16), 0);
      expect(mine.reduce((n, r) => n + r.blocks, 0)).toBeGreaterThanOrEqual(needed);
      expect(mine.reduce((n, r) => n + r.blocks, 0)).toBeGreaterThanOrEqual(prefixesHeld(d, "rollout"));
    }
  });

  it("the network stack creates exactly the plan's reservations, type prefix, in the subnet each names", () => {
    const net = synth.stack("network");
    const subnets = resources<Subnet>(net, "aws_subnet");
    const created = Object.values(resources<Reservation>(net, "aws_ec2_subnet_cidr_reservation"))
      .filter((r) => r.reservation_type === "prefix")
      .map((r) => {
        const subnetId = /^\$\{aws_subnet\.([\w-]+)\.id\}$/.exec(r.subnet_id)![1];
        const subnet = subnets[subnetId];
        expect(r.description).toBe(prefixReservationDescription(env.cluster.name));
        return `${subnet.availability_zone} ${subnet.tags["eks-custom-networking/role"]} ${subnet.cidr_block} ${r.cidr_block}`;
      });
    expect(created.sort()).toEqual(
      prefixReservations(env)
        .map((r) => `${r.subnet.az} ${r.subnet.role} ${r.subnet.cidr} ${r.cidr}`)
        .sort(),
    );
    expect(net.output?.prefix_reservations?.value).toHaveLength(prefixReservations(env).length);
  });

  it("the IP plan JSON reports each reservation of each subnet", () => {
    const report = ipPlanReport(loadEnvironment({ EKS_ENV: name }));
    const reported = report.zones.flatMap((z) => z.subnets.flatMap((s) => s.prefixReservations.map((r) => r.cidr)));
    expect(reported).toEqual(planned.flatMap((p) => p.reservations.map((r) => r.cidr)));
  });
});

describe("stable across deploys", () => {
  // Every argument of aws_ec2_subnet_cidr_reservation forces replacement: a change of the plan's
  // numbers may add or remove reservations, never change one that stays.
  const reservationsOf = (name: string, edit: (d: Editable) => void) =>
    new Map(prefixReservations(load(edited(name, edit)).env).map((r) => [`${r.subnet.cidr} ${r.index}`, r.cidr]));

  it("growing maxSize only adds reservations; each one kept has the same block", () => {
    const small = reservationsOf("production", (d) =>
      Object.assign(d.nodeGroups[0], { minSize: 3, desiredSize: 3, maxSize: 3 }),
    );
    const large = reservationsOf("production", (d) => (d.nodeGroups[0].maxSize = 60));
    expect(large.size).toBeGreaterThan(small.size);
    for (const [key, block] of small) expect(large.get(key)).toBe(block);
  });

  it("whatever changes (maxPods, warm prefixes, maxUnavailable), the n-th reservation of a subnet is always the same block", () => {
    const variants = [
      reservationsOf("demo", () => undefined),
      reservationsOf("demo", (d) => (d.nodeGroups[0].maxPods = 50)),
      reservationsOf("demo", (d) => (d.cni.warmPrefixTarget = 3)),
      reservationsOf("demo", (d) => (d.nodeGroups[0].maxUnavailable = 10)),
    ];
    expect(new Set(variants.map((v) => v.size)).size).toBeGreaterThan(1);
    for (const variant of variants) {
      for (const [key, block] of variant) {
        const [subnet, index] = key.split(" ");
        expect(block).toBe(reservationSlots(subnet)[Number(index) - 1].cidr);
      }
    }
  });
});

describe("where pods share the node subnet (no custom networking, prefix delegation)", () => {
  it("reserves in the node subnet and leaves the nodes, control-plane ENIs and load balancers their addresses", () => {
    const env = load(
      edited("demo", (d) => {
        d.cni.customNetworking = false;
        delete d.network.zones["us-east-1a"].pod;
        delete d.network.zones["us-east-1b"].pod;
      }),
    ).env;
    const [node] = subnetPrefixReservations(capacityPlan(env)).filter((r) => r.demand.subnet.az === "us-east-1a");
    expect(node.demand.subnet.role).toBe("node");
    // The node's primary serves pods: 7 pod prefixes + 1 warm, and 2 surge nodes' warm ones.
    expect(node.atMaxSize.prefixes).toBe(8);
    expect(node.reservations.length).toBe(10);
    // 1 node + 6 for control-plane ENIs + 8 for load balancers at maxSize; 2 more nodes and 3 more
    // control-plane ENIs in a rollout: all outside the reservations.
    expect(node.duringRollout.singles).toBe(20);
    expect(node.outsideAddresses).toBeGreaterThanOrEqual(node.duringRollout.singles);
  });
});

describe("subnet discovery with prefix delegation: reservations cover the node subnet and the tagged pod subnet", () => {
  it("t3.small: 3 prefixes on the primary ENI in the node subnet, the further ENIs' prefixes in the pod subnet", () => {
    const env = load(
      edited("subnet-discovery", (d) => {
        d.cni.prefixDelegation = true;
        d.nodeGroups[0].instanceType = "t3.small";
      }),
    ).env;
    const plans = subnetPrefixReservations(capacityPlan(env)).filter((r) => r.demand.subnet.az === "us-west-2a");
    // t3.small: 3 ENIs of 4 addresses, 3 prefixes each; max pods 110: 7 prefixes and a warm one per node,
    // 3 on the primary ENI, 5 on two further ENIs, which go to the /20 pod subnet (more free addresses).
    expect(plans.map((p) => [p.demand.subnet.role, p.atMaxSize.prefixes])).toEqual([
      ["node", 3 * 3],
      ["pod", 3 * 5],
    ]);
    for (const p of plans) {
      expect(p.reservations.length).toBeGreaterThan(0);
      expect(p.reservations.reduce((n, r) => n + r.blocks, 0)).toBeGreaterThanOrEqual(p.atMaxSize.prefixes);
      for (const r of p.reservations) expect(contains(cidr(p.demand.subnet.cidr), cidr(r.cidr))).toBe(true);
    }
  });
});
