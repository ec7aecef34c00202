/**
 * The Multus environment (telco) end to end, as synthesized: the pod ranges reserved in their
 * subnets, Multus, whereabouts and the NetworkAttachmentDefinitions in the cni stack (every object
 * schema-checked), the fixed Multus nodes with their interfaces, and the example workload with its
 * ip-assigner sidecar and IAM role.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { loadEnvironment } from "../modules/load/load";
import { cidr, containsAddress, formatAddress, parseAddress, awsReservedAddresses } from "../modules/plan/cidr";
import { MULTUS_CRDS, NETWORK_ATTACHMENT_DEFINITION_CRD } from "../modules/k8s/multus/crds";
import { awsCliImage, multusImage, whereaboutsImage } from "../modules/plan/images";
import { nodeReadinessObjects } from "../modules/k8s/multus/node-readiness";
import { multusObjects } from "../modules/k8s/multus/multus-daemonset";
import { networkAttachmentDefinition } from "../modules/k8s/multus/network-attachments";
import { multusRanges } from "../modules/plan/multus-ranges";
import { whereaboutsObjects } from "../modules/k8s/multus/whereabouts";
import { ipAssignerScript } from "../modules/k8s/multus/ip-assigner";
import { IP_ASSIGNER_ACTIONS } from "../modules/constructs/multus/ip-assigner-role";
import {
  customResourceSchemaError,
  kubernetesSchemaError,
  manifestReleases,
  type CrdDocument,
} from "./support/kubernetes";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";
import {
  dataSources,
  decodeBase64encode,
  only,
  policyStatements,
  ref,
  resolveCrossStack,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";
import { referenceFile } from "./support/reference";

type Subnet = { availability_zone: string; cidr_block: string; tags: Record<string, string> };
type Reservation = { subnet_id: string; cidr_block: string; reservation_type: string };
type Eni = {
  subnet_id: string;
  security_groups: string[];
  tags: Record<string, string>;
  lifecycle?: { ignore_changes: string[] };
};
type LaunchTemplate = {
  user_data: string;
  image_id: string;
  iam_instance_profile?: { arn: string };
  network_interfaces?: Array<{ device_index: number; network_interface_id: string; delete_on_termination: string }>;
  tag_specifications: Array<{ resource_type: string }>;
  metadata_options: { http_tokens: string; http_put_response_hop_limit: number };
  block_device_mappings: Array<{ ebs: { encrypted: string; volume_type: string; volume_size: number } }>;
};
type Instance = {
  instance_type: string;
  launch_template: { id: string; version: string };
  maintenance_options: { auto_recovery: string };
  depends_on: string[];
  tags: Record<string, string>;
};
type Nad = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { config: string };
};
type CniConfig = {
  cniVersion: string;
  name: string;
  type: string;
  master: string;
  mode: string;
  ipam: { type: string; range: string; range_start: string; range_end: string; gateway: string };
};

const REFERENCE_NAD_CRD = referenceFile("nad-crd.yaml");
const referenceNadCrd = (): CrdDocument =>
  parseAllDocuments(readFileSync(REFERENCE_NAD_CRD, "utf8"))
    .map((d) => d.toJS())
    .find((d) => d?.kind === "CustomResourceDefinition");
/** `${aws_x.ID.attr}` -> ID */
const idOf = (reference: string) => /^\$\{(?:data\.)?[\w]+\.([\w-]+)\.[\w.[\]]+\}$/.exec(reference)![1];

describe("Multus end to end, telco", () => {
  const { env } = loadEnvironment({ EKS_ENV: "telco" });
  let synth: Synthesized;
  let network: TfJson;
  let nodes: TfJson;
  beforeAll(() => {
    synth = synthNamed("telco");
    network = synth.stack("network");
    nodes = synth.stack("nodes");
  });
  afterAll(() => synth.cleanup());

  /** The subnet (network stack) a same-stack `${aws_subnet.x.id}` names. */
  const networkSubnet = (reference: string) => resources<Subnet>(network, "aws_subnet")[idOf(reference)];

  it("synthesizes all five stacks, each after the one before", () => {
    expect([...synth.stacks].sort()).toEqual(["cluster", "cni", "network", "nodes", "workloads"]);
    const order = ["network", "cluster", "cni", "nodes", "workloads"];
    order
      .slice(1)
      .forEach((stack, i) =>
        expect([stack, synth.manifest.stacks[stack].dependencies]).toEqual([stack, expect.arrayContaining([order[i]])]),
      );
  });

  describe("network", () => {
    it("reserves each network's range explicitly in its AZ's Multus subnet of the network's interface", () => {
      // The pod subnets' prefix reservations are the other reservations here (prefix-reservations tests).
      const reservations = Object.values(resources<Reservation>(network, "aws_ec2_subnet_cidr_reservation"))
        .filter((r) => r.reservation_type === "explicit")
        .map((r) => {
          const subnet = networkSubnet(r.subnet_id);
          return [
            subnet.availability_zone,
            subnet.cidr_block,
            subnet.tags["eks-custom-networking/role"],
            r.cidr_block,
            r.reservation_type,
          ];
        });
      expect(reservations.sort()).toEqual(
        [
          ["eu-central-1a", "10.30.8.0/24", "multus", "10.30.8.64/26", "explicit"],
          ["eu-central-1a", "10.30.8.0/24", "multus", "10.30.8.128/26", "explicit"],
          ["eu-central-1a", "10.30.12.0/24", "multus", "10.30.12.64/26", "explicit"],
          ["eu-central-1b", "10.30.9.0/24", "multus", "10.30.9.64/26", "explicit"],
          ["eu-central-1b", "10.30.9.0/24", "multus", "10.30.9.128/26", "explicit"],
          ["eu-central-1b", "10.30.13.0/24", "multus", "10.30.13.64/26", "explicit"],
        ].sort(),
      );
    });

    it("outputs the ranges by network and AZ", () => {
      const output = network.output!.multus_reservations.value as Record<
        string,
        Record<string, { id: string; cidr: string }>
      >;
      expect(Object.keys(output).sort()).toEqual(["media", "oam", "signalling"]);
      expect(Object.keys(output.media)).toEqual(["eu-central-1a", "eu-central-1b"]);
    });
  });

  describe("cni: Multus, whereabouts and the networks", () => {
    const releases = () => manifestReleases(synth.stack("cni"));
    const release = (name: string) => releases().find((r) => r.release.name === name)!;
    const nads = () => release("multus-networks-telco").objects as unknown as Nad[];

    it("installs the CRDs first and everything else after them, so a fresh cluster deploys in one run", () => {
      const crds = release("multus-crds");
      expect(crds.objects.map((o) => [o.kind, o.metadata!.name])).toEqual([
        ["CustomResourceDefinition", "network-attachment-definitions.k8s.cni.cncf.io"],
        ["CustomResourceDefinition", "ippools.whereabouts.cni.cncf.io"],
        ["CustomResourceDefinition", "nodeslicepools.whereabouts.cni.cncf.io"],
        ["CustomResourceDefinition", "overlappingrangeipreservations.whereabouts.cni.cncf.io"],
      ]);
      for (const name of ["multus", "whereabouts", "multus-networks-telco"]) {
        expect([name, release(name).release.depends_on]).toEqual([name, [`helm_release.${crds.id}`]]);
      }
      expect(crds.release.depends_on).toBeUndefined();
    });

    it("ships the NetworkAttachmentDefinition CRD that AWS ships for EKS (descriptions aside)", () => {
      const strip = (v: unknown): unknown =>
        Array.isArray(v)
          ? v.map(strip)
          : v && typeof v === "object"
            ? Object.fromEntries(
                Object.entries(v)
                  .filter(([k]) => k !== "description")
                  .map(([k, x]) => [k, strip(x)]),
              )
            : v;
      const ours = release("multus-crds").objects[0] as unknown as CrdDocument & { metadata: { name: string } };
      const reference = referenceNadCrd() as CrdDocument & { metadata: { name: string } };
      // Our metadata adds the keep policy (multus-operations.test.ts); the definition is AWS's.
      expect([ours.metadata.name, strip(ours.spec)]).toEqual([reference.metadata.name, strip(reference.spec)]);
    });

    it("has one NetworkAttachmentDefinition per network per AZ, each valid against the reference CRD", () => {
      expect(nads().map((n) => `${n.metadata.namespace}/${n.metadata.name}`)).toEqual([
        "telco/signalling-eu-central-1a",
        "telco/signalling-eu-central-1b",
        "telco/oam-eu-central-1a",
        "telco/oam-eu-central-1b",
        "telco/media-eu-central-1a",
        "telco/media-eu-central-1b",
      ]);
      for (const nad of nads())
        expect([nad.metadata.name, customResourceSchemaError(nad, referenceNadCrd())]).toEqual([
          nad.metadata.name,
          undefined,
        ]);
      // The check is able to fail: a config that is not a string is rejected.
      expect(
        customResourceSchemaError({ ...nads()[0], spec: { config: 1 } } as unknown as Nad, referenceNadCrd()),
      ).toBeDefined();
    });

    it("gives each NAD an ipvlan config on the right master, whose whereabouts range is the subnet and whose pool is exactly the reservation", () => {
      const reservations = Object.values(resources<Reservation>(network, "aws_ec2_subnet_cidr_reservation"));
      for (const nad of nads()) {
        const config = JSON.parse(nad.spec.config) as CniConfig;
        const [, name, az] = /^(\w+)-(eu-central-1[ab])$/.exec(nad.metadata.name)!;
        const spec = env.multus!.networks.find((n) => n.name === name)!;
        expect(config).toMatchObject({
          name: nad.metadata.name,
          type: "ipvlan",
          mode: "l2",
          master: `ens${5 + spec.interfaceIndex}`,
        });
        expect(config.ipam.type).toBe("whereabouts");
        // The range is the Multus subnet of the network's interface in the NAD's AZ.
        const subnet = cidr(config.ipam.range);
        expect(config.ipam.range).toBe(env.network.zones[az].multus![spec.interfaceIndex - 1]);
        const start = parseAddress(config.ipam.range_start)!;
        const end = parseAddress(config.ipam.range_end)!;
        expect([containsAddress(subnet, start), containsAddress(subnet, end), start <= end]).toEqual([
          true,
          true,
          true,
        ]);
        for (const reserved of awsReservedAddresses(subnet)) expect(reserved < start || reserved > end).toBe(true);
        expect(config.ipam.gateway).toBe(formatAddress(subnet.first + 1));
        // ... and the pool is exactly the explicit CIDR reservation in that subnet.
        const matching = reservations.filter(
          (r) =>
            networkSubnet(r.subnet_id).cidr_block === config.ipam.range &&
            cidr(r.cidr_block).first === start &&
            cidr(r.cidr_block).last === end,
        );
        expect([nad.metadata.name, matching.length]).toEqual([nad.metadata.name, 1]);
      }
    });

    it("runs the thick Multus image AWS publishes for EKS in the region's registry, and whereabouts pinned, on Multus nodes only", () => {
      const images = (name: string) =>
        release(name)
          .objects.filter((o) => o.kind === "DaemonSet" && o.metadata!.name !== "multus-node-readiness")
          .flatMap((ds) => {
            const pod = (
              ds as unknown as {
                spec: {
                  template: {
                    spec: {
                      nodeSelector: Record<string, string>;
                      containers: Array<{ image: string }>;
                      initContainers?: Array<{ image: string }>;
                    };
                  };
                };
              }
            ).spec.template.spec;
            expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "eks-custom-networking/multus": "true" });
            return [...pod.containers, ...(pod.initContainers ?? [])].map((c) => c.image);
          });
      expect([...new Set(images("multus"))]).toEqual([
        "602401143452.dkr.ecr.eu-central-1.amazonaws.com/eks/multus-cni:v4.1.4-eksbuild.3_thick",
      ]);
      expect(images("whereabouts")).toEqual(["ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4"]);
      const config = release("multus").objects.find((o) => o.kind === "ConfigMap") as unknown as {
        data: Record<string, string>;
      };
      expect(JSON.parse(config.data["daemon-config.json"])).toMatchObject({
        multusMasterCNI: "10-aws.conflist",
        multusConfigFile: "auto",
      });
    });

    it("validates every other object it installs against the Kubernetes schemas (kubernetes-models)", () => {
      const objects = releases()
        .flatMap((r) => r.objects)
        .filter((o) => o.kind !== "NetworkAttachmentDefinition");
      expect(objects.map((o) => o.kind).sort()).toEqual(
        [
          // multus: its daemon, and multus-node-readiness with its admission policy
          ...["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"],
          ...["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"],
          ...["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
          // whereabouts: its DaemonSet, and the reconciler with its schedule
          ...["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet", "Deployment"],
          ...Array(4).fill("CustomResourceDefinition"),
        ].sort(),
      );
      for (const o of objects)
        expect([o.kind, o.metadata?.name, kubernetesSchemaError(o)]).toEqual([o.kind, o.metadata?.name, undefined]);
    });
  });

  describe("nodes: fixed Multus nodes with their interfaces", () => {
    const instances = () => Object.entries(resources<Instance>(nodes, "aws_instance"));
    const templateOf = (instance: Instance) =>
      resources<LaunchTemplate>(nodes, "aws_launch_template")[idOf(instance.launch_template.id)];
    const eni = (reference: string) => resources<Eni>(nodes, "aws_network_interface")[idOf(reference)];

    it("runs desiredSize slots of cnf round-robin over its AZs, as m5.2xlarge instances", () => {
      expect(instances().map(([, i]) => [i.tags["eks-custom-networking/node-slot"], i.instance_type])).toEqual([
        ["cnf-0", "m5.2xlarge"],
        ["cnf-1", "m5.2xlarge"],
      ]);
      // The managed node group is only the other group.
      expect(
        Object.values(resources<{ node_group_name_prefix: string }>(nodes, "aws_eks_node_group")).map(
          (g) => g.node_group_name_prefix,
        ),
      ).toEqual(["general-"]);
    });

    it("boots each with its own interfaces at device indexes 0..2: primary in the node subnet, Multus interface i in the AZ's Multus subnet i; only those tagged no_manage", () => {
      const placed = instances().map(([, instance]) => {
        const lt = templateOf(instance);
        return lt.network_interfaces!.map((ni) => {
          const e = eni(ni.network_interface_id);
          const subnet = resolveCrossStack(synth, e.subnet_id).resource as Subnet;
          const [sg] = e.security_groups.map((s) => resolveCrossStack(synth, s));
          expect([sg.type, sg.attribute]).toEqual(["aws_eks_cluster", "vpc_config[0].cluster_security_group_id"]);
          // The interfaces outlive the instance, so a replacement gets the same ENIs back.
          expect(ni.delete_on_termination).toBe("false");
          return [
            ni.device_index,
            subnet.availability_zone,
            subnet.tags["eks-custom-networking/role"],
            subnet.cidr_block,
            e.tags["node.k8s.amazonaws.com/no_manage"] ?? "-",
          ];
        });
      });
      expect(placed).toEqual([
        [
          [0, "eu-central-1a", "node", "10.30.0.0/24", "-"],
          [1, "eu-central-1a", "multus", "10.30.8.0/24", "true"],
          [2, "eu-central-1a", "multus", "10.30.12.0/24", "true"],
        ],
        [
          [0, "eu-central-1b", "node", "10.30.1.0/24", "-"],
          [1, "eu-central-1b", "multus", "10.30.9.0/24", "true"],
          [2, "eu-central-1b", "multus", "10.30.13.0/24", "true"],
        ],
      ]);
      expect(Object.keys(resources(nodes, "aws_network_interface"))).toHaveLength(6);
    });

    it("leaves network-interface tags out of the template (EC2 refuses them when no interface is created) and keeps the node settings", () => {
      for (const [, instance] of instances()) {
        const lt = templateOf(instance);
        expect(lt.tag_specifications.map((t) => t.resource_type)).toEqual(["instance", "volume"]);
        expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
        expect(lt.block_device_mappings[0].ebs).toMatchObject({
          encrypted: "true",
          volume_type: "gp3",
          volume_size: 100,
        });
        expect(lt.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[\w-]+\.insecure_value\}$/);
        expect(instance.launch_template.version).toBe(
          ref("aws_launch_template", idOf(instance.launch_template.id), "latest_version"),
        );
        expect(instance.maintenance_options).toEqual({ auto_recovery: "default" });
        expect(instance.tags["kubernetes.io/cluster/telco-core"]).toBe("owned");
      }
    });

    it("gives the Multus nodes their own role, instance profile and EC2_LINUX access entry, created before the instances, behind the CNI gate", () => {
      const [roleId, role] = only<{ name: string }>(nodes, "aws_iam_role");
      expect(role.name).toBe("telco-core-multus-node");
      const [profileId, profile] = only<{ role: string }>(nodes, "aws_iam_instance_profile");
      expect(profile.role).toBe(ref("aws_iam_role", roleId, "name"));
      const [entryId, entry] = only<{ type: string; principal_arn: string }>(nodes, "aws_eks_access_entry");
      expect(entry).toMatchObject({ type: "EC2_LINUX", principal_arn: ref("aws_iam_role", roleId, "arn") });
      for (const [, instance] of instances()) {
        expect(templateOf(instance).iam_instance_profile).toEqual({
          arn: ref("aws_iam_instance_profile", profileId, "arn"),
        });
        expect(instance.depends_on).toEqual(
          expect.arrayContaining([
            "terraform_data.cni-ready",
            `aws_eks_access_entry.${entryId}`,
            `aws_iam_instance_profile.${profileId}`,
          ]),
        );
      }
      // The managed node group keeps the cluster's node role, whose access entry EKS makes itself.
      const [, ng] = only<{ node_role_arn: string }>(nodes, "aws_eks_node_group");
      expect(resolveCrossStack(synth, ng.node_role_arn).resource.name).toBe("telco-core-node");
    });

    it("joins with maxPods for the ENIs Multus leaves to the VPC CNI, labelled as Multus nodes, and brings the Multus interfaces up by MAC", () => {
      for (const [, instance] of instances()) {
        const lt = templateOf(instance);
        const mime = decodeBase64encode(lt.user_data);
        const [, nodeConfigPart, scriptPart] = mime.split("--NODEADM-BOUNDARY");
        const config = parse(nodeConfigPart.slice(nodeConfigPart.indexOf("\n\n") + 2));
        expect(config.kind).toBe("NodeConfig");
        expect(config.spec.kubelet.config.maxPods).toBe(110);
        const labels = Object.fromEntries(
          (config.spec.kubelet.flags[0] as string)
            .replace("--node-labels=", "")
            .split(",")
            .map((l) => l.split("=")),
        );
        expect(labels).toEqual({
          "eks-custom-networking/multus": "true",
          "eks-custom-networking/node-group": "cnf",
          role: "cnf",
          "eks-custom-networking/node-slot": instance.tags["eks-custom-networking/node-slot"],
        });
        expect(scriptPart).toContain("Content-Type: text/x-shellscript");
        const multusEnis = lt.network_interfaces!.filter((ni) => ni.device_index > 0);
        for (const ni of multusEnis) {
          expect(scriptPart).toContain(
            `cat > /etc/systemd/network/10-multus-${ni.device_index}.network <<EOF\n[Match]\nPermanentMACAddress=${ref("aws_network_interface", idOf(ni.network_interface_id), "mac_address")}\n`,
          );
        }
        expect(scriptPart).toContain("ActivationPolicy=up");
        expect(scriptPart).toContain("DHCP=no");
      }
      expect(nodes.output!.max_pods.value).toEqual({ general: 110, cnf: 110 });
    });

    it("lets CoreDNS wait for the managed group and the Multus instances", () => {
      const [, coredns] = only<{ addon_name: string; depends_on: string[] }>(nodes, "aws_eks_addon");
      expect(coredns.depends_on).toHaveLength(3);
      expect(coredns.depends_on.filter((d) => d.startsWith("aws_instance."))).toHaveLength(2);
    });
  });

  describe("workloads: the example Multus pods", () => {
    const workloads = () => synth.stack("workloads");
    const objects = () => manifestReleases(workloads())[0].objects;
    type Deployment = {
      metadata: { name: string };
      spec: {
        replicas: number;
        template: {
          metadata: { annotations: Record<string, string> };
          spec: {
            serviceAccountName: string;
            nodeSelector: Record<string, string>;
            affinity: unknown;
            initContainers: Array<{
              name: string;
              image: string;
              restartPolicy: string;
              env: Array<{ name: string; value: string }>;
              startupProbe: unknown;
            }>;
            containers: Array<{ image: string; command: string[] }>;
          };
        };
      };
    };
    const deployments = () => objects().filter((o) => o.kind === "Deployment") as unknown as Deployment[];

    it("runs one Deployment per AZ whose pods name that AZ's networks, in the listed order, on the cnf nodes of that AZ", () => {
      const [{ release }] = manifestReleases(workloads());
      expect(release).toMatchObject({ name: "cnf-demo", namespace: "telco", wait: true });
      expect(
        deployments().map((d) => [
          d.metadata.name,
          d.spec.replicas,
          d.spec.template.metadata.annotations["k8s.v1.cni.cncf.io/networks"],
          d.spec.template.spec.nodeSelector,
        ]),
      ).toEqual([
        [
          "cnf-demo-eu-central-1a",
          1,
          "telco/signalling-eu-central-1a,telco/media-eu-central-1a",
          { "topology.kubernetes.io/zone": "eu-central-1a" },
        ],
        [
          "cnf-demo-eu-central-1b",
          1,
          "telco/signalling-eu-central-1b,telco/media-eu-central-1b",
          { "topology.kubernetes.io/zone": "eu-central-1b" },
        ],
      ]);
      for (const d of deployments()) {
        expect(JSON.stringify(d.spec.template.spec.affinity)).toContain(
          '"key":"eks-custom-networking/node-group","operator":"In","values":["cnf"]',
        );
        expect(d.spec.template.spec.containers[0]).toMatchObject({
          image: "public.ecr.aws/docker/library/busybox:1.37",
          command: ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"],
        });
      }
    });

    it("starts the app only after the ip-assigner native sidecar, in the pinned AWS CLI image, has assigned both Multus addresses", () => {
      for (const d of deployments()) {
        const [sidecar] = d.spec.template.spec.initContainers;
        expect(sidecar).toMatchObject({
          name: "ip-assigner",
          image: "public.ecr.aws/aws-cli/aws-cli:2.32.9",
          restartPolicy: "Always",
        });
        expect(sidecar.startupProbe).toMatchObject({ exec: { command: ["test", "-f", "/tmp/ip-assigner/started"] } });
        const az = d.metadata.name.replace("cnf-demo-", "");
        const [subnet1, subnet2] = env.network.zones[az].multus!;
        const [signalling, media] = ["signalling", "media"].map((n) => env.multus!.networks.find((x) => x.name === n)!);
        const block = (text: string) => [formatAddress(cidr(text).first), formatAddress(cidr(text).last)].join(",");
        // net1 and net2, in the order of the networks annotation, each with its range and whereabouts' pool.
        expect(Object.fromEntries(sidecar.env.map((e) => [e.name, e.value]))).toMatchObject({
          INTERFACES: [
            `net1,${block(signalling.ranges[az])},${subnet1.replace("/", "-")},${subnet1.split("/")[0]}`,
            `net2,${block(media.ranges[az])},${subnet2.replace("/", "-")},${subnet2.split("/")[0]}`,
          ].join(" "),
          AWS_REGION: "eu-central-1",
          CLUSTER_NAME: "telco-core",
          WHEREABOUTS_NAMESPACE: "kube-system",
        });
        expect(d.spec.template.spec.serviceAccountName).toBe("cnf-demo-ip-assigner");
      }
    });

    it("validates every object against the Kubernetes schemas", () => {
      expect(objects().map((o) => o.kind)).toEqual([
        "ServiceAccount",
        "ConfigMap",
        ...["Role", "Role", "RoleBinding", "RoleBinding"],
        ...["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"],
        "Deployment",
        "Deployment",
      ]);
      for (const o of objects())
        expect([o.kind, o.metadata?.name, kubernetesSchemaError(o)]).toEqual([o.kind, o.metadata?.name, undefined]);
    });

    it("hands the sidecar the shipped script unchanged and one line per Multus ENI, MAC and id, from the nodes stack", () => {
      const config = objects().find((o) => o.kind === "ConfigMap") as unknown as { data: Record<string, string> };
      expect(config.data["ip-assigner.sh"]).toBe(ipAssignerScript());
      const lines = config.data.interfaces.trimEnd().split("\n");
      expect(lines).toHaveLength(4);
      const nodeEnis = resources<Eni>(nodes, "aws_network_interface");
      for (const line of lines) {
        const [mac, id] = line.split(" ").map((r) => resolveCrossStack(synth, r));
        expect([mac.stack, mac.type, mac.attribute, id.type, id.attribute, mac.id]).toEqual([
          "nodes",
          "aws_network_interface",
          "mac_address",
          "aws_network_interface",
          "id",
          id.id,
        ]);
        expect(nodeEnis[mac.id].tags["node.k8s.amazonaws.com/no_manage"]).toBe("true");
      }
    });

    it("gives the sidecar a role allowed exactly the two address actions, on this cluster's no_manage ENIs only, and describing interfaces in the region", () => {
      const [roleId, role] = only<{ name: string }>(workloads(), "aws_iam_role");
      expect(role.name).toBe("telco-core-cnf-demo-ip-assigner");
      const statements = policyStatements(workloads());
      const isTrust = (s: { actions?: string[] }) => s.actions?.some((a) => a.startsWith("sts:"));
      const allowed = statements.filter((s) => !isTrust(s));
      expect(allowed).toHaveLength(2);
      expect(allowed[0].actions!.sort()).toEqual(["ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]);
      expect(IP_ASSIGNER_ACTIONS).toHaveLength(2);
      expect(allowed[0].resources).toEqual(["arn:*:ec2:eu-central-1:*:network-interface/*"]);
      expect((allowed[0] as unknown as { condition: unknown[] }).condition).toEqual([
        { test: "StringEquals", variable: "aws:ResourceTag/node.k8s.amazonaws.com/no_manage", values: ["true"] },
        { test: "StringEquals", variable: "aws:ResourceTag/Cluster", values: ["telco-core"] },
      ]);
      // Describe* takes no resource-level permissions: "*", held to the region.
      expect(allowed[1]).toMatchObject({ actions: ["ec2:DescribeNetworkInterfaces"], resources: ["*"] });
      expect((allowed[1] as unknown as { condition: unknown[] }).condition).toEqual([
        { test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-central-1"] },
      ]);
      const [, attached] = only<{ role: string; policy: string }>(workloads(), "aws_iam_role_policy");
      expect(attached.role).toBe(ref("aws_iam_role", roleId, "name"));
      expect(Object.keys(dataSources(workloads(), "aws_iam_policy_document"))).toContain(idOf(attached.policy));
      // No managed policy on top.
      expect(resources(workloads(), "aws_iam_role_policy_attachment")).toEqual({});
    });

    it("has Pod Identity give the sidecar its role: trusted for telco/cnf-demo-ip-assigner only, associated before the pods start", () => {
      const [roleId] = only<{ name: string }>(workloads(), "aws_iam_role");
      const trust = policyStatements(workloads()).filter((s) =>
        s.actions?.some((a) => a.startsWith("sts:")),
      ) as unknown as Array<{
        actions: string[];
        principals: Array<{ type: string; identifiers: string[] }>;
        condition: Array<{ test: string; variable: string; values: string[] }>;
      }>;
      expect(trust).toHaveLength(1);
      expect(trust[0].actions).toEqual(["sts:AssumeRole", "sts:TagSession"]);
      expect(trust[0].principals).toEqual([{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }]);
      const tags = Object.fromEntries(trust[0].condition.map((c) => [c.variable, c.values[0]]));
      expect(tags["aws:RequestTag/kubernetes-namespace"]).toBe("telco");
      expect(tags["aws:RequestTag/kubernetes-service-account"]).toBe("cnf-demo-ip-assigner");
      expect(resolveCrossStack(synth, tags["aws:RequestTag/eks-cluster-name"]).attribute).toBe("name");

      const [associationId, association] = only<{
        cluster_name: string;
        namespace: string;
        service_account: string;
        role_arn: string;
      }>(workloads(), "aws_eks_pod_identity_association");
      expect(association).toMatchObject({
        namespace: "telco",
        service_account: "cnf-demo-ip-assigner",
        role_arn: ref("aws_iam_role", roleId, "arn"),
      });
      expect(resolveCrossStack(synth, association.cluster_name).type).toBe("aws_eks_cluster");
      // The webhook injects credentials only for an association that exists when the pod is created.
      const [{ release }] = manifestReleases(workloads());
      expect(release.depends_on).toContain(`aws_eks_pod_identity_association.${associationId}`);
      // No IRSA annotation (the webhook would inject web identity credentials too), and the pods say
      // which way they get credentials, so a switch restarts them.
      const account = objects().find((o) => o.kind === "ServiceAccount")!;
      expect(account.metadata!.annotations).toBeUndefined();
      for (const deployment of objects().filter((o) => o.kind === "Deployment") as unknown as Deployment[])
        expect(deployment.spec.template.metadata.annotations["eks-custom-networking/aws-credentials"]).toBe(
          "pod-identity",
        );
    });
  });

  describe("workloads, an environment deployed with IRSA (cluster.podIdentity off)", () => {
    it("annotates the sidecar's service account with its role, trusted through the OIDC provider for exactly its account", () => {
      const irsa = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("telco", environmentText("telco")) });
      try {
        const workloads = irsa.stack("workloads");
        const [roleId] = only<{ name: string }>(workloads, "aws_iam_role");
        const objects = manifestReleases(workloads)[0].objects;
        expect(objects.find((o) => o.kind === "ServiceAccount")!.metadata!.annotations).toEqual({
          "eks.amazonaws.com/role-arn": ref("aws_iam_role", roleId, "arn"),
        });
        const trust = policyStatements(workloads).find((s) =>
          s.actions?.includes("sts:AssumeRoleWithWebIdentity"),
        ) as unknown as {
          principals: Array<{ identifiers: string[] }>;
          condition: Array<{ variable: string; values: string[] }>;
        };
        expect(resolveCrossStack(irsa, trust.principals[0].identifiers[0]).type).toBe(
          "aws_iam_openid_connect_provider",
        );
        expect(trust.condition.find((c) => c.variable.endsWith(":sub"))!.values).toEqual([
          "system:serviceaccount:telco:cnf-demo-ip-assigner",
        ]);
        expect(resources(workloads, "aws_eks_pod_identity_association")).toEqual({});
        const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
          spec: { template: { metadata: { annotations: Record<string, string> } } };
        };
        expect(deployment.spec.template.metadata.annotations["eks-custom-networking/aws-credentials"]).toBe("irsa");
      } finally {
        irsa.cleanup();
      }
    });
  });

  // Terraform, not our decoder, is what reads the release values: where a terraform binary is on the
  // PATH, evaluate them and compare with the objects built in TypeScript (quotes and backslashes in
  // CNI configs and the script must survive cdktf's HCL rendering).
  const terraform = spawnSync("terraform", ["version"], {
    encoding: "utf8",
    env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  (terraform.status === 0 ? it : it.skip)(
    "renders every cni release's values so that Terraform reads back exactly the objects built in TypeScript",
    () => {
      const built: Record<string, unknown[]> = {
        "multus-crds": MULTUS_CRDS,
        multus: [
          ...multusObjects(multusImage(env.region, env.multus!.version)),
          ...nodeReadinessObjects(awsCliImage(env.multus!.awsCliVersion)),
        ],
        whereabouts: whereaboutsObjects(whereaboutsImage(env.multus!.whereaboutsVersion)),
        "multus-networks-telco": multusRanges(env).map(networkAttachmentDefinition),
      };
      const releases = manifestReleases(synth.stack("cni")).filter((r) => r.release.name in built);
      expect(releases).toHaveLength(4);
      for (const { release } of releases) {
        const dir = mkdtempSync(join(tmpdir(), "eks-tf-values-"));
        try {
          writeFileSync(join(dir, "main.tf"), `output "values" {\n  value = ${release.values[0].slice(2, -1)}\n}\n`);
          const run = (...args: string[]) =>
            spawnSync("terraform", args, {
              cwd: dir,
              encoding: "utf8",
              env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", TF_IN_AUTOMATION: "1" },
            });
          expect(run("init", "-input=false", "-backend=false").status).toBe(0);
          expect(run("apply", "-auto-approve", "-input=false", "-lock=false").status).toBe(0);
          const read = JSON.parse(run("output", "-raw", "values").stdout) as { objects: unknown[] };
          expect([release.name, read.objects]).toEqual([release.name, JSON.parse(JSON.stringify(built[release.name]))]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    },
  );
});

describe("Multus nodes in the public subnets", () => {
  it("give each node an Elastic IP on its primary interface, which exists before the launch and so gets no public address from the subnet", () => {
    const file = writeEnvironmentFile(
      "telco-public",
      edited("telco", (d) => (d.nodeGroups[1].subnet = "public")),
    );
    const synth = synthEnvironment({ EKS_ENV_FILE: file });
    try {
      const nodes = synth.stack("nodes");
      const eips = Object.values(resources<{ domain: string; network_interface: string }>(nodes, "aws_eip"));
      expect(eips).toHaveLength(2);
      for (const eip of eips) {
        expect(eip.domain).toBe("vpc");
        const primary = resources<Eni>(nodes, "aws_network_interface")[idOf(eip.network_interface)];
        expect(primary.tags["node.k8s.amazonaws.com/no_manage"]).toBeUndefined();
        expect(
          (resolveCrossStack(synth, primary.subnet_id).resource as Subnet).tags["eks-custom-networking/role"],
        ).toBe("public");
      }
    } finally {
      synth.cleanup();
    }
  });
});

describe("the shipped CRDs", () => {
  it("NetworkAttachmentDefinition is the one the reference file defines, as a Kubernetes object", () => {
    expect(kubernetesSchemaError(NETWORK_ATTACHMENT_DEFINITION_CRD)).toBeUndefined();
  });
});
