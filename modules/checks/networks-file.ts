/**
 * The networks file on its own: well-formed CIDRs, names given once, and the organisation's blocks
 * apart from each other (an address belongs to one block of the plan). Pure.
 */
import { error, formatPath, type FieldPath, type Problem } from "../environment/problems";
import type { NetworksFile } from "../environment/networks-schema";
import { overlaps, parseCidr, type CidrBlock } from "../plan/cidr";

export function checkNetworksFile(file: NetworksFile): Problem[] {
  const problems: Problem[] = [];
  const parsed = (path: FieldPath, text: string): CidrBlock | undefined => {
    const result = parseCidr(text);
    if (result.ok) return result.block;
    problems.push(error(path, result.reason, result.suggestion ? `write ${result.suggestion}` : "write a CIDR block"));
    return undefined;
  };
  const blocks = file.blocks.flatMap((b, i) => {
    const block = parsed(["blocks", i, "cidr"], b.cidr);
    return block ? [{ block, path: ["blocks", i, "cidr"] as FieldPath }] : [];
  });
  blocks.forEach((a, i) =>
    blocks.slice(i + 1).forEach((b) => {
      if (overlaps(a.block, b.block))
        problems.push(
          error(
            b.path,
            `${b.block.text} overlaps ${formatPath(a.path)} (${a.block.text}); an address belongs to one block of the plan`,
            "make the blocks apart, or merge them into one",
          ),
        );
    }),
  );
  file.externalNetworks.forEach((n, i) => n.cidrs.forEach((c, j) => parsed(["externalNetworks", i, "cidrs", j], c)));
  const once = (list: Array<{ name: string }>, key: string) =>
    list.forEach((item, i) => {
      const first = list.findIndex((other) => other.name === item.name);
      if (first < i)
        problems.push(
          error(
            [key, i, "name"],
            `${item.name} is also the name of ${key}[${first}]`,
            "give each one its own name: problems and the picture name them",
          ),
        );
    });
  once(file.blocks, "blocks");
  once(file.externalNetworks, "externalNetworks");
  return problems;
}
