/**
 * Where things go: the page width from the number of AZs, the AZ columns inside the VPC, and rows
 * shared by all columns (one per subnet role present), each as tall as its tallest subnet, so the
 * same role lines up across AZs.
 */
import type { Box } from "./svg";

export const MARGIN = 24;
export const VPC_PAD = 16;
export const COLUMN_GAP = 14;
export const AZ_PAD = 8;
export const AZ_HEADER = 30;
export const ROW_GAP = 10;
/** Narrower columns would wrap most lines of a subnet box. */
const MIN_COLUMN_WIDTH = 270;
/** Below this, the title and the legend get cramped; fewer AZs get wider columns instead. */
const MIN_PAGE_WIDTH = 980;

export function pageWidth(azCount: number): number {
  return Math.max(MIN_PAGE_WIDTH, 2 * MARGIN + 2 * VPC_PAD + azCount * MIN_COLUMN_WIDTH + (azCount - 1) * COLUMN_GAP);
}

export function columnWidth(width: number, azCount: number): number {
  return Math.floor((width - 2 * MARGIN - 2 * VPC_PAD - (azCount - 1) * COLUMN_GAP) / azCount);
}

/** Width of a subnet box inside its AZ column. */
export const subnetWidth = (column: number): number => column - 2 * AZ_PAD;

export interface GridLayout {
  columns: Box[];
  /** Top and height of each row, in the order given. */
  rows: Array<{ y: number; height: number }>;
  /** Bottom of the AZ columns. */
  bottom: number;
}

/** AZ columns from `top`, with rows as tall as the tallest cell in each (`cellHeights[row][column]`, 0 when empty). */
export function gridLayout(width: number, azCount: number, top: number, cellHeights: number[][]): GridLayout {
  const column = columnWidth(width, azCount);
  const rows: GridLayout["rows"] = [];
  let y = top + AZ_HEADER;
  for (const heights of cellHeights) {
    const height = Math.max(0, ...heights);
    rows.push({ y, height });
    y += height + ROW_GAP;
  }
  const bottom = y - ROW_GAP + AZ_PAD;
  const columns = Array.from({ length: azCount }, (_, i) => ({
    x: MARGIN + VPC_PAD + i * (column + COLUMN_GAP),
    y: top,
    width: column,
    height: bottom - top,
  }));
  return { columns, rows, bottom };
}
