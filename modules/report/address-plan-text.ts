/**
 * The plan across environments as plain text: the environments' ranges, the external networks, the
 * organisation's blocks with their free space, then every problem. No colours, no terminal width.
 */
import type { AddressPlanReport, EnvironmentRow } from "./address-plan-report";
import { formatCount, plural } from "./ip-plan-text";

export function formatAddressPlanReport(r: AddressPlanReport): string {
  const { summary } = r;
  const title = `IP plan of ${plural(summary.environments, "environment")} in ${r.directory} (${plural(summary.networks, "network")}), with ${r.networksFile.file}`;
  const sections = [title, environments(r), externals(r), blocks(r), problems(r)].filter((s) => s !== "");
  return sections.join("\n\n") + "\n";
}

function environments(r: AddressPlanReport): string {
  const rows = r.environments.map((e) =>
    e.valid
      ? [
          e.name,
          e.file,
          e.region!,
          networkWords(e),
          e.vpcBlocks!.map((b) => `${b.cidr}${b.reusable ? "*" : ""}`).join(", "),
          e.serviceCidr!,
          e.podRanges!.join(", "),
        ]
      : [e.name, e.file, "-", "invalid: left out (see below)", "-", "-", "-"],
  );
  const reusable = r.environments.some((e) => e.vpcBlocks?.some((b) => b.reusable));
  return [
    ...table(["ENVIRONMENT", "FILE", "REGION", "NETWORK", "VPC BLOCKS", "SERVICE RANGE", "POD RANGES"], rows),
    ...(reusable
      ? ["  * RFC 6598 block holding pod subnets only, behind SNAT: other VPCs may reuse it (never routed outside)"]
      : []),
  ].join("\n");
}

function networkWords(e: EnvironmentRow): string {
  const network = e.network!;
  switch (network.source) {
    case "own":
      return network.ipamPoolId ? `own (IPAM ${network.ipamPoolId})` : "own";
    case "shared":
      return `${network.owner.name}'s`;
    case "existing":
      return `existing ${network.vpcId}`;
  }
}

function externals(r: AddressPlanReport): string {
  if (r.externalNetworks.length === 0) return "External networks: none";
  return table(
    ["EXTERNAL NETWORK", "KIND", "CIDRS", "ROUTED"],
    r.externalNetworks.map((n) => [n.name, n.kind, n.cidrs.join(", "), n.routed ? "yes" : "no"]),
  ).join("\n");
}

function blocks(r: AddressPlanReport): string {
  if (r.blocks.length === 0) return "Organisation's blocks: none declared";
  return table(
    ["ORGANISATION BLOCK", "CIDR", "ADDRESSES", "USED", "FREE", "LARGEST FREE BLOCK"],
    r.blocks.map((b) => [
      b.name,
      b.cidr,
      formatCount(b.addresses),
      formatCount(b.used),
      `${formatCount(b.free)} (${b.freePercent}%)`,
      b.largestFree ?? "-",
    ]),
    new Set([2, 3, 4]),
  ).join("\n");
}

function problems(r: AddressPlanReport): string {
  if (r.problems.length === 0) return "Problems: none";
  const { errors, warnings } = r.summary;
  return [
    `Problems (${plural(errors, "error")}, ${plural(warnings, "warning")}):`,
    ...r.problems.map((p) => p.text),
  ].join("\n");
}

/** Columns padded to their widest cell; the last column is not padded. */
function table(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  return all.map((row) =>
    (
      "  " +
      row
        .map((cell, c) =>
          c === row.length - 1
            ? cell
            : right.has(c) && row !== header
              ? cell.padStart(widths[c])
              : cell.padEnd(widths[c]),
        )
        .join("  ")
    ).trimEnd(),
  );
}
