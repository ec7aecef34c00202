/**
 * User data of a Multus node: the nodeadm NodeConfig (the join, maxPods, labels, as for every node)
 * and a shell part that brings the Multus interfaces up.
 *
 * On AL2023 EKS nodes, nodeadm confines amazon-ec2-net-utils to the primary interface, so an extra
 * interface stays down and unconfigured. That is half of what Multus needs: its addresses must stay
 * off the node (the pods hold them), but the link must be up for ipvlan to pass traffic. A
 * systemd-networkd file per interface, matched by the ENI's MAC (known before the instance exists),
 * sets exactly that, and, being in /etc, holds after a reboot or an instance recovery too.
 *
 * No double quotes and no dollar-brace anywhere (cdktf's base64encode and Terraform strings): the
 * MACs are Terraform references that Terraform fills in.
 */
import { nodeadmUserData, type NodeadmJoin } from "./nodeadm-user-data";

export interface MultusInterfaceLink {
  /** 1 for the first Multus ENI. */
  deviceIndex: number;
  macAddress: string;
}

export const multusNetworkFile = (deviceIndex: number): string =>
  `/etc/systemd/network/70-multus-${deviceIndex}.network`;

export function multusInterfacesScript(links: MultusInterfaceLink[]): string {
  const units = links.flatMap((link) => [
    `cat > ${multusNetworkFile(link.deviceIndex)} <<EOF`,
    "[Match]",
    `MACAddress=${link.macAddress}`,
    "[Link]",
    "ActivationPolicy=up",
    "RequiredForOnline=no",
    "[Network]",
    "DHCP=no",
    "LinkLocalAddressing=no",
    "IPv6AcceptRA=no",
    "EOF",
  ]);
  return [
    "#!/bin/sh",
    "# Multus interfaces: up, with no address of their own and no DHCP (the pods hold their addresses).",
    "set -e",
    ...units,
    "networkctl reload",
    "",
  ].join("\n");
}

export function multusNodeUserData(join: NodeadmJoin, links: MultusInterfaceLink[]): string {
  return nodeadmUserData(join, [{ contentType: "text/x-shellscript", body: multusInterfacesScript(links) }]);
}
