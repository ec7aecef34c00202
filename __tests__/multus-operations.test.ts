/**
 * Multus that keeps working through reboots, node replacement, restarts and time, read from telco's
 * synthesized output: a whereabouts that refreshes its token, AWS's current Multus DaemonSet, nodes
 * that take no Multus pod before Multus is ready and the component (with its bounded RBAC) that says
 * when it is, pods that hold AWS credentials only in their sidecar, CRDs that outlive an uninstall,
 * networkd files that win over nodeadm's, routes between the AZs, and only the project's own labels.
 */
import { parse } from "yaml";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { loadEnvironment } from "../modules/load/load";
import { compareReleases, WHEREABOUTS_TOKEN_REFRESH_VERSION } from "../modules/plan/images";
import { cidr, formatAddress } from "../modules/plan/cidr";
import { APP_STOP_SECONDS, IP_ASSIGNER_STOP_SECONDS } from "../modules/k8s/multus/ip-assigner";
import type { KubernetesObject } from "../modules/k8s/kubernetes-object";
import { manifestReleases } from "./support/kubernetes";
import { decodeBase64encode, resources, synthNamed, type Synthesized } from "./support/synth";

const TAINT = "eks-custom-networking/multus-not-ready";
type Obj = KubernetesObject & { metadata: { name: string; namespace?: string; annotations?: Record<string, string> } };
type Workload = Obj & {
  spec: { replicas?: number; template: { metadata: { annotations?: Record<string, string> }; spec: IPodSpec } };
};

/** Memory quantities as Kubernetes writes them, in MiB. */
const mebibytes = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]) || Number(/^(\d+)Gi$/.exec(q)?.[1]) * 1024;

describe("Multus over time, telco", () => {
  const { env } = loadEnvironment({ EKS_ENV: "telco" });
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("telco")));
  afterAll(() => synth.cleanup());

  const release = (stack: string, name: string) =>
    manifestReleases(synth.stack(stack)).find((r) => r.release.name === name)!;
  const objects = (stack: string, name: string) => release(stack, name).objects as Obj[];
  const object = <T = Obj>(stack: string, release: string, kind: string, name: string) =>
    objects(stack, release).find((o) => o.kind === kind && o.metadata.name === name) as unknown as T;
  const podSpec = (w: Workload) => w.spec.template.spec;
  const allContainers = (p: IPodSpec): IContainer[] => [...(p.initContainers ?? []), ...p.containers];
  const multusPods = () => objects("workloads", "cnf-demo").filter((o) => o.kind === "Deployment") as Workload[];
  const userData = () =>
    Object.values(resources<{ user_data: string }>(synth.stack("nodes"), "aws_launch_template"))
      .map((lt) => decodeBase64encode(lt.user_data))
      .filter((text) => text.includes("text/x-shellscript"));

  describe("whereabouts keeps its token fresh (after 90 days)", () => {
    const daemonSet = () => object<Workload>("cni", "whereabouts", "DaemonSet", "whereabouts");

    it("runs a release that refreshes the token, with the token watcher started beside the controller", () => {
      const [container] = podSpec(daemonSet()).containers;
      const tag = container.image!.split(":").pop()!;
      expect(compareReleases(tag, WHEREABOUTS_TOKEN_REFRESH_VERSION)).toBeGreaterThanOrEqual(0);
      expect(container.command).toEqual(["/bin/sh"]);
      const script = container.args![1].split("\n");
      // install-cni.sh is sourced, so the checksums it exports reach the watcher started next.
      expect(script.slice(0, 2)).toEqual(["SLEEP=false source /install-cni.sh", "/token-watcher.sh &"]);
      expect(script[2]).toMatch(/^\/ip-control-loop /);
      expect(container.env!.map((e) => e.name).sort()).toEqual(["NODENAME", "WHEREABOUTS_NAMESPACE"]);
    });

    it("has v0.9.4's RBAC (NodeSlicePool included) and its reconciler: one replica of /ip-reconciler reading the schedule ConfigMap", () => {
      const role = object<{ rules: Array<{ resources: string[] }> }>(
        "cni",
        "whereabouts",
        "ClusterRole",
        "whereabouts-cni",
      );
      expect(role.rules[0].resources).toEqual(["ippools", "overlappingrangeipreservations", "nodeslicepools"]);
      const reconciler = object<Workload>("cni", "whereabouts", "Deployment", "whereabouts-reconciler");
      expect(reconciler.spec.replicas).toBe(1);
      const [container] = podSpec(reconciler).containers;
      expect(container.command).toEqual(["/ip-reconciler"]);
      const volume = podSpec(reconciler).volumes![0];
      expect(volume.configMap).toMatchObject({
        name: "whereabouts-config",
        items: [{ key: "cron-expression", path: "config" }],
      });
      expect(container.volumeMounts).toEqual([{ name: volume.name, mountPath: "/cron-schedule" }]);
      const config = object<{ data: Record<string, string> }>("cni", "whereabouts", "ConfigMap", "whereabouts-config");
      expect(config.data["cron-expression"]).toBe("30 4 * * *");
      // Its release does not wait: the reconciler needs a node, and the cni stack runs before any exists.
      expect(release("cni", "whereabouts").release.wait).toBe(false);
    });
  });

  describe("the Multus DaemonSet as AWS's current EKS manifest has it", () => {
    const daemonSet = () => object<Workload>("cni", "multus", "DaemonSet", "kube-multus-ds");

    it("copies the shim with cp -f and gives the daemon at least 200Mi", () => {
      const [init] = podSpec(daemonSet()).initContainers!;
      expect(init.command!.slice(0, 2)).toEqual(["cp", "-f"]);
      const [daemon] = podSpec(daemonSet()).containers;
      expect(mebibytes(daemon.resources!.limits!.memory as string)).toBeGreaterThanOrEqual(200);
      expect(mebibytes(daemon.resources!.requests!.memory as string)).toBeGreaterThanOrEqual(200);
    });

    it("waits for the VPC CNI's conflist through readinessindicatorfile, a path that is the host's 10-aws.conflist", () => {
      const config = object<{ data: Record<string, string> }>("cni", "multus", "ConfigMap", "multus-daemon-config");
      const daemonConfig = JSON.parse(config.data["daemon-config.json"]);
      const file: string = daemonConfig.readinessindicatorfile;
      expect(file.split("/").pop()).toBe(daemonConfig.multusMasterCNI);
      const spec = podSpec(daemonSet());
      const mount = spec.containers[0].volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`))!;
      const hostPath = spec.volumes!.find((v) => v.name === mount.name)!.hostPath!.path;
      expect(hostPath + file.slice(mount.mountPath.length)).toBe("/etc/cni/net.d/10-aws.conflist");
    });
  });

  describe("no Multus pod on a node before Multus is ready there", () => {
    it("registers every Multus node with the not-ready taint", () => {
      expect(userData()).toHaveLength(2);
      for (const text of userData()) {
        const nodeConfig = parse(text.split("--NODEADM-BOUNDARY")[1].split("\n\n").slice(1).join("\n\n"));
        const flags: string[] = nodeConfig.spec.kubelet.flags;
        expect(flags).toContain(`--register-with-taints=${TAINT}:NoSchedule`);
      }
    });

    it("does not let the Multus pods tolerate it, while every per-node agent of Multus does", () => {
      const tolerates = (p: IPodSpec) =>
        (p.tolerations ?? []).some(
          (t) =>
            (t.key === TAINT || (t.key === undefined && t.operator === "Exists")) &&
            [undefined, "NoSchedule"].includes(t.effect),
        );
      expect(multusPods()).toHaveLength(2);
      for (const d of multusPods()) expect(tolerates(podSpec(d))).toBe(false);
      const agents = [
        object<Workload>("cni", "multus", "DaemonSet", "kube-multus-ds"),
        object<Workload>("cni", "multus", "DaemonSet", "multus-node-readiness"),
        object<Workload>("cni", "whereabouts", "DaemonSet", "whereabouts"),
      ];
      for (const a of agents) expect([a.metadata.name, tolerates(podSpec(a))]).toEqual([a.metadata.name, true]);
    });

    it("runs multus-node-readiness on the Multus nodes, watching the host's 00-multus.conf and the daemon's socket", () => {
      const ds = object<Workload>("cni", "multus", "DaemonSet", "multus-node-readiness");
      const spec = podSpec(ds);
      expect(spec.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "eks-custom-networking/multus": "true" });
      expect(spec.hostNetwork).toBe(true);
      const [container] = spec.containers;
      const env = Object.fromEntries(container.env!.map((e) => [e.name, e.value]));
      expect(env.TAINT_KEY).toBe(TAINT);
      const onHost = (path: string) => {
        const mount = container.volumeMounts!.find((m) => path.startsWith(`${m.mountPath}/`))!;
        expect(mount.readOnly).toBe(true);
        return spec.volumes!.find((v) => v.name === mount.name)!.hostPath!.path + path.slice(mount.mountPath.length);
      };
      expect(onHost(env.MULTUS_CONF!)).toBe("/etc/cni/net.d/00-multus.conf");
      // The socket the Multus daemon listens on: its socketDir, through its own /run mount.
      const multus = object<{ data: Record<string, string> }>("cni", "multus", "ConfigMap", "multus-daemon-config");
      const socketDir: string = JSON.parse(multus.data["daemon-config.json"]).socketDir;
      expect(socketDir).toBe("/host/run/multus/");
      expect(onHost(env.MULTUS_SOCKET!)).toBe("/run/multus/multus.sock");
      expect(spec.serviceAccountName).toBe("multus-node-readiness");
    });

    it("grants it get and patch on nodes only, bounded by an admission policy to its own node's not-ready taint", () => {
      const role = object<{ rules: unknown[] }>("cni", "multus", "ClusterRole", "multus-node-readiness");
      expect(role.rules).toEqual([{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }]);
      const binding = object<{ roleRef: { name: string }; subjects: unknown[] }>(
        "cni",
        "multus",
        "ClusterRoleBinding",
        "multus-node-readiness",
      );
      expect(binding.roleRef.name).toBe("multus-node-readiness");
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "multus-node-readiness", namespace: "kube-system" },
      ]);
      type Policy = {
        spec: {
          failurePolicy: string;
          matchConstraints: { resourceRules: unknown[] };
          matchConditions: Array<{ expression: string }>;
          validations: Array<{ expression: string }>;
        };
      };
      const policy = object<Policy>("cni", "multus", "ValidatingAdmissionPolicy", "multus-node-readiness");
      expect(policy.spec.failurePolicy).toBe("Fail");
      expect(policy.spec.matchConstraints.resourceRules).toEqual([
        { apiGroups: [""], apiVersions: ["v1"], operations: ["UPDATE"], resources: ["nodes"] },
      ]);
      expect(policy.spec.matchConditions[0].expression).toBe(
        "request.userInfo.username == 'system:serviceaccount:kube-system:multus-node-readiness'",
      );
      const [ownNode, onlyTaint, nothingElse] = policy.spec.validations.map((v) => v.expression);
      expect(ownNode).toContain(
        "object.metadata.name in request.userInfo.extra['authentication.kubernetes.io/node-name']",
      );
      expect(onlyTaint).toContain(`filter(t, t.key != '${TAINT}')`);
      expect(nothingElse).toContain("object.metadata.labels");
      const policyBinding = object<{ spec: unknown }>(
        "cni",
        "multus",
        "ValidatingAdmissionPolicyBinding",
        "multus-node-readiness",
      );
      expect(policyBinding.spec).toEqual({ policyName: "multus-node-readiness", validationActions: ["Deny"] });
    });
  });

  describe("the Multus pods", () => {
    it("give AWS credentials to the sidecar only: IRSA skips every other container, and no other container mounts a token", () => {
      for (const d of multusPods()) {
        const spec = podSpec(d);
        const others = allContainers(spec).filter((c) => c.name !== "ip-assigner");
        expect(others.length).toBeGreaterThan(0);
        expect(d.spec.template.metadata.annotations!["eks.amazonaws.com/skip-containers"].split(",").sort()).toEqual(
          others.map((c) => c.name).sort(),
        );
        expect(spec.automountServiceAccountToken).toBe(false);
        const tokenVolumes = spec.volumes!.filter((v) => v.projected?.sources?.some((s) => s.serviceAccountToken));
        expect(tokenVolumes).toHaveLength(1);
        for (const c of allContainers(spec)) {
          const mountsToken = (c.volumeMounts ?? []).some((m) => m.name === tokenVolumes[0].name);
          expect([c.name, mountsToken]).toEqual([c.name, c.name === "ip-assigner"]);
          expect((c.env ?? []).filter((e) => /^AWS_(ACCESS|SECRET|SESSION|ROLE|WEB_IDENTITY)/.test(e.name))).toEqual(
            [],
          );
        }
      }
    });

    it("leave the sidecar its time after an app that stops on SIGTERM", () => {
      for (const d of multusPods()) {
        const spec = podSpec(d);
        expect(spec.terminationGracePeriodSeconds).toBe(APP_STOP_SECONDS + IP_ASSIGNER_STOP_SECONDS);
        const app = spec.containers[0];
        expect(app.command!.join(" ")).toMatch(/trap .+ TERM/);
      }
    });

    it("may delete only themselves, and read only their networks' whereabouts pools", () => {
      const rbac = objects("workloads", "cnf-demo").filter((o) => o.kind === "Role") as Array<
        Obj & { rules: Array<{ resources: string[]; verbs: string[]; resourceNames?: string[] }> }
      >;
      const [deletePods, readPools] = rbac;
      expect([deletePods.metadata.namespace, deletePods.rules]).toEqual([
        "telco",
        [{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }],
      ]);
      // Pools are named after the NADs' ranges, the Multus subnets of the networks' interfaces.
      const subnets = [
        ...new Set(
          ["signalling", "media"].flatMap((n) => {
            const network = env.multus!.networks.find((x) => x.name === n)!;
            return Object.keys(network.ranges).map((az) => env.network.zones[az].multus![network.interfaceIndex - 1]);
          }),
        ),
      ];
      expect([
        readPools.metadata.namespace,
        readPools.rules[0].verbs,
        readPools.rules[0].resourceNames!.sort(),
      ]).toEqual(["kube-system", ["get"], subnets.map((s) => s.replace("/", "-")).sort()]);
      const policy = object<{
        spec: { validations: Array<{ expression: string }>; matchConditions: Array<{ expression: string }> };
      }>("workloads", "cnf-demo", "ValidatingAdmissionPolicy", "cnf-demo-ip-assigner");
      expect(policy.spec.matchConditions[0].expression).toContain("system:serviceaccount:telco:cnf-demo-ip-assigner");
      expect(policy.spec.validations[0].expression).toContain(
        "request.name in request.userInfo.extra['authentication.kubernetes.io/pod-name']",
      );
    });
  });

  it("keeps the CRDs on uninstall and adopts ones that exist", () => {
    const crds = release("cni", "multus-crds");
    expect(crds.objects).toHaveLength(4);
    for (const crd of crds.objects as Obj[])
      expect([crd.metadata.name, crd.metadata.annotations!["helm.sh/resource-policy"]]).toEqual([
        crd.metadata.name,
        "keep",
      ]);
    expect((crds.release as unknown as { take_ownership: boolean }).take_ownership).toBe(true);
  });

  it("names the Multus interfaces' networkd files to sort before nodeadm's 70-eks-<iface>.network, matched by permanent MAC", () => {
    for (const text of userData()) {
      const files = [...text.matchAll(/cat > (\S+) <<EOF\n\[Match\]\n(\w+)=/g)];
      expect(files).toHaveLength(2);
      for (const [, path, match] of files) {
        const name = path.split("/").pop()!;
        expect([path.startsWith("/etc/systemd/network/"), name < "70-eks-", match]).toEqual([
          true,
          true,
          "PermanentMACAddress",
        ]);
      }
    }
  });

  it("routes every network to the other AZs' Multus subnets of its interface, through its own subnet's router", () => {
    const nads = objects("cni", "multus-networks-telco") as Array<Obj & { spec: { config: string } }>;
    expect(nads).toHaveLength(6);
    for (const nad of nads) {
      const [, name, az] = /^(\w+)-(eu-central-1[ab])$/.exec(nad.metadata.name)!;
      const network = env.multus!.networks.find((n) => n.name === name)!;
      const config = JSON.parse(nad.spec.config);
      const own = env.network.zones[az].multus![network.interfaceIndex - 1];
      const others = Object.keys(network.ranges)
        .filter((z) => z !== az)
        .map((z) => env.network.zones[z].multus![network.interfaceIndex - 1]);
      expect(others.length).toBeGreaterThan(0);
      expect([nad.metadata.name, config.ipam.routes]).toEqual([
        nad.metadata.name,
        others.map((dst) => ({ dst, gw: formatAddress(cidr(own).first + 1) })),
      ]);
    }
  });

  it("gives no Multus node or pod EKS's managed-node-group labels", () => {
    for (const text of userData()) expect(text).not.toMatch(/eks\.amazonaws\.com\/(nodegroup|capacityType)/);
    for (const stack of ["cni", "workloads"])
      for (const { objects: objs } of manifestReleases(synth.stack(stack)))
        expect(JSON.stringify(objs)).not.toContain("eks.amazonaws.com/nodegroup");
  });
});
