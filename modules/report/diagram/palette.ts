/** Colours and names of what the diagram draws, shared by the boxes and the legend. */
import type { SubnetRole } from "../../plan/subnets";

export interface RoleStyle {
  /** Legend and box tag, e.g. "node subnet". */
  label: string;
  fill: string;
  stroke: string;
}

export const ROLE_STYLES: Record<SubnetRole, RoleStyle> = {
  public: { label: "public subnet", fill: "#e6f4e4", stroke: "#3c8d3a" },
  node: { label: "node subnet", fill: "#e3edfa", stroke: "#2f6db5" },
  pod: { label: "pod subnet", fill: "#fdf1de", stroke: "#c27516" },
  controlPlane: { label: "control-plane subnet", fill: "#efe7f8", stroke: "#7a4fb0" },
  multus: { label: "multus subnet", fill: "#dff3f2", stroke: "#1d8782" },
};

/** Top to bottom in an AZ column: public next to the internet gateway, then the private roles. */
export const ROLE_ORDER: readonly SubnetRole[] = ["public", "node", "pod", "controlPlane", "multus"];

export const COLORS = {
  text: "#1f2933",
  muted: "#5b6670",
  vpcFill: "#fbfcfd",
  vpcStroke: "#3d4a57",
  azFill: "#f4f6f8",
  azStroke: "#a3adb8",
  card: "#ffffff",
  gateway: "#28323c",
  gatewayText: "#ffffff",
  nat: "#3c8d3a",
  service: "#f3f3f3",
  serviceStroke: "#7d7d7d",
  barTrack: "#ffffff",
  barFill: "#5b6670",
  barOver: "#c62828",
};

export const FONT_FAMILY = "Helvetica, Arial, sans-serif";
