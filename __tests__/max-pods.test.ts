import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  closeMatches,
  instanceTypeDataSources,
  instanceTypeInfo,
  isNitro,
  knownInstanceTypes,
} from "../modules/plan/instance-types";
import {
  UnknownInstanceTypeError,
  cniSupportsPrefixDelegation,
  maxPodsFor,
  podSubnetAddresses,
  prefixesNeeded,
} from "../modules/plan/max-pods";
import { REFERENCE_DIR } from "./support/reference";
import {
  FIELDS,
  INSTANCE_TYPES_JSON,
  archFromFamily,
  buildInstanceTypesJson,
  familyOf,
  vcpusFromSizeName,
} from "../scripts/refresh-instance-types";

const REFERENCE = REFERENCE_DIR;
const DEFAULTS = { customNetworking: false, prefixDelegation: false };

function tsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(join(REFERENCE, file), "utf8").trim().split("\n");
  const columns = header.split("\t");
  return rows.map((row) => Object.fromEntries(row.split("\t").map((cell, i) => [columns[i], cell])));
}

/** AWS's published uncapped default-mode figures: "type maxPods" lines after the comment header. */
const awsMaxPods = readFileSync(join(REFERENCE, "eni-max-pods.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => line.trim().split(/\s+/))
  .map(([type, pods]) => ({ type, pods: Number(pods) }));

describe("agreement with AWS-published data", () => {
  it("gives AWS's eni-max-pods.txt figure for every instance type listed there", () => {
    expect(awsMaxPods.length).toBeGreaterThan(1000);
    const mismatches = awsMaxPods
      .map(({ type, pods }) => ({ type, expected: pods, got: maxPodsFor(type, DEFAULTS).uncapped }))
      .filter(({ expected, got }) => expected !== got);
    expect(mismatches).toEqual([]);
  });

  it("knows exactly the instance types of the VPC CNI limits table", () => {
    expect(knownInstanceTypes().sort()).toEqual(
      tsv("eni-limits.tsv")
        .map((row) => row.instance_type)
        .sort(),
    );
  });

  it("ships the JSON that the refresh script builds from the reference data today", () => {
    expect(readFileSync(INSTANCE_TYPES_JSON, "utf8")).toBe(buildInstanceTypesJson(REFERENCE));
  });

  it("carries each eni-limits.tsv row's figures", () => {
    for (const row of tsv("eni-limits.tsv")) {
      const info = instanceTypeInfo(row.instance_type);
      expect({
        type: row.instance_type,
        enis: info?.enis,
        ipv4PerEni: info?.ipv4PerEni,
        hypervisor: info?.hypervisor,
        bareMetal: info?.bareMetal,
        networkCards: info?.networkCards,
      }).toEqual({
        type: row.instance_type,
        enis: Number(row.enis_on_default_card),
        ipv4PerEni: Number(row.ipv4_per_eni),
        hypervisor: row.hypervisor,
        bareMetal: row.is_bare_metal === "true",
        networkCards: Number(row.network_cards),
      });
    }
  });

  it("carries each eni-trunking.tsv row's trunk support and branch ENIs (security groups for pods)", () => {
    const rows = tsv("eni-trunking.tsv");
    expect(rows.length).toBeGreaterThan(1000);
    for (const row of rows) {
      const info = instanceTypeInfo(row.instance_type);
      if (!info) continue; // a type the VPC CNI's limits table lacks (i3.metal) is not in the product's table
      expect([row.instance_type, info.trunking, info.branchInterfaces]).toEqual([
        row.instance_type,
        row.is_trunking_compatible === "true",
        Number(row.branch_interfaces),
      ]);
    }
    // AWS's figures, as the EKS user guide's table of supported instance types lists them.
    expect(instanceTypeInfo("m5.large")).toMatchObject({ trunking: true, branchInterfaces: 9 });
    expect(instanceTypeInfo("c5.4xlarge")).toMatchObject({ trunking: true, branchInterfaces: 54 });
    expect(instanceTypeInfo("t3.large")).toMatchObject({ trunking: false, branchInterfaces: 0 });
    expect(instanceTypeInfo("m4.large")).toMatchObject({ trunking: false, branchInterfaces: 0 });
  });

  it("marks types the trunking table does not list as unknown, not as unsupported", () => {
    const listed = new Set(tsv("eni-trunking.tsv").map((row) => row.instance_type));
    const unlisted = knownInstanceTypes().filter((type) => !listed.has(type));
    expect(unlisted.length).toBeGreaterThan(0);
    for (const type of unlisted)
      expect([type, instanceTypeInfo(type)?.trunking, instanceTypeInfo(type)?.branchInterfaces]).toEqual([
        type,
        null,
        null,
      ]);
  });

  it("refuses to build the table when the two tables disagree on an interface's addresses", () => {
    const dir = mkdtempSync(join(tmpdir(), "max-pods-reference-"));
    try {
      for (const file of ["README.md", "eni-limits.tsv", "instance-vcpu-karpenter.tsv"])
        copyFileSync(join(REFERENCE, file), join(dir, file));
      const trunking = readFileSync(join(REFERENCE, "eni-trunking.tsv"), "utf8").replace(
        /^m5\.large\ttrue\t9\t3\t10\t/m,
        "m5.large\ttrue\t9\t3\t12\t",
      );
      writeFileSync(join(dir, "eni-trunking.tsv"), trunking);
      expect(() => buildInstanceTypesJson(dir)).toThrow(
        "m5.large: eni-trunking.tsv has 12 IPv4 addresses per interface, eni-limits.tsv 10; refresh both tables",
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("uses the published vCPU count wherever there is one", () => {
    const published = tsv("instance-vcpu-karpenter.tsv");
    for (const row of published) {
      const info = instanceTypeInfo(row.instance_type);
      if (info)
        expect([row.instance_type, info.vcpus, info.vcpusFromSizeName]).toEqual([
          row.instance_type,
          Number(row.vcpu),
          false,
        ]);
    }
  });

  it("uses the published architecture, and the family-name rule agrees with every published one", () => {
    for (const row of tsv("instance-vcpu-karpenter.tsv")) {
      const info = instanceTypeInfo(row.instance_type);
      if (info) expect([row.instance_type, info.arch]).toEqual([row.instance_type, row.arch]);
      expect([row.instance_type, archFromFamily(row.instance_type)]).toEqual([row.instance_type, row.arch]);
    }
    expect(instanceTypeInfo("m6g.large")?.arch).toBe("arm64");
    expect(instanceTypeInfo("m5.xlarge")?.arch).toBe("amd64");
    expect(instanceTypeInfo("mac1.metal")?.arch).toBeNull();
  });

  it("names its sources and their upstream origins as the reference README does", () => {
    const readme = readFileSync(join(REFERENCE, "README.md"), "utf8");
    const sources = instanceTypeDataSources();
    expect(Object.keys(sources).sort()).toEqual(["eni-limits.tsv", "eni-trunking.tsv", "instance-vcpu-karpenter.tsv"]);
    expect(sources["eni-limits.tsv"]).toContain("aws/amazon-vpc-cni-k8s");
    expect(sources["eni-trunking.tsv"]).toContain("aws/amazon-vpc-resource-controller-k8s");
    for (const [file, origin] of Object.entries(sources)) {
      const row = readme.split("\n").find((line) => line.startsWith(`| ${file} |`));
      expect(row?.replace(/`/g, "")).toContain(origin);
    }
  });
});

describe("vCPU gaps", () => {
  const published = tsv("instance-vcpu-karpenter.tsv").map((row) => ({
    type: row.instance_type,
    vcpus: Number(row.vcpu),
    derived: vcpusFromSizeName(row.instance_type),
  }));

  it("size names decide the 30-vCPU cap as published counts do for nearly every published type", () => {
    const comparable = published.filter(({ derived }) => derived !== null);
    const agreeing = comparable.filter(({ vcpus, derived }) => vcpus > 30 === (derived as number) > 30);
    expect(comparable.length).toBeGreaterThan(1000);
    expect(agreeing.length / comparable.length).toBeGreaterThan(0.995);
  });

  it("infers vCPUs from the size name only in families whose published sizes all follow the rule", () => {
    const inferred = knownInstanceTypes().filter((type) => instanceTypeInfo(type)?.vcpusFromSizeName);
    expect(inferred.length).toBeGreaterThan(0);
    for (const type of inferred) {
      const siblings = published.filter((p) => familyOf(p.type) === familyOf(type) && p.derived !== null);
      expect(siblings.filter((p) => p.derived !== p.vcpus)).toEqual([]);
      expect(instanceTypeInfo(type)?.vcpus).toBe(vcpusFromSizeName(type));
    }
  });

  it("refuses the size rule in a family it does not fit (hpc7a, SMT off) but uses it in one it fits", () => {
    const dir = mkdtempSync(join(tmpdir(), "max-pods-reference-"));
    try {
      for (const file of ["README.md", "eni-limits.tsv", "eni-trunking.tsv"])
        copyFileSync(join(REFERENCE, file), join(dir, file));
      const withoutTwo = readFileSync(join(REFERENCE, "instance-vcpu-karpenter.tsv"), "utf8")
        .split("\n")
        .filter((line) => !/^(hpc7a\.96xlarge|m5\.2xlarge)\t/.test(line))
        .join("\n");
      writeFileSync(join(dir, "instance-vcpu-karpenter.tsv"), withoutTwo);
      const types = JSON.parse(buildInstanceTypesJson(dir)).types as Record<string, unknown[]>;
      const vcpus = (type: string) => types[type][FIELDS.indexOf("vcpus")];
      expect(published.find((p) => p.type === "hpc7a.96xlarge")).toMatchObject({ vcpus: 192, derived: 384 });
      expect(vcpus("hpc7a.96xlarge")).toBeNull();
      expect(vcpus("m5.2xlarge")).toBe(8);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("leaves only types without a size-implied count (bare metal) without vCPUs", () => {
    const unknown = knownInstanceTypes().filter((type) => instanceTypeInfo(type)?.vcpus === null);
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.filter((type) => !type.includes(".metal"))).toEqual([]);
  });

  it("uses the smaller cap, and says so, when the vCPU count is unknown", () => {
    const type = knownInstanceTypes().find(
      (t) => instanceTypeInfo(t)?.vcpus === null && maxPodsFor(t, DEFAULTS).uncapped > 110,
    );
    expect(type).toBeDefined();
    const result = maxPodsFor(type as string, DEFAULTS);
    expect(result).toMatchObject({ vcpus: null, cap: 110, recommended: 110 });
    expect(result.notes.join()).toMatch(/vCPU/);
  });

  it("says when the vCPU count was inferred from the size name", () => {
    // p3.8xlarge has no published count in the reference vCPU table; 8xlarge means 32 vCPUs.
    const result = maxPodsFor("p3.8xlarge", DEFAULTS);
    expect(result).toMatchObject({ vcpus: 32, cap: 250 });
    expect(result.notes.join()).toMatch(/size name/);
  });
});

describe("maxPodsFor: documented examples", () => {
  it("m5.large: 29 default, 20 with custom networking, 110 with prefix delegation", () => {
    expect(maxPodsFor("m5.large", DEFAULTS).recommended).toBe(29);
    expect(maxPodsFor("m5.large", { ...DEFAULTS, customNetworking: true }).recommended).toBe(20);
    expect(maxPodsFor("m5.large", { ...DEFAULTS, prefixDelegation: true }).recommended).toBe(110);
  });

  it("m5.xlarge: 58 default, 44 with custom networking, 110 with prefix delegation", () => {
    expect(maxPodsFor("m5.xlarge", DEFAULTS).recommended).toBe(58);
    expect(maxPodsFor("m5.xlarge", { ...DEFAULTS, customNetworking: true }).recommended).toBe(44);
    const pd = maxPodsFor("m5.xlarge", { ...DEFAULTS, prefixDelegation: true });
    expect(pd).toMatchObject({ prefixDelegation: true, cap: 110, recommended: 110 });
    expect(pd.uncapped).toBe(4 * (14 * 16) + 2); // 4 ENIs, 15 addresses each, /28 per secondary slot
  });

  it("m5.8xlarge: 234 uncapped by default, 250 recommended with prefix delegation", () => {
    expect(maxPodsFor("m5.8xlarge", DEFAULTS)).toMatchObject({ uncapped: 234, recommended: 234, cap: 250 });
    expect(maxPodsFor("m5.8xlarge", { ...DEFAULTS, prefixDelegation: true }).recommended).toBe(250);
  });

  it.each(["m4.xlarge", "t2.medium"])("%s (Xen): prefix delegation falls back to secondary IPs and says so", (type) => {
    const asked = maxPodsFor(type, { ...DEFAULTS, prefixDelegation: true });
    const plain = awsMaxPods.find((entry) => entry.type === type)?.pods;
    expect(asked).toMatchObject({ prefixDelegationRequested: true, prefixDelegation: false, uncapped: plain });
    expect(asked.notes.join()).toMatch(/not a Nitro/);
  });

  it("bare metal (no hypervisor reported) gets no prefix delegation either, as in AWS's calculator", () => {
    const metal = maxPodsFor("m5.metal", { ...DEFAULTS, prefixDelegation: true });
    expect(metal).toMatchObject({
      prefixDelegation: false,
      uncapped: awsMaxPods.find((e) => e.type === "m5.metal")?.pods,
    });
  });

  it("reports no notes for a plain published case", () => {
    expect(maxPodsFor("m5.large", { ...DEFAULTS, prefixDelegation: true }).notes).toEqual([]);
  });
});

describe("maxPodsFor: security groups for pods (the trunk ENI)", () => {
  // The rule (max-pods.ts): the trunk takes one ENI that serves no pod addresses; AWS's calculator
  // has no flag for it and counts it, Karpenter's documentation reserves it (RESERVED_ENIS=1).
  const withTrunk = { ...DEFAULTS, podSecurityGroups: true };

  it("m5.large in secondary-IP mode: uncapped 20, one pod ENI (9 addresses) below the 29 without", () => {
    const without = maxPodsFor("m5.large", DEFAULTS);
    const trunked = maxPodsFor("m5.large", withTrunk);
    expect(without).toMatchObject({ podEnis: 3, uncapped: 29, trunkEni: false, branchInterfaces: 0 });
    expect(trunked).toMatchObject({ podEnis: 2, uncapped: 20, recommended: 20, trunkEni: true, branchInterfaces: 9 });
    expect(without.uncapped - trunked.uncapped).toBe(without.ipv4PerEni - 1);
    expect(trunked.notes).toEqual([]);
  });

  it("takes the trunk after custom networking's primary: m5.large keeps one pod ENI (11 pods)", () => {
    expect(maxPodsFor("m5.large", { ...withTrunk, customNetworking: true })).toMatchObject({
      podEnis: 1,
      uncapped: 1 * 9 + 2,
    });
  });

  it("takes the trunk out of the ENIs the CNI may use (--cni-max-eni), as a Multus node's", () => {
    expect(maxPodsFor("m5.8xlarge", { ...withTrunk, maxEni: 2 })).toMatchObject({ podEnis: 1, uncapped: 29 + 2 });
  });

  it("takes nothing from types without trunking, and says their pods cannot have security groups", () => {
    const t3 = maxPodsFor("t3.large", withTrunk);
    expect(t3).toMatchObject({
      trunkEni: false,
      branchInterfaces: 0,
      uncapped: maxPodsFor("t3.large", DEFAULTS).uncapped,
    });
    expect(t3.notes.join()).toMatch(/takes no trunk ENI/);
  });

  it("counts the trunk on types the trunking table does not list (the safe side), and says so", () => {
    const unlisted = knownInstanceTypes().find(
      (t) => instanceTypeInfo(t)?.trunking === null && (instanceTypeInfo(t)?.enis ?? 0) > 2,
    ) as string;
    const result = maxPodsFor(unlisted, withTrunk);
    expect(result).toMatchObject({
      trunkEni: true,
      branchInterfaces: 0,
      podEnis: instanceTypeInfo(unlisted)!.enis - 1,
    });
    expect(result.notes.join()).toMatch(/not in the VPC resource controller's trunking table/);
  });

  it("never counts fewer than no pod ENIs", () => {
    // a1.medium: 2 ENIs; custom networking and the trunk leave none.
    expect(maxPodsFor("a1.medium", { ...withTrunk, customNetworking: true })).toMatchObject({
      podEnis: 0,
      uncapped: 2,
    });
  });
});

describe("maxPodsFor: ENI cap, custom networking, CNI version, ceilings", () => {
  // m5.8xlarge: 8 ENIs of 30 addresses, 32 vCPUs.
  it("--cni-max-eni limits the ENIs used", () => {
    expect(maxPodsFor("m5.8xlarge", { ...DEFAULTS, maxEni: 2 })).toMatchObject({ podEnis: 2, uncapped: 2 * 29 + 2 });
    expect(maxPodsFor("m5.8xlarge", { ...DEFAULTS, maxEni: 100 }).podEnis).toBe(8);
  });

  it("applies --cni-max-eni before custom networking removes the primary ENI, as AWS's script does", () => {
    expect(maxPodsFor("m5.8xlarge", { customNetworking: true, prefixDelegation: false, maxEni: 2 })).toMatchObject({
      podEnis: 1,
      uncapped: 1 * 29 + 2,
    });
  });

  it("rejects an ENI cap that is not a whole number of at least 1", () => {
    expect(() => maxPodsFor("m5.large", { ...DEFAULTS, maxEni: 0 })).toThrow(RangeError);
    expect(() => maxPodsFor("m5.large", { ...DEFAULTS, maxEni: 1.5 })).toThrow(RangeError);
  });

  it("does not apply prefix delegation with VPC CNI older than 1.9.0", () => {
    const old = maxPodsFor("m5.large", { ...DEFAULTS, prefixDelegation: true, cniVersion: "1.8.0" });
    expect(old).toMatchObject({ prefixDelegation: false, uncapped: 29 });
    expect(old.notes.join()).toMatch(/1\.8\.0/);
    expect(maxPodsFor("m5.large", { ...DEFAULTS, prefixDelegation: true, cniVersion: "1.9.0" }).prefixDelegation).toBe(
      true,
    );
  });

  it("reads VPC CNI versions as AWS writes them", () => {
    expect(cniSupportsPrefixDelegation("v1.18.3-eksbuild.1")).toBe(true);
    expect(cniSupportsPrefixDelegation("1.10.0")).toBe(true); // compared as numbers, not text
    expect(cniSupportsPrefixDelegation("2.0")).toBe(true);
    expect(cniSupportsPrefixDelegation("1.7.5")).toBe(false);
    expect(() => cniSupportsPrefixDelegation("latest")).toThrow(RangeError);
    expect(() => maxPodsFor("m5.large", { ...DEFAULTS, cniVersion: "latest" })).toThrow(RangeError);
  });

  it("caps at 110 up to 30 vCPUs and at 250 above", () => {
    // m5.4xlarge: 16 vCPUs, 234 uncapped; m5.8xlarge: 32 vCPUs.
    expect(maxPodsFor("m5.4xlarge", DEFAULTS)).toMatchObject({ uncapped: 234, cap: 110, recommended: 110 });
    expect(maxPodsFor("m5.8xlarge", DEFAULTS).cap).toBe(250);
    for (const type of knownInstanceTypes()) {
      const { vcpus, cap, uncapped, recommended } = maxPodsFor(type, { ...DEFAULTS, prefixDelegation: true });
      expect(cap).toBe(vcpus !== null && vcpus > 30 ? 250 : 110);
      expect(recommended).toBe(Math.min(uncapped, cap));
    }
  });
});

describe("instance types", () => {
  it("isNitro follows the EC2 hypervisor field, as AWS's calculator does", () => {
    expect(isNitro("m5.large")).toBe(true);
    expect(isNitro("m4.xlarge")).toBe(false);
    expect(isNitro("m5.metal")).toBe(false); // bare metal reports no hypervisor
    expect(isNitro("nope.large")).toBe(false);
  });

  it("knows how many ENIs multi-card types can attach in total", () => {
    const multiCard = knownInstanceTypes()
      .map((type) => instanceTypeInfo(type))
      .find((info) => info !== undefined && info.networkCards > 1);
    expect(multiCard).toBeDefined();
    expect(multiCard!.totalEnis).toBeGreaterThan(multiCard!.enis);
  });

  it("suggests close matches for typos and wrong sizes", () => {
    expect(closeMatches("m5.xlarg")[0]).toBe("m5.xlarge");
    expect(closeMatches("m5.xlagre")[0]).toBe("m5.xlarge");
    expect(closeMatches("M5.XLARGE")[0]).toBe("m5.xlarge");
    expect(closeMatches("m55.xlarge")).toContain("m5.xlarge");
    const sizes = closeMatches("m5.huge");
    expect(sizes).toHaveLength(3);
    for (const type of sizes) expect(type.startsWith("m5.")).toBe(true);
    expect(closeMatches("m5.xlarge", 5)).toHaveLength(5);
    expect(closeMatches("completely-wrong")).toEqual([]);
  });

  it("throws UnknownInstanceTypeError naming close matches", () => {
    let error: unknown;
    try {
      maxPodsFor("m5.xlarg", DEFAULTS);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownInstanceTypeError);
    expect((error as UnknownInstanceTypeError).message).toContain("m5.xlarge");
    expect((error as UnknownInstanceTypeError).closeMatches[0]).toBe("m5.xlarge");
  });

  it("loads the table quickly", () => {
    jest.isolateModules(() => {
      const start = process.hrtime.bigint();
      const fresh = require("../modules/plan/instance-types") as typeof import("../modules/plan/instance-types");
      fresh.instanceTypeInfo("m5.large");
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(ms).toBeLessThan(50); // typically a few ms; generous for loaded CI machines
    });
  });
});

describe("pod address arithmetic", () => {
  it("counts /28 prefixes needed for a number of pods", () => {
    expect([0, 1, 16, 17, 110, 250].map(prefixesNeeded)).toEqual([0, 1, 1, 2, 7, 16]);
    expect(() => prefixesNeeded(-1)).toThrow(RangeError);
  });

  it("counts subnet addresses pods take in each mode", () => {
    expect(podSubnetAddresses(110, false)).toBe(110);
    expect(podSubnetAddresses(110, true)).toBe(7 * 16);
  });
});
