/**
 * Small SVG string builders. Every number goes through `num` and every text through `escapeXml`, so
 * the output is well-formed and byte-for-byte reproducible.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Fixed formatting: at most one decimal, no trailing ".0", never "-0". */
export function num(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v as string)}"`)
    .join("");
}

export function element(name: string, attrs: Attributes, children?: string): string {
  return children === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

export interface ShapeStyle {
  fill: string;
  stroke?: string;
  strokeWidth?: number;
  dash?: string;
  radius?: number;
}

export function rect(box: Box, style: ShapeStyle): string {
  return element("rect", {
    x: box.x,
    y: box.y,
    width: box.width,
    height: box.height,
    rx: style.radius,
    fill: style.fill,
    stroke: style.stroke,
    "stroke-width": style.strokeWidth,
    "stroke-dasharray": style.dash,
  });
}

export function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  strokeWidth = 1.5,
  dash?: string,
): string {
  return element("line", { x1, y1, x2, y2, stroke, "stroke-width": strokeWidth, "stroke-dasharray": dash });
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  fill?: string;
  anchor?: "start" | "middle" | "end";
  italic?: boolean;
}

/** A text at its baseline; `tooltip` keeps the whole text when the shown one was shortened. */
export function text(x: number, y: number, content: string, style: TextStyle, tooltip?: string): string {
  const title = tooltip !== undefined && tooltip !== content ? element("title", {}, escapeXml(tooltip)) : "";
  return element(
    "text",
    {
      x,
      y,
      "font-size": style.size,
      "font-weight": style.bold ? "bold" : undefined,
      "font-style": style.italic ? "italic" : undefined,
      fill: style.fill,
      "text-anchor": style.anchor && style.anchor !== "start" ? style.anchor : undefined,
    },
    title + escapeXml(content),
  );
}

export const group = (children: string[], attrs: Attributes = {}): string =>
  element("g", attrs, "\n" + children.join("\n") + "\n");
