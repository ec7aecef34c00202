/**
 * Repairs for what cdktf 0.21's HCL rendering gets wrong (the JSON output is unaffected). Each fix
 * is narrow and tested; an export passes `terraform fmt` only with them.
 */

/**
 * cdktf 0.21 renders every nested object of a provider as an HCL block. The helm provider 3.x made
 * `kubernetes` (and its `exec`) object attributes, which Terraform rejects in block form
 * ("Unsupported block type"). The JSON output is unaffected; the HCL export is rewritten here.
 */
export function fixHelmProviderBlocks(hcl: string): string {
  const lines = hcl.split("\n");
  let inHelmProvider = false;
  let depth = 0;
  return lines
    .map((line) => {
      if (!inHelmProvider && /^provider "helm" \{\s*$/.test(line)) {
        inHelmProvider = true;
        depth = 0;
      }
      if (!inHelmProvider) return line;
      const fixed = depth >= 1 ? line.replace(/^(\s*)(kubernetes|exec) \{\s*$/, "$1$2 = {") : line;
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      if (depth === 0) inHelmProvider = false;
      return fixed;
    })
    .join("\n");
}

/**
 * cdktf 0.21 renders the terraform block's plain attributes (required_version) by index and name
 * (`0 = "required_version"`) and drops their values. They are written back from the values given.
 */
export function fixTerraformBlockAttributes(hcl: string, attributes: Record<string, string>): string {
  let depth = 0;
  let inTerraform = false;
  return hcl
    .split("\n")
    .map((line) => {
      if (depth === 0 && /^terraform \{\s*$/.test(line)) inTerraform = true;
      const broken = inTerraform && depth === 1 ? /^(\s*)\d+ = "([a-z_]+)"\s*$/.exec(line) : null;
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      if (depth === 0) inTerraform = false;
      if (!broken) return line;
      const [, indent, name] = broken;
      if (!(name in attributes)) throw new Error(`the HCL export has terraform attribute ${name}, whose value it lost`);
      return `${indent}${name} = ${JSON.stringify(attributes[name])}`;
    })
    .join("\n");
}

/**
 * cdktf 0.21 renders a provisioner's `when` and `on_failure` as quoted strings, which JSON syntax
 * takes but native syntax does not: Terraform 1.x wants the keywords (`when = destroy`).
 */
export function fixQuotedProvisionerKeywords(hcl: string): string {
  let inProvisioner = false;
  return hcl
    .split("\n")
    .map((line) => {
      if (/^\s*provisioner "[\w-]+" \{\s*$/.test(line)) inProvisioner = true;
      else if (/^ {2}\}\s*$/.test(line)) inProvisioner = false;
      if (!inProvisioner) return line;
      return line.replace(/^(\s*)(when|on_failure)(\s*)=(\s*)"(create|destroy|continue|fail)"\s*$/, "$1$2$3=$4$5");
    })
    .join("\n");
}

/**
 * cdktf 0.21 renders lifecycle `ignore_changes` entries as quoted strings, the Terraform 0.11 syntax
 * Terraform 1.x warns about ("Quoted references are deprecated"); they are written as references.
 */
export function fixQuotedIgnoreChanges(hcl: string): string {
  let inList = false;
  return hcl
    .split("\n")
    .map((line) => {
      if (/^\s*ignore_changes\s*=\s*\[\s*$/.test(line)) {
        inList = true;
        return line;
      }
      if (!inList) return line;
      if (/^\s*\]/.test(line)) inList = false;
      return line.replace(/^(\s*)"([A-Za-z_][\w.[\]-]*)"(,?)\s*$/, "$1$2$3");
    })
    .join("\n");
}

/**
 * cdktf 0.21 has no `removed` blocks, and its HCL rendering drops what the JSON gets through
 * constructs/terraform/forgotten-resource.ts; they are appended here, one per forgotten resource.
 */
export function addRemovedBlocks(hcl: string, from: readonly string[]): string {
  const blocks = from.map((address) => `removed {\n  from = ${address}\n  lifecycle {\n    destroy = false\n  }\n}\n`);
  return blocks.length === 0 ? hcl : `${hcl.replace(/\n*$/, "\n")}\n${blocks.join("\n")}`;
}

/** A Terraform reference a depends_on list may hold: resource, data source or module address. */
const DEPENDABLE = /^(data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$|^module\.[A-Za-z_][\w-]*$/;

/**
 * cdktf 0.21 renders depends_on entries as quoted strings (`"aws_iam_role.x"`), the syntax of
 * Terraform 0.11, which Terraform 1.x accepts with a deprecation warning ("Quoted references are
 * deprecated") and will drop. The entries are written back as references. Lines of a depends_on list
 * that are not a quoted reference are left alone.
 */
export function fixDependsOn(hcl: string): string {
  let inList = false;
  return hcl
    .split("\n")
    .map((line) => {
      const single = /^(\s*depends_on\s*=\s*\[)(.*)(\]\s*)$/.exec(line);
      if (single) {
        const items = single[2].split(",").map((item) => unquoteReference(item.trim()));
        return `${single[1]}${items.filter(Boolean).join(", ")}${single[3]}`;
      }
      if (/^\s*depends_on\s*=\s*\[\s*$/.test(line)) {
        inList = true;
        return line;
      }
      if (!inList) return line;
      if (/^\s*\]/.test(line)) {
        inList = false;
        return line;
      }
      const entry = /^(\s*)("[^"]*")(,?)\s*$/.exec(line);
      return entry ? `${entry[1]}${unquoteReference(entry[2])}${entry[3]}` : line;
    })
    .join("\n");
}

function unquoteReference(item: string): string {
  const quoted = /^"([^"]*)"$/.exec(item);
  return quoted && DEPENDABLE.test(quoted[1]) ? quoted[1] : item;
}

/**
 * cdktf 0.21 renders a lifecycle's preconditions and postconditions as a list attribute
 * (`postcondition = [ { condition = ... }, ]`), which parses, but Terraform only accepts them as
 * blocks ("An argument named postcondition is not expected here"). Each element becomes a block.
 */
export function fixLifecycleConditionBlocks(hcl: string): string {
  let list: { name: string; indent: string } | undefined;
  const out: string[] = [];
  for (const line of hcl.split("\n")) {
    const start = /^(\s*)(precondition|postcondition) = \[\s*$/.exec(line);
    if (!list && start) {
      list = { indent: start[1], name: start[2] };
      continue;
    }
    if (!list) {
      out.push(line);
      continue;
    }
    if (/^\s*\{\s*$/.test(line)) out.push(`${list.indent}${list.name} {`);
    else if (/^\s*\},?\s*$/.test(line)) out.push(`${list.indent}}`);
    else if (/^\s*\]\s*$/.test(line)) list = undefined;
    else out.push(line);
  }
  return out.join("\n");
}
