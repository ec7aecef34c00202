/**
 * Text width without a browser: per-character estimates for Helvetica/Arial (Liberation Sans),
 * rounded up a little so that wider fallback fonts still fit. Used to size boxes and shorten texts.
 */

const NARROW = new Set("iljtfrI.,:;'|!()[]/ ");
const WIDE = new Set("mwMW@%");

function charWidth(ch: string): number {
  if (NARROW.has(ch)) return 0.32;
  if (WIDE.has(ch)) return 0.88;
  if (ch >= "A" && ch <= "Z") return 0.7;
  if (ch >= "0" && ch <= "9") return 0.58;
  return 0.56;
}

export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch);
  return em * size * (bold ? 1.08 : 1);
}

/** The text, or its longest prefix that fits with "…". */
export function fitText(text: string, maxWidth: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(chars.join("") + "…", size, bold) > maxWidth) chars.pop();
  return chars.join("").trimEnd() + "…";
}

/** Breaks a text into lines at spaces so each fits; a single word too long is shortened. */
export function wrapText(text: string, maxWidth: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    const candidate = current ? `${current} ${word}` : word;
    if (textWidth(candidate, size, bold) <= maxWidth || !current) {
      current = candidate;
    } else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  return lines.map((l) => fitText(l, maxWidth, size, bold));
}
