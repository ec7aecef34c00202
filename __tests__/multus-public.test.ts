/**
 * Public Multus networks end to end, read from telco-edge's synthesized output: per pod and public
 * network one Elastic IP and one association, whose private address is a fixed address inside the
 * network's subnet in the pod's AZ, on an ENI Terraform creates with exactly that address; the
 * subnet routes to the internet gateway; the ENI carries the network's own security group, which
 * lets in only what the environment allows; the pod is pinned to the slot and takes the address
 * through static IPAM chained with sbr; nothing reads a pod and no pod gets EC2 rights.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { loadEnvironment } from "../modules/load/load";
import { cidr, containsAddress, parseAddress } from "../modules/plan/cidr";
import { multusPublicPods } from "../modules/plan/multus-public";
import type { KubernetesObject } from "../modules/k8s/kubernetes-object";
import {
  customResourceSchemaError,
  kubernetesSchemaError,
  manifestReleases,
  type CrdDocument,
} from "./support/kubernetes";
import { dataSources, policyStatements, resolveCrossStack, resources, synthNamed } from "./support/synth";
import { referenceFile } from "./support/reference";

type Subnet = { availability_zone: string; cidr_block: string; map_public_ip_on_launch: boolean };
type Eni = {
  subnet_id: string;
  security_groups: string[];
  private_ips?: string[];
  tags: Record<string, string>;
  lifecycle?: { ignore_changes: string[] };
};
type Eip = { domain: string; tags: Record<string, string>; lifecycle?: { prevent_destroy: boolean } };
type Association = { allocation_id: string; network_interface_id: string; private_ip_address: string };
type Rule = { security_group_id: string; cidr_ipv4: string; ip_protocol: string; from_port?: number; to_port?: number };
type PodSpec = {
  nodeSelector: Record<string, string>;
  serviceAccountName: string;
  initContainers: Array<{ name: string; env: Array<{ name: string; value?: string }> }>;
  containers: Array<{ name: string; env?: unknown[] }>;
};
type StatefulSet = KubernetesObject & {
  metadata: { name: string; namespace: string };
  spec: { replicas: number; template: { metadata: { annotations: Record<string, string> }; spec: PodSpec } };
};
type PublicCni = {
  cniVersion: string;
  name: string;
  plugins: [
    {
      type: string;
      master: string;
      mode: string;
      ipam: { type: string; addresses: Array<{ address: string; gateway: string }> };
    },
    { type: string },
  ];
};

/** `${aws_x.ID.attr}` -> ID */
const idOf = (reference: string) => /^\$\{(?:data\.)?[\w]+\.([\w-]+)\.[\w.[\]]+\}$/.exec(reference)![1];
const referenceNadCrd = (): CrdDocument =>
  parseAllDocuments(readFileSync(referenceFile("nad-crd.yaml"), "utf8"))
    .map((d) => d.toJS())
    .find((d) => d?.kind === "CustomResourceDefinition");

describe("public Multus networks, telco-edge", () => {
  const loaded = loadEnvironment({ EKS_ENV: "telco-edge" });
  const pods = multusPublicPods(loaded.env);
  const synth = synthNamed("telco-edge");
  const network = synth.stack("network");
  const nodes = synth.stack("nodes");
  const cni = synth.stack("cni");
  const workloads = synth.stack("workloads");
  const eips = resources<Eip>(workloads, "aws_eip");
  const associations = Object.values(resources<Association>(workloads, "aws_eip_association"));
  /** The ENI (nodes stack) an association's cross-stack reference names, and its subnet (network stack). */
  const eniOf = (a: Association) => {
    const resolved = resolveCrossStack(synth, a.network_interface_id);
    expect([resolved.stack, resolved.type, resolved.attribute]).toEqual(["nodes", "aws_network_interface", "id"]);
    const eni = resolved.resource as Eni;
    const subnet = resolveCrossStack(synth, eni.subnet_id);
    expect([subnet.stack, subnet.type]).toEqual(["network", "aws_subnet"]);
    return { eni, subnet: subnet.resource as Subnet, subnetId: subnet.id };
  };

  it("plans one pod per Multus node, each with an address on both public networks", () => {
    expect(pods.map((p) => [p.podKey, p.slot.name, p.slot.az, p.addresses.map((a) => a.slotAddress.address)])).toEqual([
      ["edge/sbc-edge-0-0", "edge-0", "eu-west-1a", ["10.40.8.16", "10.40.9.16"]],
      ["edge/sbc-edge-1-0", "edge-1", "eu-west-1b", ["10.40.8.80", "10.40.9.80"]],
    ]);
  });

  describe("for each pod, one aws_eip and one aws_eip_association per public network", () => {
    it.each(pods.flatMap((p) => p.addresses.map((a) => [p.podKey, a.slotAddress.network.name] as const)))(
      "%s on %s",
      (podKey, networkName) => {
        const pod = pods.find((p) => p.podKey === podKey)!;
        const { slotAddress } = pod.addresses.find((a) => a.slotAddress.network.name === networkName)!;
        const mine = Object.entries(eips).filter(
          ([, e]) =>
            e.tags["eks-custom-networking/pod"] === podKey &&
            e.tags["eks-custom-networking/multus-network"] === networkName,
        );
        expect(mine).toHaveLength(1);
        const [eipId, eip] = mine[0];
        expect(eip.domain).toBe("vpc");
        // Kept: only public.release takes an address's block out (multus-public-addresses.test.ts).
        expect(eip.lifecycle).toEqual({ prevent_destroy: true });
        const theirs = associations.filter((a) => idOf(a.allocation_id) === eipId);
        expect(theirs).toHaveLength(1);
        const association = theirs[0];

        // The private address is the plan's fixed address, inside the network's subnet of the pod's AZ
        // and inside its reserved range there.
        expect(association.private_ip_address).toBe(slotAddress.address);
        const { eni, subnet, subnetId } = eniOf(association);
        expect(subnet.availability_zone).toBe(pod.slot.az);
        expect(subnet.cidr_block).toBe(loaded.env.network.zones[pod.slot.az].multus![slotAddress.interfaceIndex - 1]);
        const address = parseAddress(association.private_ip_address)!;
        expect(containsAddress(cidr(subnet.cidr_block), address)).toBe(true);
        expect(containsAddress(cidr(slotAddress.network.ranges[pod.slot.az]), address)).toBe(true);

        // The ENI is Terraform's, of the pod's slot and the network's interface, and holds exactly that
        // address (its primary), a list Terraform manages rather than ignores.
        expect(eni.tags.Name).toBe(`telco-edge-${pod.slot.name}-multus-${slotAddress.interfaceIndex}`);
        expect(eni.tags["node.k8s.amazonaws.com/no_manage"]).toBe("true");
        expect(eni.private_ips).toEqual([association.private_ip_address]);
        expect(eni.lifecycle?.ignore_changes ?? []).not.toContain("private_ips");

        // The subnet routes to the internet gateway, so the Elastic IP works both ways.
        const routeTables = Object.values(
          resources<{ subnet_id: string; route_table_id: string }>(network, "aws_route_table_association"),
        ).filter((r) => idOf(r.subnet_id) === subnetId);
        expect(routeTables).toHaveLength(1);
        const routes = Object.values(
          resources<{
            route_table_id: string;
            destination_cidr_block: string;
            gateway_id?: string;
            nat_gateway_id?: string;
          }>(network, "aws_route"),
        ).filter((r) => r.route_table_id === routeTables[0].route_table_id);
        expect(
          routes.map((r) => [r.destination_cidr_block, r.gateway_id?.startsWith("${aws_internet_gateway.")]),
        ).toEqual([["0.0.0.0/0", true]]);
        // The address is the Elastic IP's; the subnet gives interfaces no public address of its own.
        expect(subnet.map_public_ip_on_launch).toBe(false);
      },
    );

    it("and no other Elastic IP or association in the workloads stack", () => {
      const expected = pods.reduce((n, p) => n + p.addresses.length, 0);
      expect([Object.keys(eips).length, associations.length]).toEqual([expected, expected]);
    });
  });

  it("outputs pod -> network -> public IP", () => {
    const output = workloads.output!.pod_public_ips.value as Record<string, Record<string, string>>;
    expect(Object.keys(output).sort()).toEqual(pods.map((p) => p.podKey).sort());
    for (const pod of pods) {
      for (const { slotAddress } of pod.addresses) {
        const [eipId] = Object.entries(eips).find(
          ([, e]) =>
            e.tags["eks-custom-networking/pod"] === pod.podKey &&
            e.tags["eks-custom-networking/multus-network"] === slotAddress.network.name,
        )!;
        expect(output[pod.podKey][slotAddress.network.name]).toBe(`\${aws_eip.${eipId}.public_ip}`);
      }
    }
  });

  it("reads no pod, so a missing, Pending or restarting pod never blocks a deploy", () => {
    expect(Object.keys(dataSources(workloads, "kubernetes_resource"))).toEqual([]);
    expect(Object.keys(dataSources(workloads, "aws_network_interface"))).toEqual([]);
    // The associations depend on the EIP and the ENI only: a change of the release changes nothing of them.
    for (const a of associations) expect(JSON.stringify(a)).not.toContain("helm_release");
  });

  describe("inbound only from what each network allows, through a security group of its own", () => {
    const groups = resources<{ name: string; vpc_id: string }>(network, "aws_security_group");
    const ingress = Object.values(resources<Rule>(network, "aws_vpc_security_group_ingress_rule"));
    const egress = Object.values(resources<Rule>(network, "aws_vpc_security_group_egress_rule"));

    it("puts the network's group, and only it, on every ENI of the network", () => {
      for (const a of associations) {
        const { eni } = eniOf(a);
        expect(eni.security_groups).toHaveLength(1);
        const group = resolveCrossStack(synth, eni.security_groups[0]);
        expect([group.stack, group.type]).toEqual(["network", "aws_security_group"]);
        const pod = pods.find((p) => p.addresses.some((x) => x.slotAddress.address === a.private_ip_address))!;
        const net = pod.addresses.find((x) => x.slotAddress.address === a.private_ip_address)!.slotAddress.network;
        expect((group.resource as { name: string }).name).toBe(`telco-edge-multus-${net.name}`);
      }
    });

    it("lets in exactly the environment's sources, ports and protocols, never 0.0.0.0/0", () => {
      const byGroup = (name: string) => {
        const [id] = Object.entries(groups).find(([, g]) => g.name === name)!;
        return ingress
          .filter((r) => idOf(r.security_group_id) === id)
          .map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])
          .sort();
      };
      expect(byGroup("telco-edge-multus-transit-a")).toEqual(
        [
          ["198.51.100.0/24", "udp", 5060, 5061],
          ["198.51.100.0/24", "udp", 10000, 20000],
          ["198.51.100.0/24", "icmp", -1, -1],
        ].sort(),
      );
      expect(byGroup("telco-edge-multus-transit-b")).toEqual(
        [
          ["192.0.2.0/24", "udp", 5060, 5061],
          ["192.0.2.0/24", "udp", 10000, 20000],
        ].sort(),
      );
      expect(ingress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0")).toEqual([]);
    });

    it("lets out everything, so each public address works outbound (the group is stateful: replies come back)", () => {
      expect(egress.map((r) => [idOf(r.security_group_id), r.ip_protocol, r.cidr_ipv4]).sort()).toEqual(
        Object.keys(groups)
          .map((id) => [id, "-1", "0.0.0.0/0"])
          .sort(),
      );
    });
  });

  describe("the pods: pinned to their slot, the slot's addresses through static IPAM and sbr", () => {
    const release = manifestReleases(workloads).find((r) => r.release.name === "sbc")!;
    const statefulSets = release.objects.filter((o) => o.kind === "StatefulSet") as StatefulSet[];
    const nads = manifestReleases(cni)
      .find((r) => r.release.name === "multus-networks-edge")!
      .objects.map(
        (o) => o as KubernetesObject & { metadata: { name: string; namespace: string }; spec: { config: string } },
      );

    it("is one valid StatefulSet of one replica per slot, selecting the slot's node by its node-slot label", () => {
      expect(statefulSets.map((s) => [s.metadata.name, s.spec.replicas, s.spec.template.spec.nodeSelector])).toEqual(
        pods.map((p) => [
          p.statefulSet,
          1,
          { "topology.kubernetes.io/zone": p.slot.az, "eks-custom-networking/node-slot": p.slot.name },
        ]),
      );
      for (const object of release.objects)
        expect([object.kind, kubernetesSchemaError(object)]).toEqual([object.kind, undefined]);
    });

    it("names the slot's NetworkAttachmentDefinitions, whose static address is the associated one, with the subnet's router as gateway and sbr chained", () => {
      for (const pod of pods) {
        const statefulSet = statefulSets.find((s) => s.metadata.name === pod.statefulSet)!;
        const names = statefulSet.spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"].split(",");
        expect(names).toEqual(pod.addresses.map((a) => `edge/${a.slotAddress.network.name}-${pod.slot.name}`));
        pod.addresses.forEach(({ slotAddress }, i) => {
          const nad = nads.find((n) => `${n.metadata.namespace}/${n.metadata.name}` === names[i])!;
          expect(customResourceSchemaError(nad, referenceNadCrd())).toBeUndefined();
          const config = JSON.parse(nad.spec.config) as PublicCni;
          const subnet = cidr(slotAddress.range.subnetCidr);
          const association = associations.find((a) => a.private_ip_address === slotAddress.address)!;
          expect(config.plugins[0]).toEqual({
            type: "ipvlan",
            master: `ens${5 + slotAddress.interfaceIndex}`,
            mode: "l2",
            ipam: {
              type: "static",
              addresses: [
                {
                  address: `${association.private_ip_address}/${subnet.prefix}`,
                  gateway: slotAddress.range.gateway,
                },
              ],
            },
          });
          expect(parseAddress(slotAddress.range.gateway)).toBe(subnet.first + 1);
          expect(config.plugins[1]).toEqual({ type: "sbr" });
          expect(config.name).toBe(nad.metadata.name);
        });
      }
    });

    it("has a sidecar that checks the fixed addresses (pool -) and has no AWS credentials, nor any IAM role or IPPool access", () => {
      for (const pod of pods) {
        const spec = statefulSets.find((s) => s.metadata.name === pod.statefulSet)!.spec.template.spec;
        const env = Object.fromEntries(spec.initContainers[0].env.map((e) => [e.name, e.value]));
        expect(env.INTERFACES).toBe(
          pod.addresses.map((a, i) => `net${i + 1},${a.slotAddress.address},${a.slotAddress.address},-,-`).join(" "),
        );
      }
      const account = release.objects.find((o) => o.kind === "ServiceAccount")!;
      expect(account.metadata!.annotations).toBeUndefined();
      expect(Object.keys(resources(workloads, "aws_iam_role"))).toEqual([]);
      expect(policyStatements(workloads)).toEqual([]);
      const roles = release.objects.filter((o) => o.kind === "Role") as Array<
        KubernetesObject & { rules: Array<{ resources: string[] }> }
      >;
      expect(roles.flatMap((r) => r.rules.flatMap((rule) => rule.resources))).toEqual(["pods"]);
    });

    it("needs no whereabouts: no network takes addresses from it", () => {
      expect(manifestReleases(cni).map((r) => r.release.name)).not.toContain("whereabouts");
    });
  });

  it("keeps the nodes' own interfaces as they were: the primary ENIs' lists stay ignored", () => {
    const primaries = Object.values(resources<Eni>(nodes, "aws_network_interface")).filter((e) =>
      e.tags.Name.endsWith("-primary"),
    );
    expect(primaries).toHaveLength(2);
    for (const eni of primaries) expect(eni.lifecycle!.ignore_changes).toContain("private_ips");
  });
});
