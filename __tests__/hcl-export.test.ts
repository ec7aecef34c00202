import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { readdirSync } from "node:fs";
import { basename, dirname, relative, isAbsolute, join, resolve } from "node:path";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import {
  addRemovedBlocks,
  fixDependsOn,
  fixHelmProviderBlocks,
  fixQuotedIgnoreChanges,
  fixQuotedProvisionerKeywords,
  fixLifecycleConditionBlocks,
  fixTerraformBlockAttributes,
} from "../modules/hcl/export-fixes";
import { exportHcl } from "../scripts/synth-hcl";
import { synthNamed } from "./support/synth";
import { FIXTURE_ENVIRONMENTS_DIR } from "./support/environments";

/** Every entry of every depends_on list of an HCL file. */
function dependsOnEntries(hcl: string): string[] {
  return [...hcl.matchAll(/depends_on\s*=\s*\[([^\]]*)\]/g)].flatMap((m) =>
    m[1]
      .split(/[,\n]/)
      .map((e) => e.trim())
      .filter(Boolean),
  );
}

/** The addresses an HCL file declares: resource "t" "n" -> t.n, data "t" "n" -> data.t.n. */
function declaredAddresses(hcl: string): Set<string> {
  return new Set(
    [...hcl.matchAll(/^(resource|data) "([^"]+)" "([^"]+)"/gm)].map(([, kind, type, name]) =>
      kind === "data" ? `data.${type}.${name}` : `${type}.${name}`,
    ),
  );
}

describe("HCL export (npm run synth:hcl)", () => {
  const root = mkdtempSync(join(tmpdir(), "eks-hcl-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(environmentNames())("%s: writes every stack as HCL that terraform fmt parses, portable", (name) => {
    const result = exportHcl({ EKS_ENV: name }, join(root, name));
    expectPortable(result.files, join(root, name), name);
    expect(result.files.map((f) => f.split("/").slice(-2).join("/")).sort()).toEqual(
      [
        "cluster/cdk.tf",
        "cni/cdk.tf",
        // Only environments with a karpenter section have its stack.
        ...(loadEnvironment({ EKS_ENV: name }).env.karpenter ? ["karpenter/cdk.tf"] : []),
        "network/cdk.tf",
        "nodes/cdk.tf",
        "workloads/cdk.tf",
      ].sort(),
    );
    // terraform fmt ran over every file and would have thrown on a parse error.
    expect(result.formatted).toBe(true);
    for (const file of result.files) {
      const hcl = readFileSync(file, "utf8");
      expect(hcl).toMatch(/^terraform \{/m);
      expect(hcl).toMatch(/^terraform \{[^]*?\n {2}required_version = ">= 1\.10"\n/);
      // The helm provider's kubernetes settings are an object attribute in helm provider 3.
      if (hcl.includes('provider "helm"')) expect(hcl).toMatch(/provider "helm" \{\n\s+kubernetes = \{/);
      // ignore_changes lists references, not quoted strings (deprecated since Terraform 0.12).
      for (const list of hcl.match(/ignore_changes = \[[^\]]*\]/g) ?? []) expect(list).not.toContain('"');
      // Lifecycle conditions are blocks, as Terraform requires.
      expect(hcl).not.toMatch(/(pre|post)condition\s*=/);
      // A provisioner's when is a keyword in native syntax.
      expect(hcl).not.toMatch(/\bwhen\s*=\s*"/);
    }
    // The network stack's checks of the account (instance types, Elastic IP quota, zone IDs).
    const network = readFileSync(
      result.files.find((f) => f.includes("/network/"))!,
      "utf8",
    );
    expect(network).toMatch(/\n {4}postcondition \{\n {6}condition {5}= alltrue\(\[for az in \[/);
    const workloads = readFileSync(
      result.files.find((f) => f.includes("/workloads/"))!,
      "utf8",
    );
    // The removed blocks of the JSON output (cdktf's HCL rendering drops them), one for one.
    const removed = [
      ...workloads.matchAll(/^removed \{\n\s+from = (\S+)\n\s+lifecycle \{\n\s+destroy = false\n/gm),
    ].map((m) => m[1]);
    expect(removed).toEqual(
      ((synthNamed(name).stack("workloads") as { removed?: Array<{ from: string }> }).removed ?? []).map((r) => r.from),
    );
    if (name === "public-pods") expect(removed).toHaveLength(2);
    const chart = /chart\s+= "([^"]+)"/.exec(workloads)?.[1];
    if (chart)
      expect(existsSync(join(dirname(result.files.find((f) => f.includes("/workloads/"))!), chart, "Chart.yaml"))).toBe(
        true,
      );
  });
});

/**
 * What makes an export usable outside the checkout that wrote it and free of deprecated syntax:
 * depends_on holds references (not the quoted strings Terraform 0.11 took), no path of this machine,
 * and local state at terraform-state/<env>/ beside the export's root.
 */
/** The states of other environments a stack reads (stack: state), besides its own backend's. */
const readers: Record<string, string[]> = { "public-pods": ["network:demo/network.tfstate"] };

function expectPortable(files: string[], outdir: string, env: string): void {
  let dependsOn = 0;
  for (const file of files) {
    const hcl = readFileSync(file, "utf8");
    const entries = dependsOnEntries(hcl);
    dependsOn += entries.length;
    for (const entry of entries) {
      expect(entry).not.toMatch(/"/);
      expect(declaredAddresses(hcl)).toContain(entry);
    }
    expect(hcl).not.toContain(PROJECT_ROOT);
    expect(hcl).not.toContain(outdir);
    for (const [, attribute, value] of hcl.matchAll(/^\s*(path|chart)\s*=\s*"([^"]*)"/gm)) {
      expect({ attribute, value, absolute: isAbsolute(value) }).toEqual({ attribute, value, absolute: false });
    }
    // The stack's own backend and the remote state it reads: its environment's, or, for a shared
    // network (public-pods: network.from ./demo.yaml), the owner's network state, beside it.
    const states = [...hcl.matchAll(/^\s*path\s*=\s*"([^"]*\.tfstate)"/gm)].map(([, value]) =>
      relative(join(outdir, "..", "terraform-state"), resolve(dirname(file), value)),
    );
    const stack = basename(dirname(file));
    const read = (readers[env] ?? []).filter((r) => r.startsWith(`${stack}:`)).map((r) => r.slice(stack.length + 1));
    for (const state of states.filter((st) => !read.includes(st))) expect(dirname(state)).toBe(env);
    expect(states).toEqual(expect.arrayContaining(read));
  }
  // The environments do have dependencies: the checks above would pass vacuously otherwise.
  expect(dependsOn).toBeGreaterThan(0);
}

describe("HCL export of the edge-case fixtures: no deprecated syntax, no absolute path", () => {
  const root = mkdtempSync(join(tmpdir(), "eks-hcl-paths-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // The fixtures that are not copies of a shipped environment (those are exported above).
  const fixtures = readdirSync(FIXTURE_ENVIRONMENTS_DIR).filter(
    (f) => f.endsWith(".yaml") && !environmentNames().includes(f.replace(/\.yaml$/, "")),
  );

  it.each(fixtures)("%s", (fixture) => {
    const outdir = join(root, fixture, "export");
    const result = exportHcl({ EKS_ENV_FILE: join(FIXTURE_ENVIRONMENTS_DIR, fixture) }, outdir);
    expectPortable(result.files, outdir, fixture.replace(/\.yaml$/, ""));
  });
});

describe("fixDependsOn", () => {
  it("unquotes references in depends_on lists, one per line or on one line, and leaves other strings alone", () => {
    const hcl = [
      'resource "a" "b" {',
      '  tags = ["x.y"]',
      "  depends_on = [",
      '    "aws_iam_role.role_1A2B",',
      '    "data.aws_iam_policy_document.doc",',
      '    "module.vpc",',
      '    "not a reference",',
      "  ]",
      "}",
      'resource "c" "d" {',
      '  depends_on = ["terraform_data.cni-ready", "aws_x.y"]',
      "}",
    ].join("\n");
    expect(fixDependsOn(hcl).split("\n")).toEqual([
      'resource "a" "b" {',
      '  tags = ["x.y"]',
      "  depends_on = [",
      "    aws_iam_role.role_1A2B,",
      "    data.aws_iam_policy_document.doc,",
      "    module.vpc,",
      '    "not a reference",',
      "  ]",
      "}",
      'resource "c" "d" {',
      "  depends_on = [terraform_data.cni-ready, aws_x.y]",
      "}",
    ]);
  });
});

describe("fixHelmProviderBlocks", () => {
  it("turns the helm provider's kubernetes and exec blocks into attributes, and nothing else", () => {
    const hcl = [
      'provider "kubernetes" {',
      "  exec {",
      '    command = "aws"',
      "  }",
      "}",
      'provider "helm" {',
      "  kubernetes {",
      '    host = "h"',
      "    exec {",
      '      command = "aws"',
      "    }",
      "  }",
      "}",
      'resource "x" "y" {',
      "  kubernetes {",
      "  }",
      "}",
    ].join("\n");
    expect(fixHelmProviderBlocks(hcl).split("\n")).toEqual([
      'provider "kubernetes" {',
      "  exec {",
      '    command = "aws"',
      "  }",
      "}",
      'provider "helm" {',
      "  kubernetes = {",
      '    host = "h"',
      "    exec = {",
      '      command = "aws"',
      "    }",
      "  }",
      "}",
      'resource "x" "y" {',
      "  kubernetes {",
      "  }",
      "}",
    ]);
  });
});

describe("fixTerraformBlockAttributes", () => {
  it("writes back the terraform block's attributes cdktf rendered by index", () => {
    const hcl = [
      "terraform {",
      '  backend "local" {',
      '    path = "x"',
      "  }",
      '  0 = "required_version"',
      "}",
      'resource "a" "b" {',
      '  0 = "required_version"',
      "}",
    ].join("\n");
    expect(fixTerraformBlockAttributes(hcl, { required_version: ">= 1.10" }).split("\n")).toEqual([
      "terraform {",
      '  backend "local" {',
      '    path = "x"',
      "  }",
      '  required_version = ">= 1.10"',
      "}",
      'resource "a" "b" {',
      '  0 = "required_version"',
      "}",
    ]);
  });

  it("fails loudly on an attribute whose value it does not know", () => {
    expect(() => fixTerraformBlockAttributes('terraform {\n  0 = "experiments"\n}', {})).toThrow(/experiments/);
  });
});

describe("fixQuotedIgnoreChanges", () => {
  it("unquotes the references in ignore_changes lists, and nothing else", () => {
    const hcl = [
      'resource "aws_eks_node_group" "g" {',
      '  labels = ["scaling_config[0].desired_size"]',
      "  lifecycle {",
      "    create_before_destroy = true",
      "    ignore_changes = [",
      '      "scaling_config[0].desired_size",',
      '      "tags",',
      "    ]",
      "  }",
      "}",
    ].join("\n");
    expect(fixQuotedIgnoreChanges(hcl).split("\n")).toEqual([
      'resource "aws_eks_node_group" "g" {',
      '  labels = ["scaling_config[0].desired_size"]',
      "  lifecycle {",
      "    create_before_destroy = true",
      "    ignore_changes = [",
      "      scaling_config[0].desired_size,",
      "      tags,",
      "    ]",
      "  }",
      "}",
    ]);
  });
});

describe("fixQuotedProvisionerKeywords", () => {
  it("unquotes when and on_failure in provisioner blocks, and nothing else", () => {
    const hcl = [
      'resource "terraform_data" "g" {',
      '  input = { when = "destroy" }',
      '  provisioner "local-exec" {',
      '    when       = "destroy"',
      '    on_failure = "fail"',
      '    command    = "echo when = \\"destroy\\""',
      "  }",
      '  tags = { when = "create" }',
      "}",
    ].join("\n");
    expect(fixQuotedProvisionerKeywords(hcl).split("\n")).toEqual([
      'resource "terraform_data" "g" {',
      '  input = { when = "destroy" }',
      '  provisioner "local-exec" {',
      "    when       = destroy",
      "    on_failure = fail",
      '    command    = "echo when = \\"destroy\\""',
      "  }",
      '  tags = { when = "create" }',
      "}",
    ]);
  });
});

describe("addRemovedBlocks", () => {
  it("appends one removed block with destroy = false per forgotten resource, and leaves the file alone without any", () => {
    const hcl = 'resource "aws_eip" "a" {\n}\n';
    expect(addRemovedBlocks(hcl, [])).toBe(hcl);
    expect(addRemovedBlocks(hcl, ["aws_eip_association.x_association_1", "aws_eip_association.y_association_2"])).toBe(
      [
        'resource "aws_eip" "a" {',
        "}",
        "",
        "removed {",
        "  from = aws_eip_association.x_association_1",
        "  lifecycle {",
        "    destroy = false",
        "  }",
        "}",
        "",
        "removed {",
        "  from = aws_eip_association.y_association_2",
        "  lifecycle {",
        "    destroy = false",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });
});

describe("fixLifecycleConditionBlocks", () => {
  it("turns each element of a postcondition or precondition list into a block", () => {
    const hcl = [
      'data "aws_eips" "x" {',
      "lifecycle {",
      "  postcondition = [",
      "{",
      'condition = "${self.value > 1}"',
      'error_message = "a ${self.value} b"',
      "},",
      "{",
      'condition = "${true}"',
      'error_message = "c"',
      "},",
      "]",
      "  precondition = [",
      "{",
      'condition = "${true}"',
      'error_message = "d"',
      "},",
      "]",
      "}",
      "}",
    ].join("\n");
    expect(fixLifecycleConditionBlocks(hcl).split("\n")).toEqual([
      'data "aws_eips" "x" {',
      "lifecycle {",
      "  postcondition {",
      'condition = "${self.value > 1}"',
      'error_message = "a ${self.value} b"',
      "  }",
      "  postcondition {",
      'condition = "${true}"',
      'error_message = "c"',
      "  }",
      "  precondition {",
      'condition = "${true}"',
      'error_message = "d"',
      "  }",
      "}",
      "}",
    ]);
  });

  it("leaves everything else alone", () => {
    const hcl = 'resource "a" "b" {\n  tags = [\n{\nx = 1\n},\n]\n}';
    expect(fixLifecycleConditionBlocks(hcl)).toBe(hcl);
  });
});
