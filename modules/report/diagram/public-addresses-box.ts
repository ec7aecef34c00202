/**
 * The Elastic IPs of public-IP pods, outside the VPC like the service range: per workload, each
 * address by name (the pod that holds it) and what it is for. They are public addresses of the
 * region, not of a subnet; each is associated with its pod's address wherever the pod runs.
 */
import type { IpPlanReport } from "../ip-plan-report";
import { addressUsePhrase, plural } from "../ip-plan-text";
import { COLORS } from "./palette";
import { rect, type Box } from "./svg";
import { drawLines, layoutLines, linesHeight, type TextLine } from "./text-block";

export const PUBLIC_ADDRESSES_STYLE = { fill: "#fff8e1", stroke: "#b58100" };

export function publicAddressesBox(
  r: IpPlanReport,
  at: { x: number; y: number; width: number },
): { height: number; draw: string[] } {
  const pad = 10;
  const allocated = r.publicAddresses.flatMap((w) => w.addresses).filter((a) => a.use !== "release").length;
  const lines: TextLine[] = [
    { text: "ELASTIC IPS OF PODS · PUBLIC", size: 11, bold: true, fill: PUBLIC_ADDRESSES_STYLE.stroke, noWrap: true },
    { text: plural(allocated, "Elastic IP", "Elastic IPs"), size: 16, bold: true, fill: COLORS.text, noWrap: true },
    ...r.publicAddresses.flatMap((w): TextLine[] => [
      { text: `${w.workload} (replicas ${w.replicas})`, size: 12, bold: true, fill: COLORS.text },
      ...w.addresses.map((a) => ({ text: `${a.name}: ${addressUsePhrase(a, w)}`, size: 12, fill: COLORS.text })),
    ]),
    {
      text: "each associated with its pod's own address by the pod's sidecar",
      size: 11,
      fill: COLORS.muted,
    },
  ];
  const laid = layoutLines(lines, at.width - 2 * pad);
  const height = linesHeight(laid) + 2 * pad;
  const box: Box = { ...at, height };
  return {
    height,
    draw: [
      rect(box, {
        fill: PUBLIC_ADDRESSES_STYLE.fill,
        stroke: PUBLIC_ADDRESSES_STYLE.stroke,
        strokeWidth: 1.2,
        radius: 6,
      }),
      ...drawLines(laid, at.x + pad, at.y + pad),
    ],
  };
}
