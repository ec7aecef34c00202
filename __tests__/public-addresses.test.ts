/**
 * The Elastic IPs of public-IP pods in the environment: the address list, independent of replicas,
 * and the address lock beside the environment file that keeps an address from being dropped by
 * mistake (fault 4 of issue 15: lowering replicas released addresses for good).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import { addressLockFile, formatAddressLock, parseAddressLock } from "../modules/environment/address-lock";
import {
  ENVIRONMENTS_DIR,
  environmentNames,
  loadEnvironment,
  readAddressLock,
  recordAddressLock,
} from "../modules/load/load";
import { publicAddresses } from "../modules/plan/public-addresses";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { formatIpPlanReport } from "../modules/report/ip-plan-text";
import { edited, load, rejection, type Editable } from "./support/environments";

const publicPods = (edit: (d: Editable) => void) => edited("public-pods", edit);
const withAddresses = (addresses: unknown[], replicas = 2, edit: (d: Editable) => void = () => undefined) =>
  publicPods((d) => {
    d.workloads.publicIpPods[0].addresses = addresses;
    d.workloads.publicIpPods[0].replicas = replicas;
    edit(d);
  });
const lockOf = (...lines: string[]) => formatAddressLock("test.yaml", new Map(lines.map(lockLine)));
const lockLine = (line: string): [string, "kept" | "released"] => {
  const [key, state] = line.split(" ");
  return [key, state === "released" ? "released" : "kept"];
};
/** Loads an environment as the commands do, with this lock beside it. */
function loadWithLock(text: string, lock: string) {
  const dir = mkdtempSync(join(tmpdir(), "eks-lock-"));
  try {
    const file = join(dir, "test.yaml");
    writeFileSync(file, text);
    writeFileSync(addressLockFile(file), lock);
    return loadEnvironment({ EKS_ENV_FILE: file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the address list", () => {
  it("defaults to one address per replica, named after the StatefulSet's pods", () => {
    const { env } = load(publicPods((d) => (d.workloads.publicIpPods[0].replicas = 3)));
    expect(publicAddresses(env).map((a) => [a.key, a.use])).toEqual([
      ["shop/shop-egress-0", "pod"],
      ["shop/shop-egress-1", "pod"],
      ["shop/shop-egress-2", "pod"],
    ]);
  });

  it("keeps addresses beyond replicas as spares, and gives up only those with release: true", () => {
    const { env } = load(
      withAddresses(["shop-egress-0", "shop-egress-1", { name: "shop-egress-2", release: true }, "shop-egress-3"], 1),
    );
    expect(publicAddresses(env).map((a) => [a.name, a.use])).toEqual([
      ["shop-egress-0", "pod"],
      ["shop-egress-1", "spare"],
      ["shop-egress-2", "release"],
      ["shop-egress-3", "spare"],
    ]);
  });

  it("rejects a pod without an address, naming it and the fix", () => {
    const e = rejection(withAddresses(["shop-egress-0", { name: "shop-egress-1", release: true }], 3));
    const problem = e.problems.find((p) => p.message.includes("no Elastic IP"))!;
    expect(problem.path).toEqual(["workloads", "publicIpPods", 0, "addresses"]);
    expect(problem.message).toBe(
      "shop-egress: replicas is 3, but shop-egress-1, shop-egress-2 have no Elastic IP (shop-egress-1 released); such a pod would wait for its address and never start",
    );
    expect(problem.fix).toBe(
      "add shop-egress-1 without release: true, shop-egress-2 to addresses, or lower replicas to 1",
    );
  });

  it("rejects a name that is no pod of the StatefulSet (a pod finds its address by its own name)", () => {
    const e = rejection(withAddresses(["shop-egress-0", "shop-egress-1", "shop-egress-01", "egress-2"]));
    expect(e.report).toContain(
      "workloads.publicIpPods[0].addresses[2]: shop-egress: the address shop-egress-01 is named after no pod of StatefulSet shop-egress",
    );
    expect(e.report).toContain("workloads.publicIpPods[0].addresses[3]: shop-egress: the address egress-2 is named");
  });

  it("rejects an address listed twice", () => {
    const e = rejection(withAddresses(["shop-egress-0", "shop-egress-1", { name: "shop-egress-1" }]));
    expect(e.report).toContain(
      "workloads.publicIpPods[0].addresses[2]: shop-egress: the address shop/shop-egress-1 is listed twice (also at workloads.publicIpPods[0].addresses[1])",
    );
  });

  it("refuses keepAddresses: false, which release: true replaces, and warns that true has no effect", () => {
    const e = rejection(publicPods((d) => (d.workloads.publicIpPods[0].keepAddresses = false)));
    expect(e.report).toContain(
      "workloads.publicIpPods[0].keepAddresses: shop-egress: keepAddresses: false no longer releases",
    );
    const loaded = load(publicPods((d) => (d.workloads.publicIpPods[0].keepAddresses = true)));
    expect(loaded.warnings.map((w) => w.id)).toContain("keep-addresses-obsolete");
  });

  it("rejects a workload named like the pods' sidecar container", () => {
    const e = rejection(publicPods((d) => (d.workloads.publicIpPods[0].name = "eip-associator")));
    expect(e.report).toContain("eip-associator is the name of the pods' sidecar");
  });

  it("counts allocated addresses, spares included and released ones not, against the Elastic IP quota", () => {
    const loaded = load(
      withAddresses(["shop-egress-0", "shop-egress-1", "shop-egress-2", "shop-egress-3", "shop-egress-4"], 1),
    );
    expect(loaded.report).toContain(
      "this environment needs 6 Elastic IPs in us-east-1 (5 for pods, 1 for NAT), above the default quota of 5",
    );
    const released = load(
      withAddresses(
        ["shop-egress-0", "shop-egress-1", "shop-egress-2", "shop-egress-3", { name: "shop-egress-4", release: true }],
        1,
      ),
    );
    expect(released.report).not.toContain("Elastic IPs in us-east-1");
  });
});

describe("the address lock", () => {
  const LOCK = lockOf("shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2");

  it("fault 4: refuses lowering replicas when the list is the default, naming the address, the lock and both fixes; writes nothing", () => {
    const e = rejection(
      publicPods((d) => (d.workloads.publicIpPods[0].replicas = 2)),
      "test",
      lockOf("shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2"),
    );
    const problem = e.problems.find((p) => p.message.includes("shop/shop-egress-2"))!;
    expect(problem.severity).toBe("error");
    expect(problem.path).toEqual(["workloads", "publicIpPods", 0, "addresses"]);
    expect(problem.message).toMatch(
      /^the Elastic IP shop\/shop-egress-2 was planned \(.*test\.addresses\.lock\) and is gone from the addresses of shop-egress; Terraform would release it for good, whatever its prevent_destroy says$/,
    );
    expect(problem.fix).toBe(
      "add shop-egress-2 back to addresses (a spare address stays allocated), or { name: shop-egress-2, release: true } to release it",
    );
  });

  it("accepts fewer replicas with every locked address still listed (spares)", () => {
    const loaded = loadWithLock(withAddresses(["shop-egress-0", "shop-egress-1", "shop-egress-2"], 1), LOCK);
    expect(publicAddresses(loaded.env).map((a) => a.use)).toEqual(["pod", "spare", "spare"]);
  });

  it("accepts a release, and dropping the entry once the lock records it as released", () => {
    expect(() =>
      loadWithLock(withAddresses(["shop-egress-0", "shop-egress-1", { name: "shop-egress-2", release: true }]), LOCK),
    ).not.toThrow();
    const released = lockOf("shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2 released");
    expect(() => loadWithLock(withAddresses(["shop-egress-0", "shop-egress-1"]), released)).not.toThrow();
  });

  it("warns when a released address is listed again: a new Elastic IP, another public address", () => {
    const released = lockOf("shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2 released");
    const loaded = loadWithLock(withAddresses(["shop-egress-0", "shop-egress-1", "shop-egress-2"]), released);
    expect(loaded.warnings.find((w) => w.id === "released-address-reused")!.message).toContain(
      "shop-egress: shop/shop-egress-2 was released",
    );
  });

  it("refuses moving the workload to another namespace, which would re-key every address", () => {
    const e = rejection(
      publicPods((d) => (d.workloads.publicIpPods[0].namespace = "store")),
      "test",
      lockOf("shop/shop-egress-0", "shop/shop-egress-1"),
    );
    const problem = e.problems.find((p) => p.message.includes("shop/shop-egress-0"))!;
    expect(problem.path).toEqual(["workloads", "publicIpPods"]);
    expect(problem.message).toContain(
      "is gone from every publicIpPods entry (a workload renamed, moved to another namespace or removed?)",
    );
  });

  it("refuses a line that is not an address, naming the file and line", () => {
    const e = rejection(
      publicPods(() => undefined),
      "test",
      "# header\nshop/shop-egress-0\nshop egress 1\n",
    );
    expect(e.report).toMatch(/test\.addresses\.lock:3: "shop egress 1" is not an address line/);
  });

  it("reads back what it writes, sorted", () => {
    const text = lockOf("shop/shop-egress-1", "shop/shop-egress-0 released");
    expect(text.split("\n").filter((l) => !l.startsWith("#"))).toEqual([
      "shop/shop-egress-0 released",
      "shop/shop-egress-1",
      "",
    ]);
    expect([...parseAddressLock(text, "x").addresses]).toEqual([
      ["shop/shop-egress-0", "released"],
      ["shop/shop-egress-1", "kept"],
    ]);
  });

  it("is written beside each shipped environment with public-IP pods, and lists every address it plans", () => {
    for (const name of environmentNames()) {
      const file = join(ENVIRONMENTS_DIR, `${name}.yaml`);
      const planned = publicAddresses(loadEnvironment({ EKS_ENV: name }).env);
      const lock = readAddressLock(file);
      if (planned.length === 0) continue;
      expect([
        name,
        lock && planned.filter((a) => lock.addresses.get(a.key) !== (a.release ? "released" : "kept")),
      ]).toEqual([name, []]);
    }
  });
});

describe("synth records the lock", () => {
  const synth = (file: string, outdir: string) =>
    spawnSync(process.execPath, ["-r", "./scripts/typescript-loader.js", "main.ts"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, EKS_ENV_FILE: file, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });

  it("adds the planned names, marks released ones, never drops a line, and writes nothing for an invalid environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-lock-synth-"));
    const file = join(dir, "shop.yaml");
    const lock = addressLockFile(file);
    const lines = () =>
      readFileSync(lock, "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
    try {
      writeFileSync(file, withAddresses(["shop-egress-0", "shop-egress-1", "shop-egress-2"]));
      const first = synth(file, join(dir, "out"));
      expect(first.status).toBe(0);
      expect(first.stderr).toContain(`${lock}: recorded the planned Elastic IPs; commit it with the environment`);
      expect(lines()).toEqual(["shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2"]);

      // The same recording, in process (what main.ts calls after synthesizing).
      writeFileSync(file, withAddresses(["shop-egress-0", "shop-egress-1", { name: "shop-egress-2", release: true }]));
      expect(recordAddressLock(loadEnvironment({ EKS_ENV_FILE: file }))).toBe(true);
      expect(lines()).toEqual(["shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2 released"]);

      writeFileSync(file, withAddresses(["shop-egress-0", "shop-egress-1"]));
      expect(recordAddressLock(loadEnvironment({ EKS_ENV_FILE: file }))).toBe(false);
      expect(lines()).toEqual(["shop/shop-egress-0", "shop/shop-egress-1", "shop/shop-egress-2 released"]);

      const before = readFileSync(lock, "utf8");
      writeFileSync(file, withAddresses(["shop-egress-0"], 1));
      const refused = synth(file, join(dir, "refused"));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain("the Elastic IP shop/shop-egress-1 was planned");
      expect(readFileSync(lock, "utf8")).toBe(before);
      expect(existsSync(join(dir, "refused"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the IP plan report and the diagram show the addresses", () => {
  const loaded = load(
    withAddresses(["shop-egress-0", "shop-egress-1", { name: "shop-egress-2", release: true }, "shop-egress-3"], 2),
  );

  it("reports them per workload, by name, with what each is for (ip-plan --json)", () => {
    expect(ipPlanReport(loaded).publicAddresses).toEqual([
      {
        workload: "shop/shop-egress",
        replicas: 2,
        addresses: [
          { name: "shop-egress-0", use: "pod" },
          { name: "shop-egress-1", use: "pod" },
          { name: "shop-egress-2", use: "release" },
          { name: "shop-egress-3", use: "spare" },
        ],
      },
    ]);
    expect(ipPlanReport(load(edited("demo", () => undefined))).publicAddresses).toEqual([]);
  });

  it("prints them as a table after the zones, counting the allocated ones", () => {
    const text = formatIpPlanReport(ipPlanReport(loaded));
    const section = text.slice(text.indexOf("Elastic IPs of public-IP pods"), text.indexOf("Warnings"));
    expect(section.trimEnd().split("\n")).toEqual([
      "Elastic IPs of public-IP pods: 3 addresses allocated, each named after the pod that holds it",
      "  WORKLOAD          ELASTIC IP     HELD BY",
      "  shop/shop-egress  shop-egress-0  pod 0 of 2",
      "                    shop-egress-1  pod 1 of 2",
      "                    shop-egress-2  released on the next deploy",
      "                    shop-egress-3  spare, kept allocated",
    ]);
    expect(formatIpPlanReport(ipPlanReport(load(edited("demo", () => undefined))))).not.toContain("Elastic IPs of");
  });

  it("draws them in a box of their own outside the VPC, named in the legend", () => {
    const svg = networkDiagramSvg(loaded);
    for (const line of [
      "ELASTIC IPS OF PODS · PUBLIC",
      "3 Elastic IPs",
      "shop/shop-egress (replicas 2)",
      "shop-egress-0: pod 0 of 2",
      "shop-egress-3: spare, kept allocated",
      "Elastic IPs of pods",
    ])
      expect(svg).toContain(`>${line}</text>`);
    expect(networkDiagramSvg(load(edited("demo", () => undefined)))).not.toContain("ELASTIC IPS OF PODS");
  });
});
