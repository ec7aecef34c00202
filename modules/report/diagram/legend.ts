/** The legend: a swatch and a name for every kind of box the diagram draws, in a grid that fits `width`. */
import type { IpPlanReport } from "../ip-plan-report";
import { COLORS, ROLE_ORDER, ROLE_STYLES } from "./palette";
import { PUBLIC_ADDRESSES_STYLE } from "./public-addresses-box";
import { cardStyle } from "./subnet-box";
import { rect, text, type Box, type ShapeStyle } from "./svg";
import { textWidth } from "./text-metrics";

export interface LegendItem {
  label: string;
  swatch: ShapeStyle;
}

/** What this diagram draws: the subnet roles present, the gateways, node groups, pods cards if any, the service range, the bar. */
export function legendItems(r: IpPlanReport): LegendItem[] {
  const subnets = r.zones.flatMap((z) => z.subnets);
  const roles = ROLE_ORDER.filter((role) => subnets.some((s) => s.role === role));
  const podsElsewhere = subnets.some((s) => s.placements.some((p) => p.holds === "pods"));
  return [
    ...roles.map((role) => ({
      label: ROLE_STYLES[role].label,
      swatch: { fill: ROLE_STYLES[role].fill, stroke: ROLE_STYLES[role].stroke, strokeWidth: 1.5, radius: 3 },
    })),
    { label: "internet gateway", swatch: { fill: COLORS.gateway, radius: 3 } },
    { label: "NAT gateway", swatch: cardStyle("nat") },
    { label: "node group (its nodes)", swatch: cardStyle("nodes") },
    ...(podsElsewhere ? [{ label: "pods of a node group", swatch: cardStyle("pods") }] : []),
    {
      label: "service range (virtual)",
      swatch: { fill: COLORS.service, stroke: COLORS.serviceStroke, strokeWidth: 1.2, dash: "5 3", radius: 3 },
    },
    ...(r.publicAddresses.length > 0
      ? [
          {
            label: "Elastic IPs of pods",
            swatch: {
              fill: PUBLIC_ADDRESSES_STYLE.fill,
              stroke: PUBLIC_ADDRESSES_STYLE.stroke,
              strokeWidth: 1.2,
              radius: 3,
            },
          },
        ]
      : []),
    { label: "used share of the subnet", swatch: { fill: COLORS.barFill, radius: 2 } },
  ];
}

const TITLE_HEIGHT = 26;
const ROW_HEIGHT = 22;
const SWATCH = { width: 26, height: 14 };
const PAD = 12;
const LABEL_SIZE = 12;

function cellWidth(items: LegendItem[]): number {
  return SWATCH.width + 8 + Math.ceil(Math.max(...items.map((i) => textWidth(i.label, LABEL_SIZE)))) + 16;
}

export function legendHeight(items: LegendItem[], width: number): number {
  const perRow = Math.max(1, Math.floor((width - 2 * PAD) / cellWidth(items)));
  return TITLE_HEIGHT + Math.ceil(items.length / perRow) * ROW_HEIGHT + PAD;
}

export function drawLegend(items: LegendItem[], box: Box): string[] {
  const cell = cellWidth(items);
  const perRow = Math.max(1, Math.floor((box.width - 2 * PAD) / cell));
  const out = [
    rect(box, { fill: COLORS.card, stroke: COLORS.azStroke, strokeWidth: 1, radius: 6 }),
    text(box.x + PAD, box.y + 20, "Legend", { size: 13, bold: true, fill: COLORS.text }),
  ];
  items.forEach((item, i) => {
    const x = box.x + PAD + (i % perRow) * cell;
    const y = box.y + TITLE_HEIGHT + Math.floor(i / perRow) * ROW_HEIGHT;
    out.push(rect({ x, y, ...SWATCH }, item.swatch));
    out.push(text(x + SWATCH.width + 8, y + 11, item.label, { size: LABEL_SIZE, fill: COLORS.text }));
  });
  return out;
}
