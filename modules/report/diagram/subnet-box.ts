/**
 * One subnet in its AZ column: role, CIDR, capacity (with a usage bar), demand, egress, and what sits
 * in it: the NAT gateway, node groups (where their nodes' primary interfaces are), the pods of node
 * groups whose nodes are elsewhere (custom networking).
 */
import type { IpPlanReport, NodeGroupReport, NodePoolReport, PlacementReport, SubnetReport } from "../ip-plan-report";
import {
  demandPhrase,
  formatCount,
  headroomPhrase,
  plural,
  prefixReservationPhrase,
  rolloutAddsPhrase,
  rolloutUsedPhrase,
  usedPhrase,
} from "../ip-plan-text";
import { COLORS, ROLE_STYLES } from "./palette";
import { rect, text, type Box } from "./svg";
import { drawLines, layoutLines, linesHeight, type TextLine } from "./text-block";

const PAD = 10;
const BAR_HEIGHT = 8;
/** Room right of the bar for "100% headroom" or "over by 1,000". */
const BAR_LABEL_WIDTH = 92;
const CARD_PAD = 6;
const CARD_GAP = 6;

type CardKind = "nat" | "nodes" | "pods";

interface Card {
  kind: CardKind;
  lines: TextLine[];
}

export interface MeasuredSubnet {
  subnet: SubnetReport;
  height: number;
  /** Draws the subnet into `box` (its row may be taller than `height`). */
  draw(box: Box): string[];
}

/** Card styles, shared with the legend. */
export function cardStyle(kind: CardKind) {
  switch (kind) {
    case "nat":
      return { fill: COLORS.nat, stroke: COLORS.nat, radius: 4, textFill: COLORS.gatewayText };
    case "nodes":
      return { fill: COLORS.card, stroke: COLORS.vpcStroke, strokeWidth: 1.2, radius: 4, textFill: COLORS.text };
    case "pods":
      return {
        fill: COLORS.card,
        stroke: ROLE_STYLES.pod.stroke,
        strokeWidth: 1.2,
        dash: "4 3",
        radius: 4,
        textFill: COLORS.text,
      };
  }
}

export function measureSubnet(subnet: SubnetReport, report: IpPlanReport, width: number): MeasuredSubnet {
  const style = ROLE_STYLES[subnet.role];
  const inner = width - 2 * PAD;
  const head = layoutLines(headLines(subnet), inner);
  const tail = layoutLines(tailLines(subnet, report), inner);
  const cards = subnetCards(subnet, report).map((c) => ({ ...c, lines: layoutLines(c.lines, inner - 2 * CARD_PAD) }));
  const cardHeight = (c: Card) => linesHeight(c.lines) + 2 * CARD_PAD - 2;
  const height =
    PAD +
    linesHeight(head) +
    5 +
    BAR_HEIGHT +
    3 +
    linesHeight(tail) +
    cards.reduce((h, c) => h + CARD_GAP + cardHeight(c), 0) +
    PAD;

  return {
    subnet,
    height,
    draw(box) {
      const out = [rect(box, { fill: style.fill, stroke: style.stroke, strokeWidth: 1.5, radius: 6 })];
      const x = box.x + PAD;
      let y = box.y + PAD;
      out.push(...drawLines(head, x, y));
      y += linesHeight(head) + 5;
      out.push(...usageBar({ x, y, width: inner, height: BAR_HEIGHT }, subnet));
      y += BAR_HEIGHT + 3;
      out.push(...drawLines(tail, x, y));
      y += linesHeight(tail);
      for (const card of cards) {
        y += CARD_GAP;
        const cs = cardStyle(card.kind);
        out.push(rect({ x, y, width: inner, height: cardHeight(card) }, cs));
        out.push(
          ...drawLines(
            card.lines.map((l) => ({ ...l, fill: l.fill ?? cs.textFill })),
            x + CARD_PAD,
            y + CARD_PAD - 2,
          ),
        );
        y += cardHeight(card);
      }
      return out;
    },
  };
}

function headLines(s: SubnetReport): TextLine[] {
  const style = ROLE_STYLES[s.role];
  const tag =
    s.role === "multus"
      ? `${style.label} ${s.interfaceIndex}${s.routesToInternetGateway ? " · public" : ""}`
      : style.label;
  return [
    { text: tag.toUpperCase(), size: 11, bold: true, fill: style.stroke, noWrap: true },
    { text: s.cidr, size: 16, bold: true, fill: COLORS.text, noWrap: true },
    { text: plural(s.usable, "usable address", "usable addresses"), size: 12, fill: COLORS.text },
    ...(s.prefixDelegation
      ? [
          {
            text: `${plural(s.free28Blocks, "free /28 block", "free /28 blocks")} for pod prefixes`,
            size: 12,
            fill: COLORS.text,
          },
        ]
      : []),
    { text: `used: ${usedPhrase(s)}`, size: 12, fill: COLORS.text },
  ];
}

function tailLines(s: SubnetReport, r: IpPlanReport): TextLine[] {
  const egress = s.routesToInternetGateway ? "internet gateway" : `NAT gateway in ${natFor(s, r)}`;
  const adds = rolloutAddsPhrase(s);
  const reserved = prefixReservationPhrase(s);
  return [
    { text: demandPhrase(s), size: 11, fill: COLORS.muted },
    ...(adds ? [{ text: `in a rollout: ${rolloutUsedPhrase(s)} (${adds})`, size: 11, fill: COLORS.muted }] : []),
    ...(reserved ? [{ text: reserved, size: 11, fill: COLORS.text }] : []),
    // An existing VPC's routes are its owner's: the plan does not know them.
    ...(r.nat.mode === "none" ? [] : [{ text: `0.0.0.0/0 → ${egress}`, size: 11, fill: COLORS.muted }]),
  ];
}

/** The NAT gateway a private subnet of this AZ routes to: its own AZ's, else the single one. */
function natFor(s: SubnetReport, r: IpPlanReport): string {
  const az = r.zones.find((z) => z.subnets.includes(s))?.az;
  return az !== undefined && r.nat.zones.includes(az) ? az : r.nat.zones[0];
}

function subnetCards(s: SubnetReport, r: IpPlanReport): Card[] {
  const cards: Card[] = [];
  if (s.natGateway)
    cards.push({ kind: "nat", lines: [{ text: "NAT gateway + Elastic IP", size: 12, bold: true, noWrap: true }] });
  for (const p of s.placements) {
    const group = p.capacity === "nodeGroup" ? r.nodeGroups.find((g) => g.name === p.group) : undefined;
    const pool = p.capacity === "nodePool" ? r.nodePools.find((g) => g.name === p.group) : undefined;
    cards.push(p.holds === "pods" ? podsCard(p) : nodesCard(p, group, pool));
  }
  return cards;
}

function nodesCard(p: PlacementReport, g: NodeGroupReport | undefined, pool: NodePoolReport | undefined): Card {
  const lines: TextLine[] = [
    { text: pool ? `${p.group} (Karpenter)` : p.group, size: 12, bold: true, noWrap: true },
    { text: `${p.instanceType} · max pods ${p.maxPods}`, size: 11 },
    ...(g ? [{ text: `size ${g.minSize}–${g.maxSize}, desired ${g.desiredSize}`, size: 11 }] : []),
    ...(pool
      ? [
          {
            text: `${pool.instanceTypes.length} types, limits ${pool.limits.cpu} vCPUs, ${pool.limits.memory}`,
            size: 11,
          },
        ]
      : []),
    { text: `up to ${plural(p.nodes, "node")} in this AZ`, size: 11 },
    ...(p.surgeNodes > 0 ? [{ text: `+${formatCount(p.surgeNodes)} beside them in a ${p.surge}`, size: 11 }] : []),
    ...(g?.surge.replacement === "destroyBeforeCreate"
      ? [{ text: "replaced all at once, destroy before create", size: 11, italic: true }]
      : []),
  ];
  if (p.holds === "nodes and pods") lines.push({ text: "pods take addresses here too", size: 11, italic: true });
  return { kind: "nodes", lines };
}

function podsCard(p: PlacementReport): Card {
  return {
    kind: "pods",
    lines: [
      {
        text: `pods of ${p.group}${p.capacity === "nodePool" ? " (Karpenter)" : ""}`,
        size: 12,
        bold: true,
        noWrap: true,
      },
      { text: `${plural(p.nodes, "node")} × max ${formatCount(p.maxPods)} pods`, size: 11 },
    ],
  };
}

/** How full the subnet gets: a track with the used share filled, and the headroom beside it; red when over capacity. */
function usageBar(box: Box, s: SubnetReport): string[] {
  const { used, available } = s.capacity;
  const share = available === 0 ? (used > 0 ? 1 : 0) : Math.min(1, used / available);
  const over = s.capacity.free < 0;
  const label = over ? headroomPhrase(s) : `${headroomPhrase(s)} headroom`;
  const track = { ...box, width: box.width - BAR_LABEL_WIDTH };
  return [
    rect(track, { fill: COLORS.barTrack, stroke: ROLE_STYLES[s.role].stroke, strokeWidth: 0.8, radius: 2 }),
    // Anything used shows at least a sliver, so "1 of 251" is not drawn as empty.
    ...(used > 0
      ? [
          rect(
            { ...track, width: Math.max(2, Math.round(track.width * share)) },
            { fill: over ? COLORS.barOver : COLORS.barFill, radius: 2 },
          ),
        ]
      : []),
    text(box.x + box.width, box.y + box.height + 1, label, {
      size: 11,
      bold: true,
      fill: over ? COLORS.barOver : COLORS.text,
      anchor: "end",
    }),
  ];
}
