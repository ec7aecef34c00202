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
