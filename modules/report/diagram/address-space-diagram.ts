/**
 * The whole address space as one SVG picture (docs/all.svg): each block of the organisation's plan
 * as an address bar with what lies in it, one lane per range placed at its position (every
 * environment's VPC blocks in its network's colour, service ranges, external networks), the free
 * space left, then the ranges outside the plan's blocks, a legend and the problems' count.
 * Deterministic, like the per-environment pictures, so its freshness is tested.
 *
 * Every number comes from the address plan report, so the picture and `ip-plan --all` agree.
 */
import type { AddressPlanReport, BlockRow, RangeRow } from "../address-plan-report";
import { cidr, formatAddress } from "../../plan/cidr";
import { formatCount, plural } from "../ip-plan-text";
import { COLORS } from "./palette";
import { element, escapeXml, group, line, rect, text, type Box, type ShapeStyle } from "./svg";
import { fitText } from "./text-metrics";
import { drawLines, layoutLines, linesHeight, type TextLine } from "./text-block";

const WIDTH = 1160;
const MARGIN = 24;
const LABEL_WIDTH = 470;
const AXIS_X = MARGIN + LABEL_WIDTH + 20;
const AXIS_WIDTH = WIDTH - MARGIN - AXIS_X;
const BAR_HEIGHT = 22;
const LANE = 20;
const SECTION_GAP = 26;
/** A range narrower than this on the axis is drawn this wide, so a /24 in a /9 stays visible. */
const MIN_MARK = 3;

/** One colour per network (environments sharing a VPC share it), in the order networks first appear. */
const NETWORK_COLORS = ["#2f6db5", "#c27516", "#3c8d3a", "#7a4fb0", "#1d8782", "#b5472f", "#5b6670"];
const SERVICE: ShapeStyle = { fill: COLORS.service, stroke: COLORS.serviceStroke, strokeWidth: 1.2, dash: "4 3" };
const EXTERNAL_ROUTED: ShapeStyle = { fill: "#8a1c1c", stroke: "#8a1c1c" };
const EXTERNAL_UNROUTED: ShapeStyle = { fill: "#f4dada", stroke: "#8a1c1c", strokeWidth: 1.2, dash: "4 3" };

export function renderAddressSpace(report: AddressPlanReport): string {
  const colors = networkColors(report);
  const out: string[] = [];
  const title = layoutLines(titleLines(report), WIDTH - 2 * MARGIN);
  out.push(...drawLines(title, MARGIN, MARGIN));
  let y = MARGIN + linesHeight(title) + SECTION_GAP;
  for (const block of report.blocks) y = drawBlock(out, block, y, colors) + SECTION_GAP;
  if (report.outside.length > 0) y = drawOutside(out, report.outside, y, colors) + SECTION_GAP;
  y = drawLegend(out, report, y, colors);
  const height = y + MARGIN;
  const attrs = {
    xmlns: "http://www.w3.org/2000/svg",
    width: WIDTH,
    height,
    viewBox: `0 0 ${WIDTH} ${height}`,
    "font-family": "Helvetica, Arial, sans-serif",
    role: "img",
  };
  const content = [
    element("title", {}, escapeXml(`The address plan of ${plural(report.summary.environments, "environment")}`)),
    rect({ x: 0, y: 0, width: WIDTH, height }, { fill: "#ffffff" }),
    group(out),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element("svg", attrs, "\n" + content.join("\n") + "\n")}\n`;
}

function networkColors(report: AddressPlanReport): Map<string, string> {
  const colors = new Map<string, string>();
  const networks = [...report.blocks.flatMap((b) => b.ranges), ...report.outside].flatMap((r) =>
    r.network === undefined ? [] : [r.network],
  );
  for (const network of report.environments.flatMap((e) => (e.valid ? [owner(e.network!, e.name)] : [])))
    if (networks.includes(network) && !colors.has(network))
      colors.set(network, NETWORK_COLORS[colors.size % NETWORK_COLORS.length]);
  return colors;
}

const owner = (network: NonNullable<AddressPlanReport["environments"][number]["network"]>, name: string) =>
  network.source === "shared" ? network.owner.name : name;

function titleLines(r: AddressPlanReport): TextLine[] {
  const { summary } = r;
  const problems =
    summary.errors + summary.warnings === 0
      ? "no problems"
      : `${plural(summary.errors, "error")}, ${plural(summary.warnings, "warning")}`;
  return [
    { text: "The address plan: every environment, one address space", size: 22, bold: true, fill: COLORS.text },
    {
      text: `${plural(summary.environments, "environment")} in ${r.directory} (${plural(summary.networks, "network")}), the organisation's blocks and external networks of ${r.networksFile.file} · npm run --silent ip-plan -- --all: ${problems}`,
      size: 13,
      fill: COLORS.muted,
    },
  ];
}

/** A block: its header, its address bar with everything in it, one lane per range. Returns the bottom. */
function drawBlock(out: string[], block: BlockRow, top: number, colors: Map<string, string>): number {
  const header = layoutLines(
    [
      {
        text: `${block.name} ${block.cidr} · ${formatCount(block.addresses)} addresses · ${formatCount(block.free)} free (${block.freePercent}%)${block.largestFree ? ` · largest free block ${block.largestFree}` : ""}`,
        size: 15,
        bold: true,
        fill: COLORS.text,
      },
      ...(block.description ? [{ text: block.description, size: 12, fill: COLORS.muted }] : []),
    ],
    WIDTH - 2 * MARGIN,
  );
  out.push(...drawLines(header, MARGIN, top));
  const barTop = top + linesHeight(header) + 8;
  const { first, size } = cidr(block.cidr);
  const bar: Box = { x: AXIS_X, y: barTop, width: AXIS_WIDTH, height: BAR_HEIGHT };
  out.push(
    text(MARGIN, barTop + 15, `in use: ${formatCount(block.used)} addresses, first to last address →`, {
      size: 12,
      italic: true,
      fill: COLORS.muted,
    }),
  );
  out.push(rect(bar, { fill: "#ffffff", stroke: COLORS.vpcStroke, strokeWidth: 1.2 }));
  const mark = (r: RangeRow, y: number, height: number) => {
    const range = cidr(r.cidr);
    const start = AXIS_X + ((range.first - first) / size) * AXIS_WIDTH;
    const width = Math.max(MIN_MARK, (range.size / size) * AXIS_WIDTH);
    return rect({ x: start, y, width, height }, styleOf(r, colors));
  };
  for (const r of block.ranges) out.push(mark(r, barTop + 1, BAR_HEIGHT - 2));
  out.push(text(AXIS_X, barTop + BAR_HEIGHT + 13, block.cidr.split("/")[0], { size: 11, fill: COLORS.muted }));
  out.push(
    text(AXIS_X + AXIS_WIDTH, barTop + BAR_HEIGHT + 13, formatAddress(cidr(block.cidr).last), {
      size: 11,
      fill: COLORS.muted,
      anchor: "end",
    }),
  );
  let y = barTop + BAR_HEIGHT + 22;
  if (block.ranges.length === 0)
    out.push(text(MARGIN, y + 14, "nothing placed here yet", { size: 12, italic: true, fill: COLORS.muted }));
  for (const r of block.ranges) {
    out.push(line(AXIS_X, y + LANE / 2, AXIS_X + AXIS_WIDTH, y + LANE / 2, COLORS.azStroke, 0.6, "2 3"));
    out.push(mark(r, y + 4, LANE - 8));
    out.push(laneLabel(r, y));
    y += LANE;
  }
  return y + (block.ranges.length === 0 ? LANE : 0);
}

/** Ranges in none of the blocks: listed with their kind, no axis (they share no block to be placed in). */
function drawOutside(out: string[], ranges: RangeRow[], top: number, colors: Map<string, string>): number {
  out.push(text(MARGIN, top + 16, "Outside the organisation's blocks", { size: 15, bold: true, fill: COLORS.text }));
  let y = top + 26;
  for (const r of ranges) {
    out.push(rect({ x: AXIS_X, y: y + 4, width: 26, height: LANE - 8 }, styleOf(r, colors)));
    out.push(laneLabel(r, y));
    y += LANE;
  }
  return y;
}

function laneLabel(r: RangeRow, y: number): string {
  const words = `${r.cidr}  ${r.what}${r.note ? ` (${r.note})` : ""}${r.reusable ? " · reusable behind SNAT" : ""}`;
  return text(MARGIN, y + 14, fitText(words, LABEL_WIDTH, 12), { size: 12, fill: COLORS.text }, words);
}

function styleOf(r: RangeRow, colors: Map<string, string>): ShapeStyle {
  switch (r.kind) {
    case "vpc": {
      const color = colors.get(r.network ?? "") ?? COLORS.muted;
      // A reusable pod block is drawn lighter: it is there in every VPC that wants it.
      return r.reusable ? { fill: lighter(color), stroke: color, strokeWidth: 1.2 } : { fill: color, stroke: color };
    }
    case "service":
      // Outlined in its network's colour: whose it is, at a glance.
      return { ...SERVICE, stroke: colors.get(r.network ?? "") ?? SERVICE.stroke };
    case "external":
      return r.routed ? EXTERNAL_ROUTED : EXTERNAL_UNROUTED;
  }
}

function drawLegend(out: string[], report: AddressPlanReport, top: number, colors: Map<string, string>): number {
  const sharing = (network: string) =>
    report.environments
      .filter((e) => e.valid && owner(e.network!, e.name) === network)
      .map((e) => e.name)
      .join(" + ");
  const region = (network: string) => report.environments.find((e) => e.name === network)?.region;
  const items: Array<{ label: string; style: ShapeStyle }> = [
    ...[...colors.entries()].map(([network, color]) => ({
      label: `VPC of ${sharing(network)}${region(network) ? ` (${region(network)})` : ""}`,
      style: { fill: color, stroke: color } as ShapeStyle,
    })),
    {
      label: "reusable pod block (RFC 6598, behind SNAT)",
      style: { fill: "#dddddd", stroke: COLORS.muted, strokeWidth: 1.2 },
    },
    { label: "service range (virtual; its VPC's colour)", style: SERVICE },
    { label: "external network, routed", style: EXTERNAL_ROUTED },
    { label: "external network, not routed", style: EXTERNAL_UNROUTED },
  ];
  out.push(text(MARGIN, top + 16, "Legend", { size: 13, bold: true, fill: COLORS.text }));
  const columns = 3;
  const cell = (WIDTH - 2 * MARGIN) / columns;
  items.forEach((item, i) => {
    const x = MARGIN + (i % columns) * cell;
    const y = top + 26 + Math.floor(i / columns) * LANE;
    out.push(rect({ x, y: y + 3, width: 26, height: 14 }, { ...item.style, radius: 3 }));
    out.push(text(x + 34, y + 14, fitText(item.label, cell - 40, 12), { size: 12, fill: COLORS.text }, item.label));
  });
  return top + 26 + Math.ceil(items.length / columns) * LANE;
}

/** The colour mixed halfway with white. */
function lighter(hex: string): string {
  const channel = (i: number) => Math.round((parseInt(hex.slice(i, i + 2), 16) + 255) / 2);
  return `#${[1, 3, 5].map((i) => channel(i).toString(16).padStart(2, "0")).join("")}`;
}
