import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { environmentNames } from "../modules/load/load";
import {
  addRemovedBlocks,
  fixHelmProviderBlocks,
  fixQuotedIgnoreChanges,
  fixQuotedProvisionerKeywords,
  fixLifecycleConditionBlocks,
  fixTerraformBlockAttributes,
} from "../modules/hcl/export-fixes";
import { exportHcl } from "../scripts/synth-hcl";
import { synthNamed } from "./support/synth";

describe("HCL export (npm run synth:hcl)", () => {
  const root = mkdtempSync(join(tmpdir(), "eks-hcl-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(environmentNames())("%s: writes every stack as HCL that terraform fmt parses", (name) => {
    const result = exportHcl({ EKS_ENV: name }, join(root, name));
    expect(result.files.map((f) => f.split("/").slice(-2).join("/")).sort()).toEqual([
      "cluster/cdk.tf",
      "cni/cdk.tf",
      "network/cdk.tf",
      "nodes/cdk.tf",
      "workloads/cdk.tf",
    ]);
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
