import { readFileSync } from "node:fs";
import type { Environment } from "../modules/environment/schema";
import { capacityPlan } from "../modules/plan/capacity";
import { instanceTypeInfo } from "../modules/plan/instance-types";
import { nodePoolCount, nodePoolInstanceTypes, nodePoolMaxPods, reservedEnis } from "../modules/plan/node-pools";
import { loadEnvironment } from "../modules/load/load";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import { readRecordedState } from "../modules/verify/recorded-state";
import { verify } from "../modules/verify/verify";
import { run as maxPodsCommand } from "../scripts/max-pods";
import { edited, environmentText, load, rejection, writeEnvironmentFile, type Editable } from "./support/environments";
import { referenceFile } from "./support/reference";

/** AWS's published tables, read here only, to check the plan against figures it did not compute. */
function tsv(name: string): Map<string, Record<string, string>> {
  const [header, ...lines] = readFileSync(referenceFile(name), "utf8").trim().split("\n");
  const columns = header.split("\t");
  return new Map(
    lines.map((line) => {
      const cells = line.split("\t");
      return [cells[0], Object.fromEntries(columns.map((c, i) => [c, cells[i]]))];
    }),
  );
}
const ENI_LIMITS = tsv("eni-limits.tsv");
const KARPENTER_TYPES = tsv("instance-vcpu-karpenter.tsv");

/** max-pods-calculator.sh with custom networking and prefix delegation, from AWS's figures. */
function calculatorCustomNetworkingPd(type: string): number {
  const enis = Number(ENI_LIMITS.get(type)!.enis_on_default_card);
  const ips = Number(ENI_LIMITS.get(type)!.ipv4_per_eni);
  // A few types Karpenter's table lacks: their vCPUs as the project's table has them (from the size name).
  const vcpus = Number(KARPENTER_TYPES.get(type)?.vcpu ?? instanceTypeInfo(type)!.vcpus);
  return Math.min((enis - 1) * ((ips - 1) * 16) + 2, vcpus > 30 ? 250 : 110);
}

/** The max-pods command, in process. */
function maxPodsCli(...args: string[]): string {
  const out: string[] = [];
  const code = maxPodsCommand(
    args,
    { write: (t: string) => out.push(t) } as unknown as NodeJS.WritableStream,
    {
      write: () => true,
    } as unknown as NodeJS.WritableStream,
  );
  expect(code).toBe(0);
  return out.join("");
}

const karpenterEnv = (edit: (doc: Editable) => void = () => {}): Environment => load(edited("karpenter", edit)).env;
const poolOf = (env: Environment) => env.karpenter!.nodePools[0];

describe("node pools: instance types and max pods", () => {
  it("a pool allows the table's types of its families and sizes, smallest first", () => {
    const env = karpenterEnv();
    expect(nodePoolInstanceTypes(poolOf(env), env)).toEqual([
      "c6a.xlarge",
      "c6i.xlarge",
      "c7i.xlarge",
      "c6a.2xlarge",
      "c6i.2xlarge",
      "c7i.2xlarge",
      "c6a.4xlarge",
      "c6i.4xlarge",
      "c7i.4xlarge",
    ]);
  });

  it("categories: every Nitro, non-accelerated, amd64 type of them but metal; xen types are left out under prefix delegation", () => {
    const env = karpenterEnv((doc) => {
      delete doc.karpenter.nodePools[0].families;
      delete doc.karpenter.nodePools[0].sizes;
      doc.karpenter.nodePools[0].categories = ["c", "m"];
    });
    const types = nodePoolInstanceTypes(poolOf(env), env);
    expect(types.length).toBeGreaterThan(100);
    expect(types.filter((t) => /^(c4|m4|c3|m3)\./.test(t) || t.includes("metal") || /^[cm]\d+g/.test(t))).toEqual([]);
    expect(types.every((t) => ENI_LIMITS.get(t)!.hypervisor === "nitro")).toBe(true);
  });

  it("with custom networking and prefix delegation, kubelet maxPods is the smallest recommended value: what AWS's calculator gives every type, or less", () => {
    for (const categories of [["c"], ["m", "r"], ["t"]]) {
      const env = karpenterEnv((doc) => {
        delete doc.karpenter.nodePools[0].families;
        delete doc.karpenter.nodePools[0].sizes;
        doc.karpenter.nodePools[0].categories = categories;
      });
      const { kubeletMaxPods, types } = nodePoolMaxPods(poolOf(env), env);
      const calculator = types.map((t) => calculatorCustomNetworkingPd(t.instanceType));
      expect(kubeletMaxPods).toBe(Math.min(...calculator));
      expect(types.every((t) => t.maxPods === kubeletMaxPods)).toBe(true);
    }
    // t3.nano, the smallest t type: 2 ENIs of 2 addresses = (2 - 1) x (1 x 16) + 2 = 18, for every type of the pool.
    const t = karpenterEnv((doc) => {
      delete doc.karpenter.nodePools[0].families;
      delete doc.karpenter.nodePools[0].sizes;
      doc.karpenter.nodePools[0].categories = ["t"];
    });
    expect(nodePoolMaxPods(poolOf(t), t).kubeletMaxPods).toBe(18);
  });

  it("agrees with npm run max-pods for every instance type the production pool allows", () => {
    const env = karpenterEnv();
    const { kubeletMaxPods, types } = nodePoolMaxPods(poolOf(env), env);
    for (const { instanceType } of types) {
      const printed = Number(
        maxPodsCli(
          "--instance-type",
          instanceType,
          "--cni-custom-networking-enabled",
          "--cni-prefix-delegation-enabled",
        ),
      );
      expect([instanceType, kubeletMaxPods! <= printed]).toEqual([instanceType, true]);
      expect(printed).toBe(calculatorCustomNetworkingPd(instanceType));
    }
    expect(kubeletMaxPods).toBe(110);
  });

  it("without prefix delegation, each type gets Karpenter's own count with RESERVED_ENIS=1: the calculator's uncapped custom-networking value", () => {
    const env = karpenterEnv((doc) => {
      doc.cni.prefixDelegation = false;
      delete doc.cni.warmPrefixTarget;
    });
    expect(reservedEnis(env)).toBe(1);
    const { kubeletMaxPods, types } = nodePoolMaxPods(poolOf(env), env);
    expect(kubeletMaxPods).toBeUndefined();
    for (const t of types) {
      const ips = Number(ENI_LIMITS.get(t.instanceType)!.ipv4_per_eni);
      // Karpenter's published pods (RESERVED_ENIS=0) less the primary ENI's addresses.
      expect([t.instanceType, t.maxPods]).toEqual([
        t.instanceType,
        Number(KARPENTER_TYPES.get(t.instanceType)!.karpenter_pods) - (ips - 1),
      ]);
      expect(t.maxPods).toBe(
        Number(maxPodsCli("--instance-type", t.instanceType, "--cni-custom-networking-enabled", "--show-max-allowed")),
      );
    }
  });

  it("RESERVED_ENIS is 0 wherever the primary ENI serves pods or prefix delegation sets maxPods", () => {
    expect(reservedEnis(karpenterEnv())).toBe(0);
    const env = karpenterEnv();
    expect(reservedEnis({ cni: { ...env.cni, customNetworking: false, prefixDelegation: false } })).toBe(0);
    expect(
      reservedEnis({ cni: { ...env.cni, customNetworking: false, subnetDiscovery: true, prefixDelegation: false } }),
    ).toBe(0);
  });
});

describe("node pools in the IP plan", () => {
  it("counts the nodes limits.cpu allows with the smallest type, one batch over, in every AZ of the pool, and its disruption budget as surge", () => {
    const env = karpenterEnv();
    expect(nodePoolCount(poolOf(env), env)).toMatchObject({
      instanceType: "c6a.xlarge",
      atLimit: 24, // 96 vCPUs / 4
      overrun: 24,
      nodes: 48,
      surge: 5, // 10% of 48, rounded up
      maxPods: 110,
    });
    const pools = capacityPlan(env).placements.filter((p) => p.capacity.kind === "nodePool");
    expect(pools.map((p) => [p.az, p.nodes, p.nodeSubnet.role, p.podSubnets.map((s) => s.role)])).toEqual([
      ["eu-west-1a", 48, "node", ["pod"]],
      ["eu-west-1b", 48, "node", ["pod"]],
      ["eu-west-1c", 48, "node", ["pod"]],
    ]);
  });

  it("does not rely on limits.nodes, and follows budgetNodes and zones", () => {
    const env = karpenterEnv((doc) => {
      doc.karpenter.nodePools[0].limits.nodes = 2;
      doc.karpenter.nodePools[0].disruption.budgetNodes = "3";
      doc.karpenter.nodePools[0].zones = ["eu-west-1b"];
    });
    expect(nodePoolCount(poolOf(env), env)).toMatchObject({ nodes: 48, surge: 3 });
    expect(
      capacityPlan(env)
        .placements.filter((p) => p.capacity.kind === "nodePool")
        .map((p) => p.az),
    ).toEqual(["eu-west-1b"]);
  });
});

describe("node pool checks", () => {
  const pool = (doc: Editable) => doc.karpenter.nodePools[0];

  it("refuses an unknown instance family, naming close ones", () => {
    const e = rejection(edited("karpenter", (doc) => (pool(doc).families = ["c6i", "c7x"])));
    expect(e.message).toMatch(
      /karpenter\.nodePools\[0\]\.families\[1\]: batch: unknown instance family "c7x"; did you mean .*c7i/,
    );
  });

  it("refuses an unknown category and a size none of the families has", () => {
    const e = rejection(
      edited("karpenter", (doc) => {
        delete pool(doc).families;
        pool(doc).categories = ["c", "qq"];
        pool(doc).sizes = ["xlarge", "huge"];
      }),
    );
    expect(e.message).toContain('karpenter.nodePools[0].categories[1]: batch: unknown instance category "qq"');
    expect(e.message).toContain(
      'karpenter.nodePools[0].sizes[1]: batch: no instance type of the pool\'s families or categories has size "huge"',
    );
  });

  it("refuses a family no type of which can join (Xen under prefix delegation, accelerated)", () => {
    const e = rejection(edited("karpenter", (doc) => (pool(doc).families = ["c6i", "c4", "g5"])));
    expect(e.message).toContain("karpenter.nodePools[0].families[1]: batch: no c4 type can join the pool: not Nitro");
    expect(e.message).toContain("karpenter.nodePools[0].families[2]: batch: no g5 type can join the pool: accelerated");
  });

  it("refuses a pool naming neither families nor categories", () => {
    const e = rejection(edited("karpenter", (doc) => delete pool(doc).families));
    expect(e.message).toContain("karpenter.nodePools[0].families: batch names neither families nor categories");
  });

  it("refuses AZs outside the plan", () => {
    const e = rejection(edited("karpenter", (doc) => (pool(doc).zones = ["eu-west-1a", "eu-west-1d"])));
    expect(e.message).toContain(
      "karpenter.nodePools[0].zones[1]: batch names AZ eu-west-1d, which network.zones does not plan",
    );
  });

  it("refuses a pool without limits, or without cpu or memory in them", () => {
    expect(rejection(edited("karpenter", (doc) => delete pool(doc).limits)).message).toMatch(
      /karpenter\.nodePools\[0\]\.limits: .*(required|expected object)/i,
    );
    expect(rejection(edited("karpenter", (doc) => delete pool(doc).limits.cpu)).message).toMatch(
      /karpenter\.nodePools\[0\]\.limits\.cpu: .*(required|expected number)/i,
    );
    expect(rejection(edited("karpenter", (doc) => (pool(doc).limits.memory = "lots"))).message).toContain(
      'karpenter.nodePools[0].limits.memory: string "lots" must be a memory quantity such as 512Gi',
    );
  });

  it("refuses a cpu limit below the smallest type, duplicate pool names and Karpenter's own label domains", () => {
    const e = rejection(
      edited("karpenter", (doc) => {
        pool(doc).limits.cpu = 2;
        pool(doc).labels = { "karpenter.sh/capacity-type": "spot" };
        doc.karpenter.nodePools.push({ ...pool(doc), limits: { cpu: 16, memory: "32Gi" }, labels: {} });
      }),
    );
    expect(e.message).toContain(
      "karpenter.nodePools[0].limits.cpu: batch: limits.cpu 2 is below the 4 vCPUs of its smallest instance type (c6a.xlarge)",
    );
    expect(e.message).toContain(
      "karpenter.nodePools[1].name: node pool name batch is also used by karpenter.nodePools[0]",
    );
    expect(e.message).toContain("karpenter.nodePools[0].labels.karpenter.sh/capacity-type");
  });

  it("refuses a Karpenter release older than the cluster's Kubernetes needs", () => {
    const e = rejection(edited("karpenter", (doc) => (doc.karpenter.version = "1.8.0")));
    expect(e.message).toContain(
      "karpenter.version: Karpenter 1.8.0 does not support Kubernetes 1.35 (it needs 1.9.0 or later)",
    );
  });

  it("refuses a pool whose limits would need more /28 blocks than its pod subnets hold, with both numbers", () => {
    // A /22 pod subnet has 62 free /28 blocks (AWS's reserved addresses take the first and last); the
    // pool's 48 nodes and general's 4 hold 8 prefixes each: 416.
    const e = rejection(
      edited("karpenter", (doc) => {
        doc.network.secondaryCidrs = ["100.64.0.0/16"];
        doc.network.zones["eu-west-1a"].pod = "100.64.0.0/22";
      }),
    );
    expect(e.message).toMatch(
      /network\.zones\.eu-west-1a\.pod: 100\.64\.0\.0\/22 \(pod, eu-west-1a\) cannot reserve the \/28 blocks its pods need at maxSize: general: 4 nodes x 110 pods, batch: 48 nodes x 110 pods hold 416 prefixes \(52 of them warm\), .* at most \d+ of its 62 free blocks can be reserved/,
    );
  });

  it("accepts the pool in the production fixture, with no warning", () => {
    const loaded = load(environmentText("karpenter"));
    expect(loaded.warnings.filter((w) => w.path[0] === "karpenter" || String(w.path).includes("pod"))).toEqual([]);
  });
});

describe("npm run max-pods -- --node-pool", () => {
  const command = (vars: NodeJS.ProcessEnv, ...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (to: string[]) => ({ write: (t: string) => to.push(t) }) as unknown as NodeJS.WritableStream;
    const code = maxPodsCommand(args, sink(out), sink(err), vars);
    return { code, stdout: out.join(""), stderr: err.join("") };
  };

  it("lists every instance type the pool allows with its max pods under the environment's CNI settings", () => {
    const file = writeEnvironmentFile("karpenter", environmentText("karpenter"));
    const { code, stdout } = command({ EKS_ENV_FILE: file }, "--node-pool", "batch");
    expect(code).toBe(0);
    const env = karpenterEnv();
    const rows = stdout
      .trim()
      .split("\n")
      .slice(2)
      .map((line) => line.trim().split(/\s+/));
    expect(rows).toEqual(
      nodePoolMaxPods(poolOf(env), env).types.map((t) => [
        t.instanceType,
        "110",
        String(calculatorCustomNetworkingPd(t.instanceType)),
      ]),
    );
    expect(stdout).toMatch(/^# karpenter: node pool batch, max pods from the EC2NodeClass's kubelet maxPods 110/);
  });

  it("says which pools there are when the name is wrong, and takes no other flag", () => {
    const file = writeEnvironmentFile("karpenter", environmentText("karpenter"));
    const wrong = command({ EKS_ENV_FILE: file }, "--node-pool", "btach");
    expect([wrong.code, wrong.stderr.split("\n")[0]]).toEqual([
      2,
      "max-pods: karpenter has no node pool btach; its pools are batch",
    ]);
    const mixed = command({ EKS_ENV_FILE: file }, "--node-pool", "batch", "--cni-prefix-delegation-enabled");
    expect(mixed.code).toBe(2);
    expect(command({ EKS_ENV: "demo" }, "--node-pool", "batch").stderr).toContain("demo has no karpenter node pools");
  });
});

describe("verify: Karpenter's nodes against their pool", () => {
  const node = (name: string, type: string, az: string, address: string, pods: string) => ({
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "karpenter.sh/nodepool": "batch",
        "node.kubernetes.io/instance-type": type,
        "topology.kubernetes.io/zone": az,
      },
    },
    spec: { providerID: `aws:///${az}/i-0123456789abcdef0` },
    status: { addresses: [{ type: "InternalIP", address }], allocatable: { pods } },
  });
  const report = (...nodes: object[]) => {
    const loaded = load(environmentText("karpenter"), "environments/karpenter.yaml");
    return verify(
      {
        env: loaded.env,
        environmentName: loaded.name,
        file: loaded.file,
        state: readRecordedState({ "nodes.json": JSON.stringify({ apiVersion: "v1", kind: "List", items: nodes }) }),
      },
      { kind: "recorded", directory: "test" },
    );
  };
  const rowsOf = (r: ReturnType<typeof report>) => r.checks.find((c) => c.id === "nodes")!.rows;

  it("a pool's node of a planned type, in its AZ's node subnet, with the EC2NodeClass's max pods, is ok", () => {
    const rows = rowsOf(report(node("ip-10-20-0-57", "c6i.2xlarge", "eu-west-1a", "10.20.0.57", "110")));
    expect(rows.slice(0, 4).map((r) => [r.property, r.status, r.found])).toEqual([
      ["instance type", "ok", "c6i.2xlarge"],
      ["zone label topology.kubernetes.io/zone", "ok", "eu-west-1a"],
      ["primary address (InternalIP)", "ok", "10.20.0.57"],
      ["allocatable pods", "ok", "110"],
    ]);
    // The pool's node is not counted against any node group.
    expect(rows.find((r) => r.subject === "node group general")).toMatchObject({ found: "0" });
  });

  it("finds a type the plan did not count, a node in a pod subnet and Karpenter's own max pods", () => {
    const rows = rowsOf(report(node("ip-100-64-0-9", "m5.large", "eu-west-1a", "100.64.0.9", "29")));
    expect(rows.filter((r) => r.status === "wrong").map((r) => r.property)).toEqual(
      expect.arrayContaining(["instance type", "primary address (InternalIP)", "allocatable pods"]),
    );
    const pods = rows.find((r) => r.property === "allocatable pods")!;
    expect(pods.expected).toBe("the max pods of one of batch's types");
  });
});

describe("node pool warnings", () => {
  it("warns when the smallest type holds every node's maxPods at half or less of what the largest run", () => {
    // Production's pool: xlarge to 4xlarge, all at 110 (30 vCPUs or fewer): no warning.
    expect(load(environmentText("karpenter")).warnings.filter((p) => p.id === "node-pool-max-pods-floor")).toEqual([]);
    // m6i.large is capped at 110, m6i.8xlarge (32 vCPUs) at 250: its nodes would run 110.
    const wide = load(
      edited("karpenter", (doc) => {
        doc.karpenter.nodePools[0].families = ["m6i"];
        doc.karpenter.nodePools[0].sizes = ["large", "8xlarge"];
      }),
    );
    expect(wide.warnings.filter((p) => p.id === "node-pool-max-pods-floor").map((p) => p.message)).toEqual([
      "batch: every node gets kubelet maxPods 110, set by its smallest type m6i.large, while its largest types could run 250",
    ]);
    const small = load(
      edited("karpenter", (doc) => {
        doc.karpenter.nodePools[0].families = ["t3", "m6i"];
        doc.karpenter.nodePools[0].sizes = ["nano", "8xlarge"];
        doc.karpenter.nodePools[0].limits.cpu = 64;
      }),
    );
    const [floor] = small.warnings.filter((p) => p.id === "node-pool-max-pods-floor");
    expect(floor.message).toBe(
      "batch: every node gets kubelet maxPods 18, set by its smallest type t3.nano, while its largest types could run 250",
    );
    expect(floor.path).toEqual(["karpenter", "nodePools", 0, "sizes"]);
  });
});

describe("the diagram shows the pools next to the node groups", () => {
  it("production: the batch pool's card in each node subnet and its pods' card in each pod subnet", () => {
    const svg = networkDiagramSvg(loadEnvironment({ EKS_ENV: "production" }));
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(text.filter((t) => t === "batch (Karpenter)")).toHaveLength(3);
    expect(text.filter((t) => t === "pods of batch (Karpenter)")).toHaveLength(3);
    expect(text).toContain("9 types, limits 96 vCPUs, 192Gi");
    expect(text.filter((t) => t === "general")).toHaveLength(3);
  });
});

describe("Karpenter's controller needs managed nodes", () => {
  it("refuses managed node groups that may shrink below the controller's two replicas, or that all taint it away", () => {
    const few = rejection(edited("karpenter", (doc) => (doc.nodeGroups[0].minSize = 1)));
    expect(few.message).toContain(
      "karpenter: Karpenter's controller runs 2 replicas, each on its own node of the managed node groups, but general may shrink to 1 node (minSize)",
    );
    const tainted = rejection(
      edited(
        "karpenter",
        (doc) => (doc.nodeGroups[0].taints = [{ key: "dedicated", value: "x", effect: "NO_SCHEDULE" }]),
      ),
    );
    expect(tainted.message).toContain("this environment has none it can run on");
  });
});
