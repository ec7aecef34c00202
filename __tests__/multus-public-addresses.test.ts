/**
 * Issue 15, fault 4 on public Multus networks: each node slot's pod holds an Elastic IP per public
 * network, and a slot that leaves the plan (a smaller node group, fewer multusInterfaces, a range or
 * node group removed or renamed) took its Elastic IPs' blocks with it, so Terraform released the
 * addresses partners allow-list, whatever their prevent_destroy said. The address lock beside the
 * environment now records them, a plan that loses one is refused, and only the network's
 * public.release lets one go.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import {
  addressLockFile,
  formatAddressLock,
  parseAddressLock,
  type LockedMultusAddress,
} from "../modules/environment/address-lock";
import { loadEnvironment, readAddressLock, recordAddressLock } from "../modules/load/load";
import { multusLockRecords, plannedMultusPublicIps } from "../modules/plan/multus-public-ips";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { edited, load, rejection, writeEnvironmentFile, type Editable } from "./support/environments";
import { resources, synthEnvironment } from "./support/synth";

const edge = (edit: (d: Editable) => void = () => undefined) => edited("telco-edge", edit);
const net = (d: Editable, name: string) => d.multus.networks.find((n: { name: string }) => n.name === name);
const edgeGroup = (d: Editable) => d.nodeGroups.find((g: { name: string }) => g.name === "edge");
const resize = (d: Editable, size: number) =>
  (edgeGroup(d).desiredSize = edgeGroup(d).minSize = edgeGroup(d).maxSize = size);
const release = (d: Editable, network: string, ...names: string[]) => (net(d, network).public.release = names);

/** A lock with these Multus lines ("<network> <slot> <namespace>/<name>[ released]"). */
const lockOf = (...lines: string[]) =>
  formatAddressLock(
    "test.yaml",
    new Map(),
    new Map(
      lines.map((line): [string, LockedMultusAddress] => {
        const [network, slot, key, state] = line.split(" ");
        return [key, { network, slot, state: state === "released" ? "released" : "kept" }];
      }),
    ),
  );
/** The lock a synth of the fixture as it is writes: its four Elastic IPs, two slots by two networks. */
const EDGE_LOCK = lockOf(
  "transit-a edge-0 edge/sbc-edge-0-0-transit-a",
  "transit-a edge-1 edge/sbc-edge-1-0-transit-a",
  "transit-b edge-0 edge/sbc-edge-0-0-transit-b",
  "transit-b edge-1 edge/sbc-edge-1-0-transit-b",
);

/** Loads an environment as the commands do, with this lock beside it; `then` sees the files before cleanup. */
function withLock<T>(text: string, lock: string | undefined, then: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "eks-multus-lock-"));
  try {
    const file = join(dir, "test.yaml");
    writeFileSync(file, text);
    if (lock !== undefined) writeFileSync(addressLockFile(file), lock);
    return then(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const lockLines = (file: string) =>
  readFileSync(addressLockFile(file), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));

type Eip = { tags: Record<string, string>; lifecycle?: Record<string, unknown> };
type Association = { allocation_id: string; lifecycle?: unknown };
const MULTUS_NETWORK_TAG = "eks-custom-networking/multus-network";

describe("a plan that loses a public Multus network's Elastic IP is refused, nothing written", () => {
  it("lowering the edge group's size: names the lock, the field, the names with their slot, and both fixes", () => {
    const e = rejection(
      edge((d) => resize(d, 1)),
      "test",
      EDGE_LOCK,
    );
    const lost = e.problems.filter((p) => p.message.includes("planned ("));
    expect(lost).toHaveLength(1);
    const [problem] = lost;
    expect(problem.severity).toBe("error");
    expect(problem.path).toEqual(["nodeGroups", 1, "desiredSize"]);
    expect(problem.message).toMatch(
      /^the Elastic IPs edge\/sbc-edge-1-0-transit-a \(transit-a, node slot edge-1\), edge\/sbc-edge-1-0-transit-b \(transit-b, node slot edge-1\) were planned \(\S*test\.addresses\.lock\) and are gone from the plan: node group edge runs 1 Multus node now \(desiredSize 1\), so its slots from edge-1 on are gone; Terraform would release them for good, whatever their prevent_destroy says$/,
    );
    expect(problem.fix).toBe(
      "set desiredSize (and minSize, maxSize) of edge back to 2, or release them on purpose: add sbc-edge-1-0-transit-a to multus.networks[0].public.release, and sbc-edge-1-0-transit-b to multus.networks[1].public.release (the next npm run deploy -- workloads releases them)",
    );
    expect(e.report).toMatch(/test\.yaml:\d+: error: nodeGroups\[1\]\.desiredSize: the Elastic IPs edge\/sbc-edge-1-0/);
  });

  it("fewer multusInterfaces: the field is the group's multusInterfaces, the fix its former value", () => {
    const e = rejection(
      edge((d) => (edgeGroup(d).multusInterfaces = 1)),
      "test",
      EDGE_LOCK,
    );
    const problem = e.problems.find((p) => p.path.join(".") === "nodeGroups.1.multusInterfaces")!;
    expect(problem.message).toContain(
      "the Elastic IPs edge/sbc-edge-0-0-transit-b (transit-b, node slot edge-0), edge/sbc-edge-1-0-transit-b (transit-b, node slot edge-1) were planned",
    );
    expect(problem.message).toContain("node group edge has multusInterfaces 1 now, and transit-b rides on interface 2");
    expect(problem.fix).toMatch(/^set multusInterfaces of edge back to 2, or release them on purpose/);
  });

  it("a range removed: the range is named for its network, and the pod's other network through the workload", () => {
    const e = rejection(
      edge((d) => delete net(d, "transit-a").ranges["eu-west-1b"]),
      "test",
      EDGE_LOCK,
    );
    const lost = e.problems.filter((p) => p.message.includes("planned ("));
    expect(lost.map((p) => [p.path.join("."), p.message.slice(0, p.message.indexOf(" was planned"))])).toEqual([
      ["multus.networks.0.ranges", "the Elastic IP edge/sbc-edge-1-0-transit-a (transit-a, node slot edge-1)"],
      ["workloads.multusPods.0.networks", "the Elastic IP edge/sbc-edge-1-0-transit-b (transit-b, node slot edge-1)"],
    ]);
    expect(lost[0].message).toContain("transit-a has no range in eu-west-1b now, where node slot edge-1 is");
    expect(lost[1].message).toContain("sbc runs no pod on node slot edge-1 now");
  });

  it("a node group renamed, a workload renamed, a network removed or made private", () => {
    const renamedGroup = rejection(
      edge((d) => (edgeGroup(d).name = "edges")),
      "test",
      EDGE_LOCK,
    );
    expect(renamedGroup.problems.find((p) => p.path.join(".") === "nodeGroups")!.message).toContain(
      "node group edge is gone (renamed or removed?)",
    );

    const renamedWorkload = rejection(
      edge((d) => (d.workloads.multusPods[0].name = "sbc2")),
      "test",
      EDGE_LOCK,
    );
    const workload = renamedWorkload.problems.find((p) => p.path.join(".") === "workloads.multusPods.0")!;
    expect(workload.message).toContain("the Elastic IPs edge/sbc-edge-0-0-transit-a (transit-a, node slot edge-0),");
    expect(workload.message).toContain("sbc2 (namespace edge) names its Elastic IPs otherwise now");

    const removedNetwork = rejection(
      edge((d) => {
        d.multus.networks = d.multus.networks.filter((n: { name: string }) => n.name !== "transit-b");
        d.workloads.multusPods[0].networks = ["transit-a"];
      }),
      "test",
      EDGE_LOCK,
    );
    const removed = removedNetwork.problems.find((p) => p.path.join(".") === "multus.networks")!;
    expect(removed.message).toContain("network transit-b is gone from multus.networks (renamed or removed?)");
    expect(removed.fix).toMatch(
      /^put transit-b back as it was, or, to release them on purpose, keep the network public and add sbc-edge-0-0-transit-b, sbc-edge-1-0-transit-b to the public\.release of transit-b until/,
    );

    const privateNetwork = rejection(
      edge((d) => {
        delete net(d, "transit-b").public;
        d.workloads.multusPods[0].networks = ["transit-a"];
      }),
      "test",
      EDGE_LOCK,
    );
    const gone = privateNetwork.problems.find((p) => p.path.join(".") === "multus.networks.1")!;
    expect(gone.message).toContain("transit-b is no longer public");
    expect(gone.fix).toMatch(
      /^make transit-b public again, or, to release them on purpose, keep the network public and add sbc-edge-0-0-transit-b, sbc-edge-1-0-transit-b to multus\.networks\[1\]\.public\.release until a synth has recorded the release in \S*test\.addresses\.lock, then remove it$/,
    );
  });

  it("refuses a release entry that names no Elastic IP of the network, or one listed twice", () => {
    const e = rejection(
      edge((d) =>
        release(d, "transit-b", "sbc-edge-1-0-transit-a", "sbc-edge-1-0-transit-b", "sbc-edge-1-0-transit-b"),
      ),
      "test",
      EDGE_LOCK,
    );
    expect(e.report).toContain(
      "multus.networks[1].public.release[0]: transit-b: sbc-edge-1-0-transit-a names no Elastic IP of transit-b: none is planned under that name or recorded in",
    );
    expect(e.report).toContain("fix: did you mean sbc-edge-1-0-transit-b?");
    expect(e.report).toContain(
      "multus.networks[1].public.release[2]: transit-b: sbc-edge-1-0-transit-b is listed twice (also at release[1])",
    );
  });

  it("refuses keepAddresses: false, which release replaces, and warns that true has no effect", () => {
    const e = rejection(edge((d) => (net(d, "transit-a").public.keepAddresses = false)));
    expect(e.report).toContain(
      "multus.networks[0].public.keepAddresses: transit-a: keepAddresses: false no longer releases addresses",
    );
    expect(e.report).toContain(
      "fix: remove keepAddresses, and list the Elastic IPs to let go in multus.networks[0].public.release (then deploy): sbc-edge-0-0-transit-a, sbc-edge-1-0-transit-a",
    );
    const kept = load(edge((d) => (net(d, "transit-a").public.keepAddresses = true)));
    expect(kept.warnings.map((w) => w.id)).toEqual(["keep-addresses-obsolete"]);
  });
});

describe("releasing on purpose", () => {
  const scaledDown = (d: Editable) => {
    resize(d, 1);
    release(d, "transit-a", "sbc-edge-1-0-transit-a");
    release(d, "transit-b", "edge/sbc-edge-1-0-transit-b"); // namespace/name works too
  };

  it("accepts the smaller group with its lost names released; the synth marks them released in the lock, never drops a line", () =>
    withLock(edge(scaledDown), EDGE_LOCK, (file) => {
      const loaded = loadEnvironment({ EKS_ENV_FILE: file });
      expect(loaded.warnings).toEqual([]);
      expect(recordAddressLock(loaded)).toBe(true);
      expect(lockLines(file)).toEqual([
        "multus transit-a edge-0 edge/sbc-edge-0-0-transit-a",
        "multus transit-a edge-1 edge/sbc-edge-1-0-transit-a released",
        "multus transit-b edge-0 edge/sbc-edge-0-0-transit-b",
        "multus transit-b edge-1 edge/sbc-edge-1-0-transit-b released",
      ]);
      // Once recorded, the entries may leave release: the lock keeps the lines, and the plan is accepted.
      writeFileSync(
        file,
        edge((d) => resize(d, 1)),
      );
      const later = loadEnvironment({ EKS_ENV_FILE: file });
      expect(recordAddressLock(later)).toBe(false);
      expect(lockLines(file)).toHaveLength(4);
    }));

  it("a released name whose pod still runs: no Elastic IP for it in the configuration, and a warning that says so", () =>
    withLock(
      edge((d) => release(d, "transit-a", "sbc-edge-0-0-transit-a")),
      EDGE_LOCK,
      (file) => {
        const loaded = loadEnvironment({ EKS_ENV_FILE: file });
        const warning = loaded.warnings.find((w) => w.id === "multus-public-address-released")!;
        expect(warning.path).toEqual(["multus", "networks", 0, "public", "release"]);
        expect(warning.message).toBe(
          "transit-a: sbc-edge-0-0-transit-a (pod edge/sbc-edge-0-0 on node slot edge-0) is released while the pod still runs: the next npm run deploy -- workloads releases the Elastic IP, and the pod's interface on transit-a keeps its fixed address without a public one",
        );
        const synth = synthEnvironment({ EKS_ENV_FILE: file });
        try {
          const workloads = synth.stack("workloads");
          const eips = Object.values(resources<Eip>(workloads, "aws_eip"));
          expect(eips.map((e) => e.tags.Name).sort()).toEqual([
            "sbc-edge-0-0-transit-b",
            "sbc-edge-1-0-transit-a",
            "sbc-edge-1-0-transit-b",
          ]);
          expect(Object.keys(resources(workloads, "aws_eip_association"))).toHaveLength(3);
          const output = workloads.output!.pod_public_ips.value as Record<string, Record<string, string>>;
          expect(Object.keys(output["edge/sbc-edge-0-0"])).toEqual(["transit-b"]);
          // The pod keeps its interface and fixed address on transit-a: the network's attachment is still there.
          expect(JSON.stringify(workloads)).toContain("transit-a-edge-0");
        } finally {
          synth.cleanup();
        }
        expect(formatIpPlanReport(ipPlanReport(loaded))).toContain(
          "10.40.8.16 fixed on edge-0 for edge/sbc-edge-0-0, Elastic IP released",
        );
        expect(recordAddressLock(loaded)).toBe(true);
        expect(lockLines(file)).toContain("multus transit-a edge-0 edge/sbc-edge-0-0-transit-a released");
      },
    ));

  it("warns when a released name is planned again: a new Elastic IP, another public address", () => {
    const released = lockOf(
      "transit-a edge-0 edge/sbc-edge-0-0-transit-a",
      "transit-a edge-1 edge/sbc-edge-1-0-transit-a released",
      "transit-b edge-0 edge/sbc-edge-0-0-transit-b",
      "transit-b edge-1 edge/sbc-edge-1-0-transit-b",
    );
    withLock(edge(), released, (file) => {
      const reused = loadEnvironment({ EKS_ENV_FILE: file }).warnings.filter((w) => w.id === "released-address-reused");
      expect(reused.map((w) => w.message)).toEqual([
        expect.stringMatching(
          /^transit-a: edge\/sbc-edge-1-0-transit-a was released \(\S*test\.addresses\.lock\); planning it again for pod edge\/sbc-edge-1-0 allocates a new Elastic IP/,
        ),
      ]);
    });
  });
});

describe("the lock's Multus lines", () => {
  it("a fresh environment: synth writes the lock with every Elastic IP it plans, by network, slot and name", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-multus-lock-synth-"));
    const file = join(dir, "edge.yaml");
    try {
      writeFileSync(file, edge());
      const run = spawnSync(process.execPath, ["-r", "./scripts/typescript-loader.js", "main.ts"], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, EKS_ENV_FILE: file, CDKTF_OUTDIR: join(dir, "out") },
        encoding: "utf8",
      });
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`${addressLockFile(file)}: recorded the planned Elastic IPs`);
      expect(lockLines(file)).toEqual(EDGE_LOCK.split("\n").filter((l) => l && !l.startsWith("#")));
      expect(readFileSync(addressLockFile(file), "utf8")).toMatch(/^# Every Elastic IP edge\.yaml has planned/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads back what it writes, sorted, each kind apart, and reports a line of neither form", () => {
    const text = formatAddressLock(
      "x.yaml",
      new Map([["shop/shop-egress-0", "kept"]]),
      new Map<string, LockedMultusAddress>([
        ["edge/sbc-edge-1-0-transit-b", { network: "transit-b", slot: "edge-1", state: "released" }],
        ["edge/sbc-edge-0-0-transit-a", { network: "transit-a", slot: "edge-0", state: "kept" }],
      ]),
    );
    expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      "shop/shop-egress-0",
      "multus transit-a edge-0 edge/sbc-edge-0-0-transit-a",
      "multus transit-b edge-1 edge/sbc-edge-1-0-transit-b released",
    ]);
    const parsed = parseAddressLock(text, "x");
    expect([...parsed.addresses]).toEqual([["shop/shop-egress-0", "kept"]]);
    expect([...parsed.multus.keys()]).toEqual(["edge/sbc-edge-0-0-transit-a", "edge/sbc-edge-1-0-transit-b"]);
    expect(parsed.unreadable).toEqual([]);

    const e = rejection(edge(), "test", `${EDGE_LOCK}multus transit-a edge/sbc-edge-0-0-transit-a\n`);
    expect(e.report).toMatch(
      /test\.addresses\.lock:\d+: "multus transit-a edge\/sbc-edge-0-0-transit-a" is not an address line \(namespace\/pod, or multus <network> <node slot> namespace\/name/,
    );
    // Reported at the field whose addresses it would be: the Multus networks (telco-edge has no public-IP pods).
    expect(e.problems.map((p) => p.path.join("."))).toContain("multus.networks");
  });

  it("the shipped telco-edge's lock records every Elastic IP it plans, kept", () => {
    const loaded = loadEnvironment({ EKS_ENV: "telco-edge" });
    const lock = readAddressLock(join(PROJECT_ROOT, "environments", "telco-edge.yaml"))!;
    const planned = plannedMultusPublicIps(loaded.env);
    expect(planned).toHaveLength(4);
    expect(multusLockRecords(loaded.env, lock.multus).map((r) => [r.key, lock.multus.get(r.key)])).toEqual(
      planned.map((a) => [a.key, { network: a.network, slot: a.slot, state: "kept" }]),
    );
  });
});

describe("prevent_destroy on every public Multus Elastic IP in the synthesized JSON", () => {
  it("each aws_eip of a pod on a public network has it; the associations keep no lifecycle, as before", () => {
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("telco-edge", edge()) });
    try {
      const workloads = synth.stack("workloads");
      const eips = Object.values(resources<Eip>(workloads, "aws_eip")).filter((e) => MULTUS_NETWORK_TAG in e.tags);
      expect(eips.map((e) => [e.tags.Name, e.lifecycle]).sort()).toEqual([
        ["sbc-edge-0-0-transit-a", { prevent_destroy: true }],
        ["sbc-edge-0-0-transit-b", { prevent_destroy: true }],
        ["sbc-edge-1-0-transit-a", { prevent_destroy: true }],
        ["sbc-edge-1-0-transit-b", { prevent_destroy: true }],
      ]);
      const associations = Object.values(resources<Association>(workloads, "aws_eip_association"));
      expect(associations).toHaveLength(4);
      for (const a of associations) expect(a.lifecycle).toBeUndefined();
      // The slots' public ENIs: their one address is Terraform's (not ignored), nothing else changed.
      const enis = Object.values(
        resources<{ private_ips?: string[]; lifecycle?: { ignore_changes?: string[] } }>(
          synth.stack("nodes"),
          "aws_network_interface",
        ),
      ).filter((n) => n.private_ips !== undefined);
      expect(enis).toHaveLength(4);
      for (const eni of enis) expect(eni.lifecycle?.ignore_changes ?? []).not.toContain("private_ips");
    } finally {
      synth.cleanup();
    }
  });
});
