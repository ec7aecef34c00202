/** Several environments' diagrams in one picture, one below the other (`npm run diagram -- --all`). */

const GAP = 24;

/** Stacks whole diagrams (as networkDiagramSvg draws them) vertically in one SVG document. */
export function combinedDiagramSvg(diagrams: readonly string[], title = "network plans"): string {
  const parts = diagrams.map((svg) => {
    const body = svg.replace(/^<\?xml[^>]*\?>\s*/, "").trim();
    const size = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(body);
    if (!size) throw new Error("a diagram without width and height");
    return { body, width: Number(size[1]), height: Number(size[2]) };
  });
  const width = Math.max(0, ...parts.map((p) => p.width));
  let y = 0;
  const placed = parts.map((p) => {
    const nested = p.body.replace(/^<svg /, `<svg x="0" y="${y}" `);
    y += p.height + GAP;
    return nested;
  });
  const height = Math.max(0, y - GAP);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<title>${title}</title>`,
    ...placed,
    "</svg>",
    "",
  ].join("\n");
}
