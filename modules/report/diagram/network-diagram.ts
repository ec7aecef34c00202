/**
 * The network plan of an environment as an SVG picture: the VPC with its CIDRs, one column per AZ,
 * subnets coloured by role with their capacity, the internet and NAT gateways, the node groups, the
 * service range and the pods' Elastic IPs outside the VPC, and a legend. Deterministic (no dates, fixed ordering and number
 * formatting) so the committed docs/<env>.svg can be checked for freshness.
 *
 * Every number comes from the IP plan report, so the picture and `npm run ip-plan` always agree.
 */
import type { LoadedEnvironment } from "../../load/load";
import { ipPlanReport, type IpPlanReport, type SubnetReport } from "../ip-plan-report";
import { networkOriginPhrase } from "../network-origin";
import { plural } from "../ip-plan-text";
import type { SubnetRole } from "../../plan/subnets";
import { AZ_PAD, COLUMN_GAP, gridLayout, MARGIN, pageWidth, subnetWidth, VPC_PAD, columnWidth } from "./layout";
import { drawLegend, legendHeight, legendItems } from "./legend";
import { COLORS, FONT_FAMILY, ROLE_ORDER } from "./palette";
import { publicAddressesBox } from "./public-addresses-box";
import { measureSubnet, type MeasuredSubnet } from "./subnet-box";
import { element, escapeXml, group, line, rect, text, type Box } from "./svg";
import { drawLines, layoutLines, linesHeight, type TextLine } from "./text-block";

const GATEWAY = { width: 150, height: 30 };
const INTERNET = { width: 110, height: 28 };
const SECTION_GAP = 20;

export function networkDiagramSvg(loaded: LoadedEnvironment): string {
  return renderDiagram(ipPlanReport(loaded));
}

export function renderDiagram(report: IpPlanReport): string {
  const azCount = report.zones.length;
  const width = pageWidth(azCount);
  const out: string[] = [];

  const title = layoutLines(titleLines(report), width - 2 * MARGIN);
  out.push(...drawLines(title, MARGIN, MARGIN));
  const y = MARGIN + linesHeight(title) + SECTION_GAP;

  // The internet above the VPC, its gateway straddling the VPC's top edge.
  const center = Math.round(width / 2);
  const internet = { x: center - INTERNET.width / 2, y, ...INTERNET };
  const gateway = { x: center - GATEWAY.width / 2, y: y + INTERNET.height + 22, ...GATEWAY };
  const vpcTop = gateway.y + GATEWAY.height / 2;

  const headerLines = layoutLines(vpcHeaderLines(report), width - 2 * (MARGIN + VPC_PAD));
  const gridTop = vpcTop + GATEWAY.height / 2 + 8 + linesHeight(headerLines) + 10;
  const rows = subnetRows(report);
  const cellWidth = subnetWidth(columnWidth(width, azCount));
  const measured = rows.map((row) =>
    report.zones.map((zone) => {
      const subnet = zone.subnets.find((s) => rowKey(s) === row);
      return subnet && measureSubnet(subnet, report, cellWidth);
    }),
  );
  const grid = gridLayout(
    width,
    azCount,
    gridTop,
    measured.map((cells) => cells.map((c) => c?.height ?? 0)),
  );
  const vpc: Box = { x: MARGIN, y: vpcTop, width: width - 2 * MARGIN, height: grid.bottom + VPC_PAD - vpcTop };

  out.push(rect(vpc, { fill: COLORS.vpcFill, stroke: COLORS.vpcStroke, strokeWidth: 2, radius: 10 }));
  out.push(...drawLines(headerLines, MARGIN + VPC_PAD, vpcTop + GATEWAY.height / 2 + 4));
  out.push(...internetAndGateway(internet, gateway));
  report.zones.forEach((zone, i) => {
    const column = grid.columns[i];
    out.push(rect(column, { fill: COLORS.azFill, stroke: COLORS.azStroke, strokeWidth: 1.2, dash: "6 4", radius: 8 }));
    out.push(text(column.x + AZ_PAD + 2, column.y + 20, `AZ ${zone.az}`, { size: 14, bold: true, fill: COLORS.text }));
    measured.forEach((cells, r) => {
      const cell: MeasuredSubnet | undefined = cells[i];
      if (cell)
        out.push(
          ...cell.draw({
            x: column.x + AZ_PAD,
            y: grid.rows[r].y,
            width: subnetWidth(column.width),
            height: grid.rows[r].height,
          }),
        );
    });
  });

  // Outside the VPC: the service range, and the legend beside it.
  const belowTop = vpc.y + vpc.height + SECTION_GAP;
  const serviceWidth = Math.max(300, columnWidth(width, azCount));
  const service = serviceBox(report, { x: MARGIN, y: belowTop, width: serviceWidth });
  const legend: Box = {
    x: MARGIN + serviceWidth + COLUMN_GAP,
    y: belowTop,
    width: width - 2 * MARGIN - serviceWidth - COLUMN_GAP,
    height: 0,
  };
  const items = legendItems(report);
  legend.height = legendHeight(items, legend.width);
  out.push(...service.draw, ...drawLegend(items, legend));
  // Below the service range: the pods' Elastic IPs, when there are any.
  let leftBottom = belowTop + service.height;
  if (report.publicAddresses.length > 0) {
    const addresses = publicAddressesBox(report, { x: MARGIN, y: leftBottom + SECTION_GAP / 2, width: serviceWidth });
    out.push(...addresses.draw);
    leftBottom += SECTION_GAP / 2 + addresses.height;
  }

  const height = Math.max(leftBottom, legend.y + legend.height) + MARGIN;
  return svgDocument(
    width,
    height,
    out,
    `${report.environment.name}: network plan of EKS cluster ${report.cluster.name}`,
  );
}

function svgDocument(width: number, height: number, body: string[], title: string): string {
  const attrs = {
    xmlns: "http://www.w3.org/2000/svg",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    "font-family": FONT_FAMILY,
    role: "img",
  };
  const content = [
    element("title", {}, escapeXml(title)),
    rect({ x: 0, y: 0, width, height }, { fill: "#ffffff" }),
    group(body),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element("svg", attrs, "\n" + content.join("\n") + "\n")}\n`;
}

function titleLines(r: IpPlanReport): TextLine[] {
  return [
    {
      text: `${r.environment.name}: EKS cluster ${r.cluster.name} (Kubernetes ${r.cluster.version}) in ${r.region}`,
      size: 22,
      bold: true,
      fill: COLORS.text,
    },
    {
      text: `CNI: ${r.cni.mode} · NAT gateways: ${natWords(r)} · nodes counted at maxSize`,
      size: 14,
      fill: COLORS.text,
    },
    ...(r.environment.description ? [{ text: r.environment.description, size: 13, fill: COLORS.muted }] : []),
  ];
}

function natWords(r: IpPlanReport): string {
  switch (r.nat.mode) {
    case "single":
      return `one, in ${r.nat.zones[0]}`;
    case "perAz":
      return "one per AZ";
    case "none":
      return "the existing VPC's";
  }
}

function vpcHeaderLines(r: IpPlanReport): TextLine[] {
  const blocks = r.vpcCidrs.map((c) => `${c.cidr}${c.primary ? "" : " (secondary)"}`).join(" + ");
  const origin = networkOriginPhrase(r);
  return [
    {
      text: `VPC ${blocks} · ${plural(
        r.vpcCidrs.reduce((n, c) => n + c.addresses, 0),
        "address",
        "addresses",
      )}`,
      size: 15,
      bold: true,
      fill: COLORS.text,
    },
    ...(origin ? [{ text: origin, size: 12, fill: COLORS.muted }] : []),
  ];
}

function internetAndGateway(internet: Box, gateway: Box): string[] {
  const center = internet.x + internet.width / 2;
  return [
    line(center, internet.y + internet.height, center, gateway.y, COLORS.gateway, 2),
    rect(internet, { fill: COLORS.card, stroke: COLORS.gateway, strokeWidth: 1.5, radius: internet.height / 2 }),
    text(center, internet.y + 19, "Internet", { size: 13, bold: true, fill: COLORS.text, anchor: "middle" }),
    rect(gateway, { fill: COLORS.gateway, radius: 4 }),
    text(center, gateway.y + 20, "Internet gateway", {
      size: 13,
      bold: true,
      fill: COLORS.gatewayText,
      anchor: "middle",
    }),
  ];
}

function serviceBox(r: IpPlanReport, at: { x: number; y: number; width: number }): { height: number; draw: string[] } {
  const pad = 10;
  const lines = layoutLines(
    [
      { text: "SERVICE RANGE · OUTSIDE THE VPC", size: 11, bold: true, fill: COLORS.serviceStroke, noWrap: true },
      { text: r.serviceCidr.cidr, size: 16, bold: true, fill: COLORS.text, noWrap: true },
      { text: `${plural(r.serviceCidr.addresses, "cluster IP", "cluster IPs")}`, size: 12, fill: COLORS.text },
      { text: "Kubernetes Services, virtual", size: 12, italic: true, fill: COLORS.text },
      { text: "no subnet, no interface: kube-proxy translates them on the nodes", size: 11, fill: COLORS.muted },
    ],
    at.width - 2 * pad,
  );
  const height = linesHeight(lines) + 2 * pad;
  return {
    height,
    draw: [
      rect(
        { ...at, height },
        { fill: COLORS.service, stroke: COLORS.serviceStroke, strokeWidth: 1.2, dash: "5 3", radius: 6 },
      ),
      ...drawLines(lines, at.x + pad, at.y + pad),
    ],
  };
}

/** Row keys in drawing order: the roles present in some AZ, Multus subnets one row per interface index. */
function subnetRows(r: IpPlanReport): string[] {
  const present = (role: SubnetRole) => r.zones.flatMap((z) => z.subnets).filter((s) => s.role === role);
  return ROLE_ORDER.flatMap((role) => {
    const subnets = present(role);
    if (role !== "multus") return subnets.length > 0 ? [role] : [];
    const indexes = [...new Set(subnets.map((s) => s.interfaceIndex ?? 1))].sort((a, b) => a - b);
    return indexes.map((i) => `multus-${i}`);
  });
}

const rowKey = (s: SubnetReport): string => (s.role === "multus" ? `multus-${s.interfaceIndex ?? 1}` : s.role);
