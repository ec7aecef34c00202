/**
 * The plan across environments (`npm run --silent ip-plan -- --all`): every environment of a folder
 * with the networks file. Folders are built from the fixture environments in a temporary directory;
 * each rule is shown failing on one edit, naming both files and lines, both ranges and a fix.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { run } from "../scripts/ip-plan";
import { runInProcess } from "./support/commands";
import { edited, environmentText } from "./support/environments";
import type { AddressPlanReport } from "../modules/report/address-plan-report";

/** The fixture folder: demo, production, telco, and public-pods in demo's network. */
const FIXTURES: Record<string, string> = {
  "demo.yaml": environmentText("demo"),
  "production.yaml": environmentText("production"),
  "telco.yaml": environmentText("telco"),
  "public-pods.yaml": edited("public-pods", (d) => (d.network = { from: "./demo.yaml" })),
};

const NETWORKS = {
  blocks: [
    { name: "cloud", cidr: "10.0.0.0/9" },
    { name: "lab", cidr: "172.16.0.0/12" },
    { name: "pods", cidr: "100.64.0.0/10" },
  ],
  externalNetworks: [{ name: "data-centre", kind: "on-premises", cidrs: ["10.200.0.0/16"], routed: true }],
};

/** A folder of environment files and a networks file; returns the arguments that plan them. */
function folder(files: Record<string, string>, networks: object = NETWORKS): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "eks-plan-"));
  const envs = join(dir, "environments");
  mkdirSync(envs);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(envs, name), text);
  writeFileSync(join(dir, "external.yaml"), stringify(networks));
  return { dir, args: ["--all", "--dir", envs, "--networks", join(dir, "external.yaml")] };
}

const plan = (files: Record<string, string>, networks?: object) => {
  const { dir, args } = folder(files, networks);
  const text = runInProcess(run, ...args);
  const json = runInProcess(run, ...args, "--json");
  return { dir, text, report: JSON.parse(json.stdout) as AddressPlanReport, code: json.code };
};

/** The line of the first line of `text` that contains `needle` (1-based). */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("ip-plan --all on a consistent folder", () => {
  const { text, report, code } = plan(FIXTURES);

  it("exits 0 with no problems", () => {
    expect(code).toBe(0);
    expect(text.code).toBe(0);
    expect(report.problems).toEqual([]);
    expect(text.stdout).toContain("Problems: none");
  });

  it("counts a shared network once: four environments, three networks", () => {
    expect(report.summary).toEqual({ environments: 4, invalid: 0, networks: 3, errors: 0, warnings: 0 });
    const pods = report.environments.find((e) => e.name === "public-pods")!;
    expect(pods.network).toMatchObject({ source: "shared", owner: { name: "demo" } });
    expect(pods.vpcBlocks).toEqual([{ cidr: "172.16.0.0/16", primary: true, reusable: false }]);
    // Its pods are on its nodes' (public) subnets: no custom networking.
    expect(pods.podRanges).toEqual(["172.16.100.0/24", "172.16.101.0/24"]);
  });

  it("marks production's pod-only 100.64.0.0/16 behind SNAT reusable", () => {
    const production = report.environments.find((e) => e.name === "production")!;
    expect(production.vpcBlocks).toEqual([
      { cidr: "10.20.0.0/20", primary: true, reusable: false },
      { cidr: "100.64.0.0/16", primary: false, reusable: true },
    ]);
    expect(text.stdout).toMatch(/production .* 10\.20\.0\.0\/20, 100\.64\.0\.0\/16\*/);
  });

  it("shows the free space of each organisation block, every range counted once", () => {
    const lab = report.blocks.find((b) => b.name === "lab")!;
    // demo's VPC 172.16.0.0/16, the service range 172.17.0.0/24 of demo and public-pods, telco's 172.20.0.0/16.
    expect(lab).toMatchObject({ addresses: 1_048_576, used: 65_536 + 256 + 65_536, largestFree: "172.24.0.0/13" });
    expect(lab.free).toBe(lab.addresses - lab.used);
    expect(lab.ranges.map((r) => `${r.cidr} ${r.what}`)).toEqual([
      "172.16.0.0/16 the VPC block of demo",
      "172.17.0.0/24 the service range of demo",
      "172.17.0.0/24 the service range of public-pods",
      "172.20.0.0/16 the service range of telco",
    ]);
    expect(text.stdout).toMatch(/lab\s+172\.16\.0\.0\/12\s+1,048,576\s+131,328\s+917,248 \(87%\)\s+172\.24\.0\.0\/13/);
    expect(report.outside.map((r) => r.cidr)).toEqual(["10.200.0.0/16"]);
  });
});

describe("ip-plan --all finds what no environment sees alone", () => {
  it("a copy of an environment with its own name but the same VPC block: exit 1, naming both files and lines", () => {
    const staging = edited("demo", (d) => (d.cluster.name = "cluster-staging"));
    const { dir, text, code } = plan({ ...FIXTURES, "staging.yaml": staging });
    expect(code).toBe(1);
    expect(text.code).toBe(1);
    const stagingLine = lineOf(staging, "vpcCidr:");
    const demoLine = lineOf(FIXTURES["demo.yaml"], "vpcCidr:");
    expect(text.stdout).toContain(
      `${join(dir, "environments", "staging.yaml")}:${stagingLine}: error: network.vpcCidr: 172.16.0.0/16 (the VPC block of staging) overlaps the VPC block of demo 172.16.0.0/16 (network.vpcCidr at ${join(dir, "environments", "demo.yaml")}:${demoLine}; shared by public-pods)`,
    );
    expect(text.stdout).toContain(
      "fix: give one of them a block of its own, e.g. 172.18.0.0/16, free in block lab (172.16.0.0/12)",
    );
  });

  it("a routed external network over a service range: exit 1, naming the network and the environment", () => {
    const networks = {
      ...NETWORKS,
      externalNetworks: [
        ...NETWORKS.externalNetworks,
        { name: "partner", kind: "peered-vpc", cidrs: ["172.20.0.0/20"], routed: true },
      ],
    };
    const { dir, text, report } = plan(FIXTURES, networks);
    expect(text.code).toBe(1);
    const [problem] = report.problems;
    expect(report.problems).toHaveLength(1);
    expect(problem.sites.map((s) => [s.file, s.field, s.cidr])).toEqual([
      [join(dir, "external.yaml"), "externalNetworks[1].cidrs[0]", "172.20.0.0/20"],
      [join(dir, "environments", "telco.yaml"), "cluster.serviceCidr", "172.20.0.0/16"],
    ]);
    expect(problem.message).toContain("external network partner, peered-vpc, routed");
    expect(problem.message).toContain("pods of telco cannot reach its addresses inside that service range");
    expect(problem.sites[1].line).toBe(lineOf(FIXTURES["telco.yaml"], "serviceCidr:"));
    expect(problem.fix).toContain("move the service range of telco off the network's range");
    expect(problem.fix).toContain("a service range is fixed at cluster creation: changing it replaces the cluster");
  });

  it("a routed external network over a VPC block, or over a pod-only 100.64.0.0/16 behind SNAT: exit 1 each", () => {
    const over = (cidr: string) =>
      plan(FIXTURES, {
        ...NETWORKS,
        externalNetworks: [{ name: "branch", kind: "vpn", cidrs: [cidr], routed: true }],
      });
    const vpc = over("10.30.8.0/22");
    expect(vpc.code).toBe(1);
    expect(vpc.report.problems).toHaveLength(1);
    expect(vpc.report.problems[0].sites.map((s) => [s.field, s.cidr])).toEqual([
      ["externalNetworks[0].cidrs[0]", "10.30.8.0/22"],
      ["network.vpcCidr", "10.30.0.0/16"],
    ]);
    expect(vpc.report.problems[0].message).toContain("external network branch");
    expect(vpc.report.problems[0].message).toContain("the VPC block of telco");
    expect(vpc.report.problems[0].message).toContain("traffic cannot tell apart its addresses and the VPC's");
    expect(vpc.report.problems[0].fix).toBe(
      "move the VPC block of telco off the network's range, e.g. 10.0.0.0/16, free in block cloud (10.0.0.0/9), or set routed: false if the network never reaches the environments",
    );

    // Reusable only while nothing routes it: a routed network there makes production's pod block ambiguous.
    const pods = over("100.64.32.0/20");
    expect(pods.code).toBe(1);
    expect(pods.report.problems.map((p) => p.sites.map((s) => [s.field, s.cidr]))).toEqual([
      [
        ["externalNetworks[0].cidrs[0]", "100.64.32.0/20"],
        ["network.secondaryCidrs[0]", "100.64.0.0/16"],
      ],
    ]);
    expect(pods.report.problems[0].message).toContain("overlaps the secondary VPC block of production 100.64.0.0/16");
    expect(pods.report.problems[0].fix).toContain("move the secondary VPC block of production off the network's range");
  });

  it("the same network unrouted is a warning: exit 0", () => {
    const networks = {
      ...NETWORKS,
      externalNetworks: [{ name: "lab-vpn", kind: "vpn", cidrs: ["172.20.0.0/20"], routed: false }],
    };
    const { report, code } = plan(FIXTURES, networks);
    expect(code).toBe(0);
    expect(report.problems.map((p) => [p.severity, p.id])).toEqual([["warning", "unrouted-external-overlap"]]);
  });

  it("two environments reusing 100.64.0.0/16 for pods behind SNAT pass; with externalSnat in one, they fail", () => {
    const second = (externalSnat: boolean) =>
      edited("production", (d) => {
        d.cluster.name = "prod-us";
        d.network.vpcCidr = "10.21.0.0/20";
        for (const [i, zone] of Object.values<any>(d.network.zones).entries()) {
          zone.node = `10.21.${2 * i}.0/23`;
          zone.public = ["10.21.6.0/25", "10.21.6.128/25", "10.21.7.128/25"][i];
          zone.controlPlane = `10.21.7.${16 * i}/28`;
        }
        d.cluster.serviceCidr = "10.101.0.0/16";
        d.cni.externalSnat = externalSnat;
      });
    const snat = plan({ ...FIXTURES, "production-us.yaml": second(false) });
    expect(snat.code).toBe(0);
    expect(snat.report.problems).toEqual([]);

    const external = second(true);
    const routed = plan({ ...FIXTURES, "production-us.yaml": external });
    expect(routed.code).toBe(1);
    expect(routed.report.problems).toHaveLength(1);
    const [problem] = routed.report.problems;
    expect(problem.sites.map((s) => [s.field, s.cidr])).toEqual([
      ["network.secondaryCidrs[0]", "100.64.0.0/16"],
      ["network.secondaryCidrs[0]", "100.64.0.0/16"],
    ]);
    expect(problem.message).toContain(
      `cni.externalSnat: true in production-us, ${join(routed.dir, "environments", "production-us.yaml")}:${lineOf(external, "externalSnat:")}`,
    );
    expect(problem.fix).toContain("e.g. 100.65.0.0/16, free in block pods (100.64.0.0/10)");
  });

  it("a service range over another environment's VPC block: its pods could not reach that VPC", () => {
    const { report, code } = plan({
      ...FIXTURES,
      "telco.yaml": edited("telco", (d) => (d.cluster.serviceCidr = "10.20.0.0/16")),
    });
    expect(code).toBe(1);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^10\.20\.0\.0\/16 \(the service range of telco\) overlaps the VPC block of production 10\.20\.0\.0\/20 .*pods of telco cannot reach those addresses/,
      ),
    ]);
    expect(report.problems[0].fix).toContain("changing it replaces the cluster");
  });

  it("two clusters may share one service range; a VPC block outside the organisation's plan is a warning", () => {
    const { report, code } = plan({
      ...FIXTURES,
      "telco.yaml": edited("telco", (d) => {
        d.cluster.serviceCidr = "172.17.0.0/24";
        d.network.vpcCidr = "10.130.0.0/16";
        for (const zone of Object.values<any>(d.network.zones))
          for (const key of Object.keys(zone))
            zone[key] = Array.isArray(zone[key])
              ? zone[key].map((c: string) => c.replace("10.30.", "10.130."))
              : zone[key].replace("10.30.", "10.130.");
        for (const network of d.multus.networks) {
          network.ranges = Object.fromEntries(
            Object.entries<string>(network.ranges).map(([az, c]) => [az, c.replace("10.30.", "10.130.")]),
          );
          network.routes = network.routes.map((c: string) => c.replace("10.30.", "10.130."));
        }
      }),
    });
    expect(code).toBe(0);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: "warning",
        id: "outside-address-plan",
        message: expect.stringContaining(
          "10.130.0.0/16 (the VPC block of telco) lies in none of the organisation's blocks",
        ),
        fix: expect.stringContaining("e.g. 10.0.0.0/16, free in block cloud (10.0.0.0/9)"),
      }),
    ]);
  });

  it("environments naming one existing VPC are one network, and must state its blocks alike", () => {
    const existing = environmentText("existing-vpc");
    const second = edited("existing-vpc", (d) => (d.cluster.name = "existing-2"));
    const same = plan({ "a.yaml": existing, "b.yaml": second }, { blocks: [], externalNetworks: [] });
    expect(same.code).toBe(0);
    expect(same.report.summary.networks).toBe(1);

    const other = edited("existing-vpc", (d) => {
      d.cluster.name = "existing-2";
      d.network.secondaryCidrs = [];
      for (const zone of Object.values<any>(d.network.zones)) delete zone.pod;
      for (const ids of Object.values<any>(d.network.subnetIds)) delete ids.pod;
      d.cni.customNetworking = false;
    });
    const differ = plan({ "a.yaml": existing, "b.yaml": other }, { blocks: [], externalNetworks: [] });
    expect(differ.code).toBe(1);
    expect(differ.report.problems[0].message).toMatch(
      /^b states the blocks of vpc-0a1b2c3d4e5f60718 as 10\.40\.0\.0\/16, a \(.*a\.yaml:\d+\) as 10\.40\.0\.0\/16, 100\.64\.0\.0\/16/,
    );
  });

  it("subnets several clusters fill together: a warning with each one's share", () => {
    const crowd = edited("public-pods", (d) => {
      d.network = { from: "./demo.yaml" };
      Object.assign(d.nodeGroups[0], { minSize: 6, desiredSize: 6, maxSize: 6 });
    });
    const another = edited("public-pods", (d) => {
      d.network = { from: "./demo.yaml" };
      d.cluster.name = "cluster-demo-3";
      Object.assign(d.nodeGroups[0], { minSize: 4, desiredSize: 4, maxSize: 4 });
    });
    const { report, code } = plan({ ...FIXTURES, "public-pods.yaml": crowd, "third.yaml": another });
    expect(code).toBe(0);
    expect(report.problems.map((p) => [p.id, p.sites[0].cidr])).toEqual([
      ["shared-subnet-addresses-short", "172.16.100.0/24"],
      ["shared-subnet-addresses-short", "172.16.101.0/24"],
    ]);
    // demo has no node group in its public subnets: its share is the NAT gateway (1) and the room its
    // load balancers keep (LOAD_BALANCER_ADDRESSES, 8); each cluster keeps its own load balancers' room.
    expect(report.problems[0].message).toMatch(
      /has 251 usable addresses, but the clusters in it need \d+ at maxSize together \(demo 9, public-pods \d+, third \d+\)/,
    );
  });
});

describe("ip-plan --all and a network from outside the folder", () => {
  it("loads the owner the file names, and counts its VPC once with its cluster", () => {
    const { dir, args } = folder({
      "second.yaml": edited("public-pods", (d) => (d.network = { from: "../owner/demo.yaml" })),
    });
    mkdirSync(join(dir, "owner"));
    writeFileSync(join(dir, "owner", "demo.yaml"), FIXTURES["demo.yaml"]);
    const report = JSON.parse(runInProcess(run, ...args, "--json").stdout) as AddressPlanReport;
    expect(report.result).toBe("ok");
    expect(report.environments.map((e) => e.name)).toEqual(["second"]);
    expect(report.summary.networks).toBe(1);
    expect(report.blocks.find((b) => b.name === "lab")!.ranges).toEqual([
      expect.objectContaining({ cidr: "172.16.0.0/16", what: "the VPC block of demo", note: "shared by second" }),
      expect.objectContaining({ cidr: "172.17.0.0/24", what: "the service range of demo" }),
      expect.objectContaining({ cidr: "172.17.0.0/24", what: "the service range of second" }),
    ]);
  });
});

describe("ip-plan --all and bad files", () => {
  it("reports an invalid environment, leaves it out, and still checks the others", () => {
    const broken = edited("demo", (d) => (d.network.zones["us-east-1a"].node = "172.16.1.5/24"));
    const { report, text } = plan({ ...FIXTURES, "broken.yaml": broken });
    expect(text.code).toBe(1);
    expect(report.summary).toMatchObject({ environments: 5, invalid: 1, networks: 3 });
    expect(report.environments.find((e) => e.name === "broken")).toMatchObject({ valid: false });
    expect(text.stdout).toMatch(
      /broken\.yaml:\d+: error: network\.zones\.us-east-1a\.node: 172\.16\.1\.5\/24 has host bits set/,
    );
  });

  it("reports the networks file's own problems with their lines", () => {
    const { report, code } = plan(FIXTURES, {
      blocks: [
        { name: "cloud", cidr: "10.0.0.0/9" },
        { name: "more", cidr: "10.64.0.0/10" },
      ],
      externalNetworks: [{ name: "dc", kind: "on-premises", cidrs: ["10.200.0.1/16"], routed: true, extra: 1 }],
    });
    expect(code).toBe(1);
    expect(report.networksFile.valid).toBe(false);
    expect(report.problems.map((p) => p.field)).toEqual(["externalNetworks[0].extra"]);
    const overlapping = plan(FIXTURES, {
      blocks: [
        { name: "cloud", cidr: "10.0.0.0/9" },
        { name: "more", cidr: "10.64.0.0/10" },
      ],
      externalNetworks: [{ name: "dc", kind: "on-premises", cidrs: ["10.200.0.1/16"], routed: true }],
    });
    expect(overlapping.report.problems.map((p) => `${p.field} ${p.line}`)).toEqual([
      "blocks[1].cidr 5",
      "externalNetworks[0].cidrs[0] 10",
    ]);
  });

  it("takes --dir and --networks only with --all, relative to where npm was started", () => {
    expect(runInProcess(run, "--dir", "environments")).toMatchObject({ code: 2 });
    const { dir } = folder(FIXTURES);
    const relative = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) =>
      run(argv, out, err, { INIT_CWD: dir });
    expect(runInProcess(relative, "--all", "--dir", "environments", "--networks", "external.yaml").code).toBe(0);
    expect(runInProcess(relative, "--all", "--dir", "nowhere")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`there is no folder ${join(dir, "nowhere")}`),
    });
  });
});

describe("the shipped environments and networks file", () => {
  it("are consistent with each other: ip-plan --all exits 0 with no problems", () => {
    const result = runInProcess(run, "--all", "--json");
    const report = JSON.parse(result.stdout) as AddressPlanReport;
    expect(result.code).toBe(0);
    expect(report.problems).toEqual([]);
    expect(report.environments.map((e) => e.name)).toEqual(expect.arrayContaining(["demo", "public-pods"]));
    expect(report.summary.networks).toBe(report.environments.length - 1); // public-pods shares demo's
  });

  it("name a sample on-premises range, routed", () => {
    const report = JSON.parse(runInProcess(run, "--all", "--json").stdout) as AddressPlanReport;
    expect(report.externalNetworks).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "on-premises", routed: true })]),
    );
    expect(readFileSync(join(__dirname, "..", "networks", "external.yaml"), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\/networks\.schema\.json/,
    );
  });
});
