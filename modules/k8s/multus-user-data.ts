/**
 * User data of a Multus node: the nodeadm NodeConfig (the join, maxPods, labels, as for every node)
 * and a shell part that brings the Multus interfaces up.
 *
 * The Multus interfaces' addresses must stay off the node (the pods hold them), but their links must
 * be up for ipvlan to pass traffic. Since AMI release v20251002, nodeadm writes
 * /run/systemd/network/70-eks-<iface>.network for every ENA interface present at boot, the Multus ENIs
 * included (awslabs/amazon-eks-ami #2419, nodeadm-internal udev-net-manager): DHCP, a route metric, a
 * route table and a policy rule for the ENI's primary address, matched by PermanentMACAddress.
 * systemd-networkd sorts the .network files of /etc, /run and /usr/lib together by name and applies the
 * first that matches a link (systemd.network(5)), so ours are named 10-multus-<i>.network, which sorts
 * before 70-eks-..., and match the same way, by the ENI's permanent MAC (known before the instance
 * exists). Being in /etc, they hold after a reboot or an instance recovery too.
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

/** Sorts before nodeadm's 70-eks-<iface>.network (and amazon-ec2-net-utils' 80-ec2.network). */
export const multusNetworkFile = (deviceIndex: number): string =>
  `/etc/systemd/network/10-multus-${deviceIndex}.network`;

export function multusInterfacesScript(links: MultusInterfaceLink[]): string {
  const units = links.flatMap((link) => [
    `cat > ${multusNetworkFile(link.deviceIndex)} <<EOF`,
    "[Match]",
    // As nodeadm matches: the permanent MAC, which no MAC address policy or ipvlan can change.
    `PermanentMACAddress=${link.macAddress}`,
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
