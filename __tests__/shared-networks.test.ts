/**
 * Shared and existing networks, as the loader and the checks see them: `network.from` loads and
 * checks the other environment and takes its network; an existing VPC is stated with its ids and
 * CIDRs; every form's mistakes are reported with the field and the fix, and nothing is written.
 */
import { loadEnvironment } from "../modules/load/load";
import { formatPath } from "../modules/environment/problems";
import { edited, environmentText, load, loadFile, rejection, writeEnvironmentFile } from "./support/environments";
import { join, dirname } from "node:path";
import { writeFileSync } from "node:fs";
import { readRecordedState } from "../modules/verify/recorded-state";
import { verify } from "../modules/verify/verify";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { renderDiagram } from "../modules/report/diagram/network-diagram";
import { editedState, recorded } from "./support/recorded";

const demo = environmentText("demo");
/** A second cluster in demo's network (the fixture folder's demo.yaml). */
const consumer = (edit: (doc: any) => void = () => undefined) =>
  edited("public-pods", (d) => {
    d.network = { from: "./demo.yaml" };
    edit(d);
  });
type Rejected = { problems: Array<{ severity: string; path: ReadonlyArray<string | number>; fix: string }> };
const errorsOf = (e: Rejected) => e.problems.filter((p) => p.severity === "error").map((p) => formatPath(p.path));
/** The fixes of the errors at one field. */
const fixesAt = (e: Rejected, field: string) =>
  e.problems.filter((p) => p.severity === "error" && formatPath(p.path) === field).map((p) => p.fix);

describe("network.from: another environment's network", () => {
  it("public-pods runs in demo's VPC: demo's blocks and subnets, demo loaded and checked with it", () => {
    const pods = loadEnvironment({ EKS_ENV: "public-pods" });
    const owner = loadEnvironment({ EKS_ENV: "demo" });
    expect(pods.env.network.source).toEqual({
      kind: "shared",
      from: "./demo.yaml",
      owner: {
        name: "demo",
        file: "environments/demo.yaml",
        region: "us-east-1",
        clusterName: "cluster-demo",
        backend: owner.env.backend,
        // The owner's pod network mode: with subnet discovery its pod subnets carry kubernetes.io/role/cni.
        cni: owner.env.cni,
      },
    });
    expect(pods.env.network).toMatchObject({
      vpcCidr: owner.env.network.vpcCidr,
      zones: owner.env.network.zones,
      natGateways: "single",
    });
    expect(pods.networkOwner?.name).toBe("demo");
    // Nodes in demo's public subnets, and no complaint about demo's pod subnets it does not use.
    expect(pods.env.nodeGroups.map((g) => g.subnet)).toEqual(["public"]);
    expect(pods.warnings.filter((w) => w.path.includes("pod"))).toEqual([]);
  });

  it("takes the path relative to the file's folder", () => {
    const file = writeEnvironmentFile("second", consumer());
    writeFileSync(join(dirname(file), "demo.yaml"), demo);
    expect(loadFile(file).env.network.source).toMatchObject({ kind: "shared", owner: { name: "demo" } });
  });

  it("names a file that must exist", () => {
    const e = rejection(consumer((d) => (d.network.from = "./nope.yaml")));
    expect(errorsOf(e)).toEqual(["network.from"]);
    expect(e.report).toMatch(
      /network\.from: there is no file .*nope\.yaml \(the path is taken relative to this file's folder/,
    );
    expect(fixesAt(e, "network.from")).toEqual([
      "give the path of the environment file whose network to use, relative to this file, e.g. ./demo.yaml",
    ]);
  });

  it("takes nothing else of the network: each field set besides it is an error", () => {
    const e = rejection(
      consumer((d) => Object.assign(d.network, { vpcCidr: "172.16.0.0/16", natGateways: "perAz" })),
      "test",
      undefined,
      { "demo.yaml": demo },
    );
    expect(errorsOf(e)).toEqual(["network.vpcCidr", "network.natGateways"]);
    expect(e.report).toContain(
      "network.vpcCidr: comes with the network this environment shares (network.from: ./demo.yaml) and cannot be set here",
    );
    expect(fixesAt(e, "network.vpcCidr")).toEqual([
      "remove network.vpcCidr; ./demo.yaml plans the network, and this environment takes it as it is",
    ]);
  });

  it("reports the other environment's errors at network.from, with that file's lines", () => {
    const broken = edited("demo", (d) => (d.network.zones["us-east-1a"].node = "172.16.1.5/24"));
    const e = rejection(consumer(), "test", undefined, { "demo.yaml": broken });
    expect(errorsOf(e)).toEqual(["network.from"]);
    expect(e.report).toMatch(
      /network\.from: \.\/demo\.yaml is not a valid environment \(1 error\), so its network cannot be used:\n {4}.*demo\.yaml:\d+: error: network\.zones\.us-east-1a\.node: 172\.16\.1\.5\/24 has host bits set/,
    );
  });

  it("shares only a network its environment creates: a chain names the real owner", () => {
    const e = rejection(
      consumer((d) => (d.network.from = "./middle.yaml")),
      "test",
      undefined,
      {
        "demo.yaml": demo,
        "middle.yaml": consumer((d) => (d.cluster.name = "middle")),
      },
    );
    expect(e.report).toContain("./middle.yaml takes its network from ./demo.yaml itself");
    expect(e.report).toContain("fix: name that environment directly: network.from: ./demo.yaml");
  });

  it("keeps the region of the VPC and a cluster name of its own", () => {
    const e = rejection(
      consumer((d) => {
        d.region = "us-west-2";
        d.cluster.name = "cluster-demo";
      }),
      "test",
      undefined,
      { "demo.yaml": demo },
    );
    expect(errorsOf(e)).toEqual(expect.arrayContaining(["region", "cluster.name"]));
    expect(e.report).toContain(
      "us-west-2, but the network it shares (network.from: ./demo.yaml) is demo's in us-east-1",
    );
    expect(e.report).toContain("both would claim the subnet tag kubernetes.io/cluster/cluster-demo");
  });

  it("refuses Multus, whose subnets and reservations belong to the VPC's creator", () => {
    const e = rejection(
      consumer((d) => (d.nodeGroups[0].multusInterfaces = 1)),
      "test",
      undefined,
      { "demo.yaml": demo },
    );
    expect(e.report).toContain("ng-public asks for 1 Multus interfaces, but this environment runs in demo's network");
    expect(fixesAt(e, "nodeGroups[0].multusInterfaces")).toContain(
      "run Multus in an environment that creates its VPC, or remove it here",
    );
  });

  it("reports what its own plan does to the shared subnets at network.from, naming the subnet", () => {
    const file = writeEnvironmentFile(
      "crowded",
      consumer((d) => Object.assign(d.nodeGroups[0], { minSize: 10, desiredSize: 10, maxSize: 10 })),
    );
    writeFileSync(join(dirname(file), "demo.yaml"), demo);
    const problems = (() => {
      try {
        return loadFile(file).warnings;
      } catch (e) {
        return (e as { problems: Array<{ path: ReadonlyArray<string | number>; message: string }> }).problems;
      }
    })();
    const public1a = problems.find((p) => p.message.includes("network.zones.us-east-1a.public"));
    expect(public1a?.path).toEqual(["network", "from"]);
    expect(public1a?.message).toMatch(/^in demo's network \(.*demo\.yaml\), network\.zones\.us-east-1a\.public: /);
  });
});

describe("an existing VPC by id", () => {
  const existing = environmentText("existing-vpc");

  it("states its blocks and subnets with their ids, and has no NAT gateways of the plan's", () => {
    const { env } = load(existing);
    expect(env.network.source).toEqual({
      kind: "existing",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: {
        "eu-west-1a": {
          node: "subnet-0aa1aa1aa1aa1aa11",
          pod: "subnet-0aa2aa2aa2aa2aa22",
          public: "subnet-0aa3aa3aa3aa3aa33",
        },
        "eu-west-1b": { node: "subnet-0bb1bb1bb1bb1bb11", pod: "subnet-0bb2bb2bb2bb2bb22" },
      },
    });
    expect(env.network.natGateways).toBe("none");
    expect(env.network.zones["eu-west-1b"].public).toBeUndefined();
  });

  it("needs the id of every subnet it states, and the CIDR of every id", () => {
    const e = rejection(
      edited("existing-vpc", (d) => {
        delete d.network.subnetIds["eu-west-1a"].pod;
        d.network.subnetIds["eu-west-1b"].public = "subnet-0bb3bb3bb3bb3bb33";
      }),
    );
    expect(errorsOf(e)).toEqual(["network.subnetIds.eu-west-1a.pod", "network.subnetIds.eu-west-1b.public"]);
    expect(e.report).toContain(
      "network.zones.eu-west-1a.pod (100.64.0.0/18) has no subnet id; every subnet of an existing VPC is named by id",
    );
    expect(e.report).toContain("subnet-0bb3bb3bb3bb3bb33 has no CIDR in network.zones.eu-west-1b.public");
    expect(fixesAt(e, "network.subnetIds.eu-west-1a.pod")).toEqual([
      "add network.subnetIds.eu-west-1a.pod: subnet-... (the id of the subnet with 100.64.0.0/18 in vpc-0a1b2c3d4e5f60718)",
    ]);
    expect(fixesAt(e, "network.subnetIds.eu-west-1b.public")).toEqual([
      "add network.zones.eu-west-1b.public with the CIDR of subnet-0bb3bb3bb3bb3bb33, or remove the id",
    ]);
  });

  it("takes no NAT gateways, IPAM pool or Multus subnets, and no subnet twice", () => {
    const e = rejection(
      edited("existing-vpc", (d) => {
        d.network.natGateways = "perAz";
        d.network.ipamPoolId = "ipam-pool-0123456789abcdef0";
        d.network.zones["eu-west-1b"].multus = ["10.40.8.0/24"];
        d.network.subnetIds["eu-west-1b"].node = "subnet-0aa1aa1aa1aa1aa11";
      }),
    );
    expect(errorsOf(e).sort()).toEqual([
      "network.ipamPoolId",
      "network.natGateways",
      "network.subnetIds.eu-west-1b.node",
      "network.zones.eu-west-1b.multus",
    ]);
    expect(e.report).toContain("subnet-0aa1aa1aa1aa1aa11 is named twice (also as eu-west-1a.node)");
    expect(fixesAt(e, "network.subnetIds.eu-west-1b.node")).toEqual([
      "name each subnet once, under the role its addresses are planned for",
    ]);
    expect(fixesAt(e, "network.natGateways")).toEqual(["remove network.natGateways"]);
  });

  it("needs a public subnet in every AZ of a public node group", () => {
    const e = rejection(edited("existing-vpc", (d) => delete d.nodeGroups[1].zones));
    expect(errorsOf(e)).toEqual(["nodeGroups[1].subnet"]);
    expect(e.report).toContain(
      "edge runs in the public subnets, but the existing VPC vpc-0a1b2c3d4e5f60718 has no public subnet in eu-west-1b",
    );
    expect(fixesAt(e, "nodeGroups[1].subnet")).toEqual([
      "name the public subnet of eu-west-1b in network.zones and network.subnetIds, or set edge's zones to AZs that have one, or subnet: node",
    ]);
  });

  it("cannot be shared by network.from: the sharing environment names the VPC by id too", () => {
    const e = rejection(consumer(), "test", undefined, { "demo.yaml": existing });
    expect(e.report).toContain("./demo.yaml runs in the existing VPC vpc-0a1b2c3d4e5f60718, which it does not own");
    expect(fixesAt(e, "network.from")).toEqual([
      "name the existing VPC here too: network.vpcId: vpc-0a1b2c3d4e5f60718, with the CIDRs and ids of the subnets this cluster uses",
    ]);
  });
});

describe("the network's form", () => {
  it("an own VPC needs its block, zones, and a public subnet in every AZ", () => {
    const e = rejection(
      edited("demo", (d) => {
        delete d.network.vpcCidr;
        delete d.network.zones["us-east-1b"].public;
      }),
    );
    expect(errorsOf(e)).toEqual(["network.vpcCidr", "network.zones.us-east-1b"]);
    expect(e.report).toContain("or run in another environment's network with network.from: ./<its file>.yaml");
  });

  it("subnetIds without vpcId is an existing VPC's half", () => {
    const e = rejection(edited("demo", (d) => (d.network.subnetIds = {})));
    expect(e.report).toContain("network.subnetIds: names the subnets of an existing VPC, but network.vpcId is not set");
    expect(fixesAt(e, "network.subnetIds")).toEqual([
      "add network.vpcId to use an existing VPC, or remove network.subnetIds to create the VPC",
    ]);
  });
});

describe("verify in a shared network", () => {
  /** cluster-demo-2 in demo's network, verified against demo's recorded VPC. */
  function verifyTags(tagged: (subnet: { Tags: Array<{ Key: string; Value: string }> }) => boolean) {
    const file = writeEnvironmentFile("second", consumer());
    writeFileSync(join(dirname(file), "demo.yaml"), demo);
    const loaded = loadFile(file);
    const texts = editedState(recorded("demo"), "subnets.json", (doc) => {
      for (const subnet of doc.Subnets)
        if (tagged(subnet)) subnet.Tags.push({ Key: "kubernetes.io/cluster/cluster-demo-2", Value: "shared" });
    });
    const report = verify(
      { env: loaded.env, environmentName: loaded.name, file: loaded.file, state: readRecordedState(texts) },
      { kind: "recorded", directory: "test" },
    );
    return report.checks
      .find((c) => c.id === "subnets")!
      .rows.filter((r) => r.property === "AZ and tags")
      .map((r) => `${r.status} ${r.subject}`);
  }
  const role = (subnet: { Tags: Array<{ Key: string; Value: string }> }) =>
    subnet.Tags.find((t) => t.Key === "eks-custom-networking/role")?.Value;

  it("wants the cluster's tag on the node and public subnets it uses, not on demo's pod subnets", () => {
    const rows = verifyTags((s) => role(s) === "node" || role(s) === "public");
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.startsWith("ok "))).toBe(true);
  });

  it("finds a used subnet without the cluster's tag", () => {
    const rows = verifyTags((s) => role(s) === "public");
    expect(rows.filter((r) => r.startsWith("wrong "))).toEqual([
      "wrong subnet 172.16.1.0/24 (node subnet of us-east-1a)",
      "wrong subnet 172.16.2.0/24 (node subnet of us-east-1b)",
    ]);
  });
});

describe("the IP plan and the picture say whose network it is", () => {
  it("another environment's: its name, file and cluster, and whose demand the numbers count", () => {
    const report = ipPlanReport(loadEnvironment({ EKS_ENV: "public-pods" }));
    expect(report.network).toEqual({
      source: "shared",
      from: "./demo.yaml",
      owner: { name: "demo", file: "environments/demo.yaml", cluster: "cluster-demo" },
    });
    const phrase =
      "demo's (environments/demo.yaml), shared with its cluster cluster-demo; subnet numbers count cluster-demo-2's demand";
    expect(formatIpPlanReport(report)).toContain(`  network       ${phrase}`);
    expect(renderDiagram(report)).toContain(`>${phrase.replace(/'/g, "&apos;")}<`);
  });

  it("an existing VPC: its id, and no egress of the plan's", () => {
    const report = ipPlanReport(load(environmentText("existing-vpc")));
    expect(report.network).toEqual({ source: "existing", vpcId: "vpc-0a1b2c3d4e5f60718" });
    expect(report.nat).toEqual({ mode: "none", zones: [] });
    expect(formatIpPlanReport(report)).toContain(
      "NAT           none of the plan's: the existing VPC's egress is its owner's",
    );
    const svg = renderDiagram(report);
    expect(svg).toContain("existing VPC vpc-0a1b2c3d4e5f60718, created outside this project");
    expect(svg).not.toContain("0.0.0.0/0 →");
  });

  it("a VPC of its own from an IPAM pool", () => {
    expect(ipPlanReport(load(environmentText("ipam"))).network).toEqual({
      source: "own",
      ipamPoolId: "ipam-pool-0123456789abcdef0",
    });
  });
});
