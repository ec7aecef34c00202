/**
 * A stack of text lines inside a box: measured first (so rows can share a height), drawn after.
 * Long lines wrap at spaces, so nothing runs over the box edge.
 */
import { text, type TextStyle } from "./svg";
import { fitText, wrapText } from "./text-metrics";

export interface TextLine extends Omit<TextStyle, "anchor"> {
  text: string;
  /** Never wrapped; shortened with "…" when too long (names, CIDRs). */
  noWrap?: boolean;
  /** The whole text of a shortened line, shown as a tooltip. */
  full?: string;
}

export const lineHeight = (size: number): number => Math.round(size * 1.35);

/** The lines as they will be drawn in `width`: wrapped and shortened. */
export function layoutLines(lines: TextLine[], width: number): TextLine[] {
  return lines.flatMap((l) => {
    if (!l.noWrap) return wrapText(l.text, width, l.size, l.bold).map((t) => ({ ...l, text: t }));
    const shown = fitText(l.text, width, l.size, l.bold);
    return [shown === l.text ? l : { ...l, text: shown, full: l.text }];
  });
}

export const linesHeight = (lines: TextLine[]): number => lines.reduce((h, l) => h + lineHeight(l.size), 0);

/** Draws laid-out lines downwards from `top`, left-aligned at `x`. */
export function drawLines(lines: TextLine[], x: number, top: number): string[] {
  let y = top;
  return lines.map((l) => {
    y += lineHeight(l.size);
    // The baseline sits 0.3 of the size above the line's bottom: room for descenders.
    return text(x, y - Math.round(l.size * 0.3), l.text, l, l.full);
  });
}
