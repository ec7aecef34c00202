/**
 * The arithmetic under the plan across environments, the networks file's schema and place, and the
 * picture of the whole address space (docs/all.svg): current, drawn by `npm run diagram -- --all`,
 * and refused for a plan with errors.
 */
import Ajv from "ajv";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { networksJsonSchema } from "../modules/environment/json-schema";
import { loadAddressPlan } from "../modules/load/address-plan";
import { ENVIRONMENTS_DIR, environmentNames, loadEnvironment } from "../modules/load/load";
import { NETWORKS_FILE } from "../modules/load/networks";
import { coveredAddresses, firstFreeBlock, freeBlocks, largestFreeBlock } from "../modules/plan/address-blocks";
import { cidr } from "../modules/plan/cidr";
import { vpcBlocks } from "../modules/plan/network-ranges";
import { addressPlanReport } from "../modules/report/address-plan-report";
import { renderAddressSpace } from "../modules/report/diagram/address-space-diagram";
import { allDiagramTarget, DOCS_DIR, isStale, run } from "../scripts/diagram";
import { edited, environmentText, load } from "./support/environments";

describe("address blocks", () => {
  const block = cidr("10.0.0.0/16");
  const used = ["10.0.0.0/24", "10.0.0.128/25", "10.0.2.0/23", "10.1.0.0/24", "192.168.0.0/16"].map(cidr);

  it("counts covered addresses once, inside the block only", () => {
    expect(coveredAddresses(block, used)).toBe(256 + 512);
  });

  it("tiles the free space with the largest aligned blocks, in address order", () => {
    expect(freeBlocks(cidr("10.0.0.0/22"), used).map((b) => b.text)).toEqual(["10.0.1.0/24"]);
    expect(freeBlocks(block, used).map((b) => b.text)).toEqual([
      "10.0.1.0/24",
      "10.0.4.0/22",
      "10.0.8.0/21",
      "10.0.16.0/20",
      "10.0.32.0/19",
      "10.0.64.0/18",
      "10.0.128.0/17",
    ]);
    expect(largestFreeBlock(block, used)?.text).toBe("10.0.128.0/17");
    expect(largestFreeBlock(cidr("10.0.0.0/24"), used)).toBeUndefined();
  });

  it("finds the first free block of a size, aligned", () => {
    expect(firstFreeBlock(24, block, used)?.text).toBe("10.0.1.0/24");
    expect(firstFreeBlock(22, block, used)?.text).toBe("10.0.4.0/22");
    expect(firstFreeBlock(15, block, used)).toBeUndefined();
  });
});

describe("VPC blocks across environments", () => {
  const production = load(environmentText("production")).env;

  it("a pod-only RFC 6598 block behind SNAT may repeat; the primary never", () => {
    expect(vpcBlocks(production.network, [production]).map((b) => [b.cidr, b.reusable])).toEqual([
      ["10.20.0.0/20", false],
      ["100.64.0.0/16", true],
    ]);
  });

  it("is routed once one cluster's pods in it keep their addresses beyond the VPC", () => {
    const snat = { cni: { ...production.cni, externalSnat: true } };
    expect(vpcBlocks(production.network, [production, snat])[1].reusable).toBe(false);
  });

  it("is routed when it holds more than pod subnets", () => {
    const env = load(edited("production", (d) => (d.network.zones["eu-west-1a"].controlPlane = "100.64.192.0/28"))).env;
    expect(vpcBlocks(env.network, [env])[1]).toMatchObject({ podOnly: false, reusable: false });
  });
});

describe("the networks file", () => {
  const schemaFile = join(dirname(NETWORKS_FILE), "networks.schema.json");

  it("has its own JSON Schema, current with the zod schema (npm run schema regenerates it)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(networksJsonSchema());
  });

  it("the shipped one validates against it, and an unknown key does not", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(schemaFile, "utf8")));
    const shipped = parse(readFileSync(NETWORKS_FILE, "utf8"));
    expect(validate(shipped)).toBe(true);
    expect(validate({ ...shipped, external: [] })).toBe(false);
  });

  it("is not an environment: nothing that lists environments picks it up", () => {
    expect(dirname(NETWORKS_FILE)).not.toBe(ENVIRONMENTS_DIR);
    expect(environmentNames()).not.toContain("external");
    expect(() => loadEnvironment({ EKS_ENV: "external" })).toThrow(/there is no .*external\.yaml/);
  });
});

describe("docs/all.svg, the whole address space", () => {
  const shipped = () => allDiagramTarget(loadAddressPlan(ENVIRONMENTS_DIR, NETWORKS_FILE), join(DOCS_DIR, "all.svg"));

  it("is what `npm run diagram -- --all` draws today", () => {
    if (isStale(shipped())) throw new Error("docs/all.svg is out of date: run npm run diagram -- --all and commit it");
  });

  it("places every organisation block, each environment's ranges and the external networks", () => {
    const svg = shipped().svg;
    for (const text of [
      "cloud 10.0.0.0/9",
      "lab 172.16.0.0/12",
      "pods 100.64.0.0/10",
      "172.16.0.0/16  the VPC block of demo (shared by public-pods)",
      "100.64.0.0/16  the secondary VPC block of production · reusable behind SNAT",
      "10.200.0.0/16  external network data-centre (on-premises, routed)",
      "VPC of demo + public-pods (us-east-1)",
    ])
      expect(svg).toContain(text);
  });

  it("draws a range at its place in its block: a /16 in a /12 is a sixteenth of the bar", () => {
    const report = addressPlanReport(loadAddressPlan(ENVIRONMENTS_DIR, NETWORKS_FILE));
    const svg = renderAddressSpace(report);
    const bar = /<rect x="(\d+(?:\.\d)?)" y="[\d.]+" width="(\d+(?:\.\d)?)" height="22" fill="#ffffff"/g;
    const [, x, width] = [...svg.matchAll(bar)][1]; // the lab block
    const demo = new RegExp(`<rect x="${x}" y="[\\d.]+" width="([\\d.]+)" height="20" fill="#2f6db5"`).exec(svg);
    expect(Number(demo![1])).toBeCloseTo(Number(width) / 16, 0);
  });

  function workspace() {
    const dir = mkdtempSync(join(tmpdir(), "eks-all-"));
    const environments = join(dir, "environments");
    mkdirSync(environments);
    for (const name of ["demo", "production"]) writeFileSync(join(environments, `${name}.yaml`), environmentText(name));
    writeFileSync(join(dir, "external.yaml"), readFileSync(NETWORKS_FILE, "utf8"));
    return { dir, args: ["--all", "--dir", environments, "--networks", join(dir, "external.yaml")] };
  }
  const diagram = (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (s: string[]) => ({ write: (t: string) => s.push(t) }) as unknown as NodeJS.WritableStream;
    const code = run(argv, sink(out), sink(err));
    return { code, stdout: out.join(""), stderr: err.join("") };
  };

  it("writes another folder's picture to --output, which --dir and --networks require; --check then passes", () => {
    const { dir, args } = workspace();
    expect(diagram(args)).toMatchObject({ code: 2, stderr: expect.stringContaining("give --output") });
    const output = join(dir, "plan.svg");
    expect(diagram([...args, "--output", output]).code).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("VPC of production (eu-west-1)");
    expect(diagram([...args, "--output", output, "--check"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("draws no picture of a plan with errors", () => {
    const { dir, args } = workspace();
    writeFileSync(
      join(dir, "environments", "copy.yaml"),
      edited("demo", (d) => (d.cluster.name = "copy")),
    );
    const output = join(dir, "plan.svg");
    const result = diagram([...args, "--output", output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the plan across environments has errors; no picture written");
    expect(result.stderr).toMatch(
      /172\.16\.0\.0\/16 \(the VPC block of demo\) overlaps the VPC block of copy 172\.16\.0\.0\/16/,
    );
    expect(existsSync(output)).toBe(false);
  });
});
