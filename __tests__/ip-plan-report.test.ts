import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadEnvironment } from "../modules/load/load";
import { ipPlanReport, type IpPlanReport, type SubnetReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { run } from "../scripts/ip-plan";
import { edited, load, writeEnvironmentFile } from "./support/environments";

const ROOT = join(__dirname, "..");

const reportOf = (name: string) => ipPlanReport(loadEnvironment({ EKS_ENV: name }));
const textOf = (name: string) => formatIpPlanReport(reportOf(name));

function subnet(report: IpPlanReport, az: string, role: SubnetReport["role"]): SubnetReport {
  const found = report.zones.find((z) => z.az === az)?.subnets.find((s) => s.role === role);
  if (!found) throw new Error(`no ${role} subnet in ${az}`);
  return found;
}

/** The lines of the text report from an AZ's heading to the blank line after its table. */
function zoneSection(text: string, az: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(az);
  if (start < 0) throw new Error(`no section for ${az}`);
  const end = lines.indexOf("", start);
  return lines.slice(start, end < 0 ? undefined : end);
}

/** The table row of a subnet, split into its columns (two or more spaces apart). */
function row(section: string[], cidr: string): string[] {
  const line = section.find((l) => l.includes(` ${cidr} `));
  if (!line) throw new Error(`no row for ${cidr}`);
  return line.trim().split(/ {2,}/);
}

describe("IP plan report: demo (custom networking, prefix delegation)", () => {
  const report = reportOf("demo");
  const text = formatIpPlanReport(report);

  it("lists both AZs with their node, pod and public subnets, 251 usable addresses each", () => {
    expect(report.zones.map((z) => z.az)).toEqual(["us-east-1a", "us-east-1b"]);
    const cidrs = {
      "us-east-1a": ["172.16.1.0/24", "172.16.10.0/24", "172.16.100.0/24"],
      "us-east-1b": ["172.16.2.0/24", "172.16.11.0/24", "172.16.101.0/24"],
    };
    for (const [az, expected] of Object.entries(cidrs)) {
      const zone = report.zones.find((z) => z.az === az)!;
      expect(zone.subnets.map((s) => [s.role, s.cidr, s.usable])).toEqual([
        ["node", expected[0], 251],
        ["pod", expected[1], 251],
        ["public", expected[2], 251],
      ]);
      const section = zoneSection(text, az);
      expect(row(section, expected[0]).slice(0, 4)).toEqual(["node", expected[0], "251", "-"]);
      expect(row(section, expected[1]).slice(0, 4)).toEqual(["pod", expected[1], "251", "14"]);
      expect(row(section, expected[2]).slice(0, 4)).toEqual(["public", expected[2], "251", "-"]);
    }
  });

  it("counts the pod subnets in /28 blocks: 14 free, 7 pod prefixes and 1 warm one reserved, the ENI's own address beside them", () => {
    for (const az of ["us-east-1a", "us-east-1b"]) {
      const pod = subnet(report, az, "pod");
      expect(pod).toMatchObject({
        prefixDelegation: true,
        free28Blocks: 14,
        demand: { podPrefixes: 7, warmPrefixes: 1, interfaceAddresses: 1, podAddresses: 0 },
      });
      // 8 reserved blocks of 14; the ENI's address fits in the first or last /28, which hold AWS's
      // reserved addresses and are never delegated. A rollout adds 2 surge nodes' warm prefixes.
      expect(pod.capacity).toEqual({
        unit: "/28 blocks",
        available: 14,
        used: 8,
        free: 6,
        headroomPercent: 42,
        duringRollout: { used: 10, free: 4, headroomPercent: 28 },
      });
      const section = zoneSection(text, az);
      expect(row(section, pod.cidr).slice(4, 7)).toEqual(["8 of 14 /28 blocks", "42%", "10 (28%)"]);
      expect(section.join("\n")).toContain("pod: 7 pod prefixes (/28), 1 warm prefix, 1 interface address");
      expect(section.join("\n")).toContain("in a rollout: +2 interface addresses, +2 warm prefixes");
    }
  });

  it("places ng-2-workers' nodes (max pods 110) in the node subnets and their pods in the pod subnets", () => {
    expect(report.nodeGroups).toEqual([
      expect.objectContaining({
        name: "ng-2-workers",
        instanceType: "m5.xlarge",
        maxPods: 110,
        maxPodsSource: "set",
        prefixDelegation: true,
        nodesPerZone: 1,
        zones: ["us-east-1a", "us-east-1b"],
      }),
    ]);
    const placed = { group: "ng-2-workers", capacity: "nodeGroup", instanceType: "m5.xlarge", nodes: 1, maxPods: 110 };
    const surge = { surgeNodes: 2, surge: "rollout" };
    expect(subnet(report, "us-east-1a", "node").placements).toEqual([{ ...placed, holds: "nodes", ...surge }]);
    expect(subnet(report, "us-east-1a", "pod").placements).toEqual([{ ...placed, holds: "pods", ...surge }]);
    expect(subnet(report, "us-east-1a", "public").placements).toEqual([]);
    const section = zoneSection(text, "us-east-1a");
    expect(row(section, "172.16.1.0/24")[7]).toBe("ng-2-workers: 1 node (max pods 110), +2 in a rollout");
    expect(row(section, "172.16.10.0/24")[7]).toBe("ng-2-workers: pods of 1 node (max pods 110)");
  });

  it("node subnets keep 6 addresses free for the control-plane ENIs and 8 for load balancers: 15 of 251 used, 20 in a rollout", () => {
    expect(subnet(report, "us-east-1b", "node")).toMatchObject({
      prefixDelegation: false,
      demand: {
        interfaceAddresses: 1,
        infrastructure: 6,
        loadBalancers: 8,
        addresses: 15,
        // 2 surge nodes; a control-plane upgrade's 5 new ENIs beside up to 4 old ones: 3 beyond the 6.
        rolloutAdds: { nodes: 2, interfaceAddresses: 2, warmPrefixes: 0, warmAddresses: 0, infrastructure: 3 },
        addressesDuringRollout: 20,
      },
      capacity: { unit: "addresses", available: 251, used: 15, free: 236, headroomPercent: 94 },
      prefixReservations: [],
      addressesOutsidePrefixReservations: 251,
    });
  });

  it("reserves the pod subnets' top free /28 blocks for prefixes, as many as a rollout holds, and says what is left", () => {
    const pod = subnet(report, "us-east-1a", "pod");
    // 7 + 1 warm prefixes at maxSize, 2 more warm ones for the surge nodes: 10 single /28s down from
    // the one below the subnet's last (which holds the broadcast address).
    expect(pod.prefixReservations.map((r) => r.cidr)).toEqual([
      "172.16.10.224/28",
      "172.16.10.208/28",
      "172.16.10.192/28",
      "172.16.10.176/28",
      "172.16.10.160/28",
      "172.16.10.144/28",
      "172.16.10.128/28",
      "172.16.10.112/28",
      "172.16.10.96/28",
      "172.16.10.80/28",
    ]);
    expect(pod.addressesOutsidePrefixReservations).toBe(251 - 160);
    expect(zoneSection(text, "us-east-1a").join("\n")).toContain(
      "10 blocks reserved for pod prefixes, 172.16.10.80-172.16.10.239 (10 reservations, each a /28); 91 addresses outside them",
    );
  });

  it("shows the VPC, the service range, the single NAT gateway in the first AZ and the CNI mode", () => {
    expect(report.vpcCidrs).toEqual([{ cidr: "172.16.0.0/16", addresses: 65536, primary: true }]);
    expect(report.serviceCidr).toEqual({ cidr: "172.17.0.0/24", addresses: 256 });
    expect(report.nat).toEqual({ mode: "single", zones: ["us-east-1a"] });
    expect(report.zones.map((z) => z.subnets.filter((s) => s.natGateway).map((s) => s.cidr))).toEqual([
      ["172.16.100.0/24"],
      [],
    ]);
    expect(report.cni).toEqual({
      customNetworking: true,
      subnetDiscovery: false,
      podNetwork: "customNetworking",
      prefixDelegation: true,
      externalSnat: false,
      warmPrefixTarget: 1,
      networkPolicy: false,
      podSecurityGroups: false,
      mode: "custom networking, prefix delegation",
    });
    expect(text).toMatch(/VPC CIDRs +172\.16\.0\.0\/16 \(65,536 addresses\)/);
    expect(text).toMatch(/service CIDR +172\.17\.0\.0\/24 \(256 addresses\)/);
    expect(text).toMatch(/NAT +single: one NAT gateway, in the public subnet of us-east-1a/);
    expect(text).toMatch(/CNI +custom networking, prefix delegation \(warm prefix target 1\)/);
    expect(row(zoneSection(text, "us-east-1a"), "172.16.100.0/24")[7]).toBe("NAT gateway");
    expect(row(zoneSection(text, "us-east-1b"), "172.16.101.0/24")[7]).toBe("-");
  });

  it("carries the validation warning, which the file acknowledges: the API endpoint is open to the world", () => {
    expect(report.warnings).toEqual([
      expect.objectContaining({
        field: "cluster.endpoint.publicAccessCidrs",
        message: expect.stringContaining("0.0.0.0/0"),
        id: "open-api-endpoint",
        acknowledged: expect.stringContaining("laptop"),
      }),
    ]);
    expect(text).toMatch(
      /Warnings \(1\):\nenvironments\/demo\.yaml:\d+: warning: cluster\.endpoint\.publicAccessCidrs: .*0\.0\.0\.0\/0.* \[open-api-endpoint, acknowledged\]\n {2}acknowledged: /,
    );
  });
});

describe("IP plan report: public-pods (secondary IPs, nodes in public subnets)", () => {
  const report = reportOf("public-pods");

  it("counts pods as single addresses of the public subnet their node sits in", () => {
    // m5.xlarge: 58 max pods, 56 with an address, on 4 ENIs (full: no warm ENI fits); plus the NAT
    // gateway in us-east-1a and 8 addresses for load balancers.
    expect(subnet(report, "us-east-1a", "public")).toMatchObject({
      prefixDelegation: false,
      natGateway: true,
      placements: [{ group: "ng-public", nodes: 1, maxPods: 58, holds: "nodes and pods" }],
      demand: {
        interfaceAddresses: 4,
        podAddresses: 56,
        warmAddresses: 0,
        podPrefixes: 0,
        infrastructure: 1,
        loadBalancers: 8,
        addresses: 69,
      },
      capacity: { unit: "addresses", available: 251, used: 69, free: 182, headroomPercent: 72 },
    });
    expect(subnet(report, "us-east-1b", "public").capacity).toMatchObject({ used: 68, headroomPercent: 72 });
    expect(subnet(report, "us-east-1a", "node").placements).toEqual([]);
    expect(report.cni.mode).toBe("secondary IPs, external SNAT");
  });

  it("prints addresses, not /28 blocks", () => {
    const section = zoneSection(textOf("public-pods"), "us-east-1a");
    // A rollout: 2 surge nodes (twice the group's 2 AZs, over 2 AZs), each with its 4 interfaces; they
    // take over the pods of the nodes they replace, so no pod address more.
    expect(row(section, "172.16.100.0/24").slice(0, 8)).toEqual([
      "public",
      "172.16.100.0/24",
      "251",
      "-",
      "69 of 251 addresses",
      "72%",
      "77 (69%)",
      "NAT gateway",
    ]);
    // A second node group line under the NAT gateway, with the subnet columns left blank.
    expect(section).toContainEqual(
      expect.stringMatching(/^ {20,}ng-public: 1 node and its pods \(max pods 58\), \+2 in a rollout$/),
    );
    expect(section.join("\n")).toContain(
      "public: 56 pod addresses, 4 interface addresses, 1 NAT gateway address, 8 kept free for load balancers",
    );
  });
});

describe("IP plan report: production (3 AZs, secondary block, control-plane subnets)", () => {
  const report = reportOf("production");
  const text = formatIpPlanReport(report);

  it("has three AZs, each with a /28 control-plane subnet holding the 6 addresses EKS wants free", () => {
    expect(report.zones.map((z) => z.az)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(report.zones.map((z) => subnet(report, z.az, "controlPlane").cidr)).toEqual([
      "10.20.7.0/28",
      "10.20.7.16/28",
      "10.20.7.32/28",
    ]);
    expect(subnet(report, "eu-west-1c", "controlPlane")).toMatchObject({
      usable: 11,
      demand: { infrastructure: 6 },
      capacity: { used: 6, free: 5, headroomPercent: 45 },
    });
    expect(subnet(report, "eu-west-1c", "node").demand.infrastructure).toBe(0);
    expect(row(zoneSection(text, "eu-west-1b"), "10.20.7.16/28").slice(0, 6)).toEqual([
      "control plane",
      "10.20.7.16/28",
      "11",
      "-",
      "6 of 11 addresses",
      "45%",
    ]);
  });

  it("puts the pods on the secondary block and a NAT gateway in every AZ", () => {
    expect(report.vpcCidrs).toEqual([
      { cidr: "10.20.0.0/20", addresses: 4096, primary: true },
      { cidr: "100.64.0.0/16", addresses: 65536, primary: false },
    ]);
    expect(report.nat).toEqual({ mode: "perAz", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] });
    expect(report.zones.every((z) => z.natGateway && subnet(report, z.az, "public").natGateway)).toBe(true);
    // general: 12 over 3 AZs = 4 nodes; the Karpenter pool batch: 24 c6a.xlarge at its 96 vCPUs,
    // one batch over = 48, all of which may land in this AZ: 52 nodes x (7 prefixes + 1 warm). The
    // rollout adds general's replacement (4 nodes) and the pool's disruption budget (10% of 48 = 5),
    // 9 nodes' warm prefixes. With security groups for pods every node also counts its trunk and pod
    // ENI (2 interfaces) and the worst branch mix, 11 pods on branch ENIs (single addresses): 52 x 11.
    // 416 prefixes and 676 single addresses packed into whole blocks: 416 + 72 = 488 (489).
    const pod = subnet(report, "eu-west-1a", "pod");
    expect(pod).toMatchObject({
      free28Blocks: 1022,
      demand: {
        podPrefixes: 52 * 7,
        warmPrefixes: 52,
        branchAddresses: 52 * 11,
        interfaceAddresses: 52 * 2,
        rolloutAdds: { warmPrefixes: 9, interfaceAddresses: 9 * 2 },
      },
      capacity: { unit: "/28 blocks", used: 488, duringRollout: { used: 489 } },
    });
    // Reserved from the top of the subnet down, in aligned blocks; the rollout's demand is held.
    expect(pod.prefixReservations[0]).toEqual({ cidr: "100.64.63.224/28", blocks: 1 });
    expect(pod.prefixReservations.reduce((n, r) => n + r.blocks, 0)).toBeGreaterThanOrEqual(52 * 8 + 9);
    expect(text).toContain("100.64.0.0/16 (65,536 addresses, secondary)");
    expect(row(zoneSection(text, "eu-west-1a"), "100.64.0.0/18").slice(2, 5)).toEqual([
      "16,379",
      "1,022",
      "488 of 1,022 /28 blocks",
    ]);
  });

  it("names the node group with its recommended max pods, and the Karpenter pool beside it", () => {
    expect(report.nodeGroups.map((g) => [g.name, g.instanceType, g.maxPods, g.maxPodsSource, g.nodesPerZone])).toEqual([
      ["general", "m6i.2xlarge", 110, "recommended", 4],
    ]);
    expect(text).toMatch(
      /node groups +general: m6i\.2xlarge, 3 to 12 nodes \(desired 6\), max pods 110 \(recommended\)/,
    );
    const [batch] = report.nodePools;
    expect(batch).toMatchObject({
      name: "batch",
      kubeletMaxPods: 110,
      countedInstanceType: "c6a.xlarge",
      nodesAtLimit: 24,
      overrunNodes: 24,
      nodesPerZone: 48,
      surgeNodesPerZone: 5,
      zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    });
    // c6a, c6i and c7i in xlarge, 2xlarge and 4xlarge, smallest first, all at the EC2NodeClass's 110.
    expect(batch.instanceTypes).toHaveLength(9);
    expect(batch.instanceTypes.every((t) => t.maxPods === 110)).toBe(true);
    expect(text).toMatch(/node pools +batch \(Karpenter\): 9 instance types .*kubelet maxPods 110/);
    // Under general in the node subnet's PLACED HERE column, and as the pods' owner in the pod subnet's.
    const lines = zoneSection(text, "eu-west-1a");
    const after = (cidr: string) => lines[lines.findIndex((l) => l.includes(` ${cidr} `)) + 1].trim();
    expect(after("10.20.0.0/23")).toBe("batch (Karpenter, c6a.xlarge): 48 nodes (max pods 110), +5 in a disruption");
    expect(after("100.64.0.0/18")).toBe("batch (Karpenter, c6a.xlarge): pods of 48 nodes (max pods 110)");
  });
});

describe("IP plan report without warnings", () => {
  it("says so", () => {
    const loaded = load(edited("demo", (doc) => (doc.cluster.endpoint = { publicAccessCidrs: ["203.0.113.0/24"] })));
    expect(loaded.warnings).toEqual([]);
    const report = ipPlanReport(loaded);
    expect(report).toMatchObject({ warnings: [], warningReport: "" });
    expect(formatIpPlanReport(report)).toMatch(/\n\nWarnings: none\n$/);
  });
});

describe("IP plan report agrees with the subnet capacity check", () => {
  it("a pod subnet whose rollout needs more blocks than it has shows negative headroom exactly when validation warns", () => {
    // maxUnavailable 14: a rollout adds the larger of 4 (twice 2 AZs) and 14 nodes, 7 per AZ, each
    // with a warm prefix: 8 + 7 = 15 prefixes of 14 blocks.
    const loaded = load(edited("demo", (doc) => (doc.nodeGroups[0].maxUnavailable = 14)));
    const pod = subnet(ipPlanReport(loaded), "us-east-1a", "pod");
    expect(pod.capacity).toMatchObject({ available: 14, used: 8, duringRollout: { used: 15, free: -1 } });
    expect(loaded.warnings.filter((w) => w.id === "rollout-surge-capacity").map((w) => w.path.join("."))).toEqual([
      "network.zones.us-east-1a.pod",
      "network.zones.us-east-1b.pod",
    ]);
    expect(row(zoneSection(formatIpPlanReport(ipPlanReport(loaded)), "us-east-1a"), pod.cidr)[6]).toBe(
      "15 (over by 1)",
    );
    // One block less and the warning goes: 13 prefixes with 3 more nodes' interfaces beside them.
    const fits = load(edited("demo", (doc) => (doc.nodeGroups[0].maxUnavailable = 10)));
    expect(subnet(ipPlanReport(fits), "us-east-1a", "pod").capacity.duringRollout).toMatchObject({ used: 13, free: 1 });
    expect(fits.warnings.filter((w) => w.id === "rollout-surge-capacity")).toEqual([]);
  });
});

describe("IP plan JSON", () => {
  it("has the documented shape", () => {
    const json = JSON.parse(JSON.stringify(reportOf("production")));
    expect(Object.keys(json).sort()).toEqual([
      "cluster",
      "cni",
      "environment",
      "nat",
      "network",
      "nodeGroups",
      "nodePools",
      "publicAddresses",
      "region",
      "schemaVersion",
      "serviceCidr",
      "vpcCidrs",
      "warningReport",
      "warnings",
      "zones",
    ]);
    expect(json.schemaVersion).toBe(1);
    expect(json.network).toEqual({ source: "own" });
    expect(json.environment).toEqual({
      name: "production",
      file: "environments/production.yaml",
      description: expect.any(String),
    });
    expect(Object.keys(json.zones[0]).sort()).toEqual(["az", "natGateway", "subnets"]);
    // Fields are only ever added (schemaVersion 1): the prefix reservations, warm and rollout figures came later.
    expect(Object.keys(json.zones[0].subnets[0]).sort()).toEqual([
      "addressesOutsidePrefixReservations",
      "capacity",
      "cidr",
      "demand",
      "free28Blocks",
      "natGateway",
      "placements",
      "prefixDelegation",
      "prefixReservations",
      "role",
      "routesToInternetGateway",
      "usable",
    ]);
    expect(Object.keys(json.zones[0].subnets[0].demand).sort()).toEqual([
      "addresses",
      "addressesDuringRollout",
      "branchAddresses",
      "fixedAddresses",
      "infrastructure",
      "interfaceAddresses",
      "loadBalancers",
      "podAddresses",
      "podPrefixes",
      "reservations",
      "rolloutAdds",
      "warmAddresses",
      "warmPrefixes",
    ]);
    expect(Object.keys(json.zones[0].subnets[0].capacity).sort()).toEqual([
      "available",
      "duringRollout",
      "free",
      "headroomPercent",
      "unit",
      "used",
    ]);
    expect(json.zones[0].subnets[0].placements[0].surge).toBe("replacement");
    expect(Object.keys(json.nodeGroups[0]).sort()).toEqual([
      "branchInterfaces",
      "branchPodsPerNode",
      "desiredSize",
      "instanceType",
      "maxPods",
      "maxPodsSource",
      "maxSize",
      "minSize",
      "name",
      "nodesPerZone",
      "prefixDelegation",
      "subnet",
      "surge",
      "trunkEni",
      "zones",
    ]);
    expect(json.cni).toMatchObject({ networkPolicy: true, podSecurityGroups: true });
    expect(
      json.nodeGroups.map((g: { name: string; trunkEni: boolean; branchInterfaces: number }) => [
        g.name,
        g.trunkEni,
        g.branchInterfaces,
      ]),
    ).toEqual([["general", true, 38]]);
    expect(json.nodeGroups[0].surge).toEqual({
      rolloutNodesPerZone: 2,
      replacementNodesPerZone: 4,
      nodesPerZone: 4,
      kind: "replacement",
      replacement: "createBeforeDestroy",
    });
    expect(Object.keys(json.cni).sort()).toEqual([
      "customNetworking",
      "externalSnat",
      "minimumIpTarget",
      "mode",
      "networkPolicy",
      "podNetwork",
      "podSecurityGroups",
      "prefixDelegation",
      "subnetDiscovery",
      "warmPrefixTarget",
    ]);
  });
});

/** The command in process: exit code and what it wrote to each stream. */
function ipPlan(args: string[], vars: NodeJS.ProcessEnv = { EKS_ENV: "demo" }) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
  const code = run(args, stream(out), stream(err), vars);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("scripts/ip-plan.ts", () => {
  it("prints the text report of the chosen environment and exits 0 despite warnings", () => {
    const result = ipPlan([], { EKS_ENV: "demo" });
    expect(result).toEqual({ code: 0, stdout: textOf("demo"), stderr: "" });
    expect(ipPlan([], {}).stdout).toBe(textOf("demo")); // the default environment
  });

  it("--json prints the report as JSON", () => {
    const result = ipPlan(["--json"], { EKS_ENV: "public-pods" });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(reportOf("public-pods"))));
  });

  it("exits 1 for an invalid environment chosen by EKS_ENV_FILE, with the validation report on stderr only", () => {
    const file = writeEnvironmentFile(
      "overlapping",
      edited("demo", (doc) => (doc.network.zones["us-east-1b"].pod = "172.16.1.128/25")),
    );
    try {
      for (const args of [[], ["--json"]]) {
        const result = ipPlan(args, { EKS_ENV_FILE: file });
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain("overlapping.yaml is not a valid environment");
        expect(result.stderr).toMatch(
          /overlapping\.yaml:\d+: error: network\.zones\.us-east-1b\.pod: 172\.16\.1\.128\/25 overlaps network\.zones\.us-east-1a\.node/,
        );
      }
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });

  it("exits 1 when EKS_ENV names no environment", () => {
    const result = ipPlan([], { EKS_ENV: "nope" });
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toContain("EKS_ENV=nope");
  });

  it.each([
    ["an unknown flag", ["--bogus"]],
    ["a positional argument", ["demo"]],
    ["a value for --json", ["--json=yes"]],
  ])("exits 2 with usage on stderr for %s", (_case, args) => {
    const result = ipPlan(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/usage:.*--json/s);
  });

  it("--help prints usage on stdout", () => {
    expect(ipPlan(["--help"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage:.*EKS_ENV.*--json/s) });
  });
});

describe("npm run ip-plan (as a process)", () => {
  it("passes flags and the environment through: EKS_ENV=production npm run --silent ip-plan -- --json", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, EKS_ENV: "production" };
    delete env.EKS_ENV_FILE;
    const result = spawnSync("npm", ["run", "--silent", "ip-plan", "--", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      env,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(reportOf("production"))));
  });
});

describe("IP plan of Multus subnets", () => {
  it("counts each network's reserved pod range as taken, and names it", () => {
    const report = ipPlanReport(loadEnvironment({ EKS_ENV: "telco" }));
    const multus1 = report.zones
      .find((z) => z.az === "eu-central-1a")!
      .subnets.find((s) => s.role === "multus" && s.interfaceIndex === 1)!;
    expect(multus1.demand.reservations).toEqual([
      { network: "signalling", cidr: "10.30.8.64/26", addresses: 64 },
      { network: "oam", cidr: "10.30.8.128/26", addresses: 64 },
    ]);
    // Two /26 ranges and the interface of the one Multus node in the AZ.
    expect(multus1.capacity).toMatchObject({ unit: "addresses", available: 251, used: 129 });
    expect(formatIpPlanReport(report)).toContain(
      "multus 1: 1 interface address, 10.30.8.64/26 reserved for signalling pods, 10.30.8.128/26 reserved for oam pods",
    );
  });
});
