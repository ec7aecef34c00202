/**
 * The ip-assigner sidecar script, run for real with `sh`: a fake `aws` and a fake `curl` on the PATH
 * record the calls (and answer as EC2 and the API server would), and files stand in for the pod's
 * network namespace (/sys/class/net, /proc/net/fib_trie), the ConfigMap's ENI map and the token.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IP_ASSIGNER_SCRIPT_FILE, ipAssignerScript } from "../modules/k8s/multus/ip-assigner";
import { said, startedPerTest, until } from "./support/processes";

const POD = { name: "cnf-demo-eu-central-1a-7d9f-x2x4q", namespace: "telco", uid: "6c1e-uid" };
/** What the builder passes for telco's cnf-demo in eu-central-1a: net1 signalling, net2 media. */
const INTERFACES =
  "net1,10.30.8.64,10.30.8.127,10.30.8.0-24,10.30.8.0 net2,10.30.12.64,10.30.12.127,10.30.12.0-24,10.30.12.0";
const MAC1 = "02:d0:29:6f:d3:a7";
const MAC2 = "02:d0:29:6f:d3:a8";
const ENI_MAP = `${MAC1} eni-0aaa\n${MAC2} eni-0bbb\n02:d0:29:6f:d3:a9 eni-0ccc\n`;

/** /proc/net/fib_trie as the kernel prints it for a pod with these addresses (and lo). */
function fibTrie(addresses: string[]): string {
  const leaves = (indent: string) =>
    [...addresses, "127.0.0.1"].flatMap((a) => [`${indent}|-- ${a}`, `${indent}   /32 host LOCAL`]);
  return [
    "Main:",
    "  +-- 0.0.0.0/0 3 0 5",
    "     |-- 0.0.0.0",
    "        /0 universe UNICAST",
    "     +-- 10.30.8.0/24 2 0 2",
    "        |-- 10.30.8.0",
    "           /24 link UNICAST",
    ...leaves("        "),
    "        |-- 10.30.8.255",
    "           /32 link BROADCAST",
    "Local:",
    "  +-- 0.0.0.0/0 3 0 5",
    ...leaves("     "),
    "     |-- 127.0.0.0",
    "        /8 host LOCAL",
    "",
  ].join("\n");
}

/** A pod's network namespace: eth0 (VPC CNI) and the Multus interfaces, as MAC and address each. */
type Netns = Record<string, [mac: string, address?: string]>;
const POD_NETNS: Netns = {
  eth0: ["0a:11:22:33:44:55", "10.30.16.23"],
  net1: [MAC1, "10.30.8.70"],
  net2: [MAC2, "10.30.12.70"],
};

interface Options {
  /** The INTERFACES variable; default: telco's signalling and media. */
  interfaces?: string;
  netns?: Netns;
  failFirst?: number;
  /** IPPool objects by name, as the API server returns them; a missing one answers 404. */
  pools?: Record<string, object>;
  /** What EC2 knows beyond the map: the instance with the node's address, and its ENIs by MAC. */
  ec2?: { instance?: string; enis?: Record<string, string> };
  unassignSeconds?: number;
}

interface Sidecar {
  dir: string;
  child: ChildProcess;
  output: () => string;
  calls: () => string[];
  api: () => string[];
  exited: Promise<number | null>;
}

const pool = (range: string, allocations: Record<string, string>) => ({
  apiVersion: "whereabouts.cni.cncf.io/v1alpha1",
  kind: "IPPool",
  metadata: {
    name: range.replace("/", "-"),
    namespace: "kube-system",
    managedFields: [{ fieldsV1: { "f:spec": { "f:allocations": { "f:70": {} } } } }],
  },
  spec: {
    range,
    allocations: Object.fromEntries(
      Object.entries(allocations).map(([offset, podref]) => [offset, { id: "c0ffee", ifname: "net1", podref }]),
    ),
  },
});
const OWN = `${POD.namespace}/${POD.name}`;
const OWN_POOLS = {
  "10.30.8.0-24": pool("10.30.8.0/24", { "70": OWN }),
  "10.30.12.0-24": pool("10.30.12.0/24", { "70": OWN }),
};

function startSidecar(options: Options = {}): Sidecar {
  const dir = mkdtempSync(join(tmpdir(), "ip-assigner-"));
  for (const d of ["bin", "sys", "proc", "sa", "pools"]) mkdirSync(join(dir, d));
  for (const [ifname, [mac]] of Object.entries(options.netns ?? POD_NETNS)) {
    mkdirSync(join(dir, "sys", ifname));
    writeFileSync(join(dir, "sys", ifname, "address"), `${mac}\n`);
  }
  const addresses = Object.values(options.netns ?? POD_NETNS).flatMap(([, a]) => (a ? [a] : []));
  writeFileSync(join(dir, "proc", "fib_trie"), fibTrie(addresses));
  writeFileSync(join(dir, "sa", "token"), "pod-bound-token");
  writeFileSync(join(dir, "sa", "ca.crt"), "CA");
  for (const [name, body] of Object.entries(options.pools ?? OWN_POOLS))
    writeFileSync(join(dir, "pools", name), JSON.stringify(body, null, 2));
  writeFileSync(
    join(dir, "ec2-enis"),
    Object.entries(options.ec2?.enis ?? {})
      .map(([mac, eni]) => `${mac} ${eni}\n`)
      .join(""),
  );
  // The fake AWS CLI records its arguments; it fails the first `failFirst` assignments, like a
  // throttled API; answers describe calls from ec2-enis; takes unassignSeconds to unassign.
  writeFileSync(
    join(dir, "bin", "aws"),
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$*" in
  *describe-network-interfaces*addresses.private-ip-address*) echo "${options.ec2?.instance ?? "None"}"; exit 0 ;;
  *describe-network-interfaces*attachment.instance-id*)
    mac=$(echo "$*" | sed -n 's/.*mac-address,Values=\\([^ ]*\\).*/\\1/p')
    eni=$(grep "^$mac " "${dir}/ec2-enis" | cut -d' ' -f2)
    echo "\${eni:-None}"; exit 0 ;;
  *unassign-private-ip-addresses*)
    echo "start $4" >> "${dir}/unassigning"; sleep ${options.unassignSeconds ?? 0}
    echo "done $4" >> "${dir}/unassigning"; echo "$*" >> "${dir}/done"; exit 0 ;;
esac
n=$(cat "${dir}/failures" 2>/dev/null || echo 0)
if [ "$n" -gt 0 ]; then echo $((n - 1)) > "${dir}/failures"; echo throttled >&2; exit 255; fi
`,
  );
  // The fake curl records method and URL; answers IPPool reads from pools/, deletes with success.
  writeFileSync(
    join(dir, "bin", "curl"),
    `#!/bin/sh
method=GET; url=
while [ $# -gt 0 ]; do
  case $1 in
    -X) method=$2; shift ;;
    --data) echo "data $2" >> "${dir}/api" ;;
    https://*) url=$1 ;;
  esac
  shift
done
echo "$method $url" >> "${dir}/api"
case $url in
  */ippools/*) f="${dir}/pools/$(basename "$url")"; [ -f "$f" ] && cat "$f" && exit 0; exit 22 ;;
esac
exit 0
`,
  );
  for (const tool of ["aws", "curl"]) chmodSync(join(dir, "bin", tool), 0o755);
  writeFileSync(join(dir, "failures"), String(options.failFirst ?? 0));
  writeFileSync(join(dir, "interfaces"), ENI_MAP);
  let output = "";
  // Its own process group, so cleaning up also ends the script's background sleep.
  const child = spawn("sh", [IP_ASSIGNER_SCRIPT_FILE], {
    detached: true,
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      INTERFACES: options.interfaces ?? INTERFACES,
      ENI_MAP: join(dir, "interfaces"),
      POD_NAME: POD.name,
      POD_NAMESPACE: POD.namespace,
      POD_UID: POD.uid,
      HOST_IP: "10.30.0.10",
      CLUSTER_NAME: "telco-core",
      KUBERNETES_SERVICE_HOST: "172.20.0.1",
      KUBERNETES_SERVICE_PORT: "443",
      SA_DIR: join(dir, "sa"),
      NET_SYS: join(dir, "sys"),
      NET_PROC: join(dir, "proc"),
      STATE_DIR: join(dir, "state"),
      POLL_SECONDS: "0.05",
      DELETE_AFTER_SECONDS: "0",
    },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  // "close", not "exit": the process can have exited before node has read the last of its output.
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const lines = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trim().split("\n") : [];
  return { dir, child, output: () => output, calls: () => lines("calls"), api: () => lines("api"), exited };
}

const started = (s: Sidecar) => existsSync(join(s.dir, "state", "started"));
const assign = (eni: string, address: string) =>
  `ec2 assign-private-ip-addresses --network-interface-id ${eni} --private-ip-addresses ${address} --allow-reassignment`;
const unassign = (eni: string, address: string) =>
  `ec2 unassign-private-ip-addresses --network-interface-id ${eni} --private-ip-addresses ${address} --cli-connect-timeout 3 --cli-read-timeout 5`;
const POOL_URL = "https://172.20.0.1:443/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/kube-system/ippools";

// Real processes: under a loaded machine (the whole suite in parallel) they can take seconds.
jest.setTimeout(20000);

describe("ip-assigner.sh", () => {
  const start = startedPerTest(startSidecar);

  it("assigns the address each interface has in the pod's network namespace to the ENI of its MAC, with reassignment allowed, then reports started", async () => {
    const s = start();
    await until(() => started(s), "the started file");
    expect(s.calls()).toEqual([assign("eni-0aaa", "10.30.8.70"), assign("eni-0bbb", "10.30.12.70")]);
    // eth0 (the VPC CNI's) and lo are left alone; the map was enough, so EC2 was not asked, nor the API server.
    expect(s.calls().join("\n")).not.toMatch(/10\.30\.16\.23|127\.0\.0\.1|describe/);
    expect(s.api()).toEqual([]);
  });

  it("on SIGTERM, unassigns the addresses whereabouts still holds for this pod, and exits 0", async () => {
    const s = start();
    await until(() => started(s), "the started file");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls().slice(2).sort()).toEqual([
      unassign("eni-0aaa", "10.30.8.70"),
      unassign("eni-0bbb", "10.30.12.70"),
    ]);
    expect(s.api().sort()).toEqual([`GET ${POOL_URL}/10.30.12.0-24`, `GET ${POOL_URL}/10.30.8.0-24`]);
    await said(s.output, "ip-assigner: stopping");
  });

  it("leaves an address that whereabouts has already given to another pod (a force-deleted pod's successor on the same ENI)", async () => {
    const taken = pool("10.30.8.0/24", { "70": "telco/cnf-demo-eu-central-1a-7d9f-newpod", "71": OWN });
    const s = start({ pools: { ...OWN_POOLS, "10.30.8.0-24": taken } });
    await until(() => started(s), "the started file");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls().filter((c) => c.includes("unassign"))).toEqual([unassign("eni-0bbb", "10.30.12.70")]);
    await said(
      s.output,
      "left 10.30.8.70 on eni-0aaa: whereabouts has given it to telco/cnf-demo-eu-central-1a-7d9f-newpod",
    );
  });

  it("unassigns an address whereabouts has freed, and leaves one whose pool it cannot read (better a leak than another pod's address gone)", async () => {
    const s = start({ pools: { "10.30.12.0-24": pool("10.30.12.0/24", {}) } });
    await until(() => started(s), "the started file");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls().filter((c) => c.includes("unassign"))).toEqual([unassign("eni-0bbb", "10.30.12.70")]);
    await said(
      s.output,
      "could not read whereabouts' pool 10.30.8.0-24; leaving 10.30.8.70 on eni-0aaa (the next pod given it takes it over)",
    );
  });

  it("with little time left after SIGTERM, releases every address at once: both unassigns run side by side and finish before a SIGKILL 2 s later, which two 1 s calls in a row would not beat", async () => {
    const s = start({ unassignSeconds: 1 });
    await until(() => started(s), "the started file");
    s.child.kill("SIGTERM");
    // The kubelet's last word when the app used up the grace period: SIGKILL 2 s after the sidecar's SIGTERM.
    await new Promise((r) => setTimeout(r, 2000));
    try {
      process.kill(-s.child.pid!, "SIGKILL");
    } catch {
      // it was done already
    }
    await s.exited;
    const done = existsSync(join(s.dir, "done")) ? readFileSync(join(s.dir, "done"), "utf8").trim().split("\n") : [];
    expect(done.sort()).toEqual([unassign("eni-0aaa", "10.30.8.70"), unassign("eni-0bbb", "10.30.12.70")]);
    // Both calls were under way before either finished.
    const order = readFileSync(join(s.dir, "unassigning"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" ")[0]);
    expect(order).toEqual(["start", "start", "done", "done"]);
  });

  it("deletes its own pod (uid precondition) when an interface is missing from its network namespace, and assigns nothing", async () => {
    const s = start({ netns: { eth0: POD_NETNS.eth0, net1: [MAC1, "10.30.8.70"] } });
    await until(() => s.api().some((c) => c.startsWith("DELETE")), "the delete call");
    expect(s.api()).toEqual([
      `data {"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"${POD.uid}"}}`,
      `DELETE https://172.20.0.1:443/api/v1/namespaces/telco/pods/${POD.name}`,
    ]);
    await said(
      s.output,
      `this pod's network namespace lacks net2 (no such interface): Multus did not attach its networks; deleting pod telco/${POD.name}`,
    );
    await until(() => s.output().includes(`deleted pod telco/${POD.name}`), "the deleted message");
    expect([started(s), s.calls()]).toEqual([false, []]);
    // Its SIGTERM then (the pod going away) has nothing to release.
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls()).toEqual([]);
  });

  it("deletes its own pod when an interface is there but without an address of its network's range (eth0-only sandbox, stale annotation)", async () => {
    const s = start({ netns: { eth0: POD_NETNS.eth0, net1: [MAC1, "10.30.8.5"], net2: [MAC2] } });
    // The log line is read from a pipe, asynchronously: under load it can arrive after the call.
    await until(() => s.api().some((c) => c.startsWith("DELETE")) && s.output().includes("lacks"), "the delete call");
    await said(
      s.output,
      "lacks net1 (no address in 10.30.8.64-10.30.8.127) net2 (no address in 10.30.12.64-10.30.12.127)",
    );
    expect(s.calls()).toEqual([]);
  });

  it("retries a failed assignment and releases on SIGTERM only what it assigned", async () => {
    const s = start({ failFirst: 2 });
    await until(() => started(s), "the started file");
    const assigns = s.calls().filter((c) => c.includes(" assign-"));
    expect(assigns.filter((c) => c.includes("eni-0aaa"))).toHaveLength(3); // two throttled, then done
    await said(s.output, "could not assign 10.30.8.70 to eni-0aaa; trying again");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(
      s
        .calls()
        .filter((c) => c.includes("unassign"))
        .sort(),
    ).toEqual([unassign("eni-0aaa", "10.30.8.70"), unassign("eni-0bbb", "10.30.12.70")]);
  });

  it("finds the ENI of a MAC the map does not know (a node added since) in EC2: its own instance by the node's address, then the Multus ENI with that MAC on it", async () => {
    const unknown = "02:00:00:00:00:01";
    const other = "02:00:00:00:00:02";
    const s = start({
      netns: { ...POD_NETNS, net1: [unknown, "10.30.8.70"], net2: [other, "10.30.12.70"] },
      ec2: { instance: "i-0123456789abcdef0", enis: { [unknown]: "eni-0new1", [other]: "eni-0new2" } },
    });
    await until(() => started(s), "the started file");
    const filters = (...f: string[]) => f.map((x) => `Name=${x}`).join(" ");
    expect(s.calls()).toEqual([
      `ec2 describe-network-interfaces --filters ${filters("addresses.private-ip-address,Values=10.30.0.10", "tag:Cluster,Values=telco-core")} --query NetworkInterfaces[0].Attachment.InstanceId --output text`,
      `ec2 describe-network-interfaces --filters ${filters("attachment.instance-id,Values=i-0123456789abcdef0", `mac-address,Values=${unknown}`, "tag:node.k8s.amazonaws.com/no_manage,Values=true")} --query NetworkInterfaces[0].NetworkInterfaceId --output text`,
      assign("eni-0new1", "10.30.8.70"),
      // The instance is looked up once.
      `ec2 describe-network-interfaces --filters ${filters("attachment.instance-id,Values=i-0123456789abcdef0", `mac-address,Values=${other}`, "tag:node.k8s.amazonaws.com/no_manage,Values=true")} --query NetworkInterfaces[0].NetworkInterfaceId --output text`,
      assign("eni-0new2", "10.30.12.70"),
    ]);
  });

  it("assigns nothing for a MAC that neither the map nor EC2 knows as a Multus ENI of its instance, says so and keeps trying", async () => {
    const s = start({
      netns: { ...POD_NETNS, net1: ["02:00:00:00:00:01", "10.30.8.70"] },
      ec2: { instance: "i-0123456789abcdef0" },
    });
    await until(
      () =>
        s
          .output()
          .includes(
            "MAC 02:00:00:00:00:01 (net1) is in no Multus ENI of this cluster that the map or EC2 knows on this node; trying again",
          ),
      "the unknown-MAC message",
    );
    await until(() => s.calls().filter((c) => c.includes("mac-address")).length >= 2, "a second attempt");
    expect(started(s)).toBe(false);
    expect(s.calls().filter((c) => c.includes("assign-private"))).toEqual([]);
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
  });

  describe("with fixed addresses (public networks: the node slot's ENI's own, given by Terraform)", () => {
    /** What the builder passes for telco-edge's sbc on edge-0: transit-a and transit-b, pool "-". */
    const FIXED = "net1,10.40.8.16,10.40.8.16,-,- net2,10.40.9.16,10.40.9.16,-,-";
    const EDGE_NETNS: Netns = {
      eth0: ["0a:11:22:33:44:55", "10.40.16.23"],
      net1: [MAC1, "10.40.8.16"],
      net2: [MAC2, "10.40.9.16"],
    };

    it("checks the interfaces, makes no AWS call and no API call, and reports started; on SIGTERM it releases nothing", async () => {
      const s = start({ interfaces: FIXED, netns: EDGE_NETNS });
      await until(() => started(s), "the started file");
      expect([s.calls(), s.api()]).toEqual([[], []]);
      // The started file can be there before node has read the line written just before it.
      const fixed = "10.40.8.16 on net1 (02:d0:29:6f:d3:a7) is its ENI's own address, fixed by Terraform";
      await until(() => s.output().includes(fixed), "the fixed-address line");
      s.child.kill("SIGTERM");
      expect(await s.exited).toBe(0);
      expect([s.calls(), s.api()]).toEqual([[], []]);
    });

    it("on a pod with a whereabouts network too, assigns and releases only the whereabouts address", async () => {
      const s = start({
        interfaces: "net1,10.30.8.64,10.30.8.127,10.30.8.0-24,10.30.8.0 net2,10.40.9.16,10.40.9.16,-,-",
        netns: { ...EDGE_NETNS, net1: [MAC1, "10.30.8.70"] },
      });
      await until(() => started(s), "the started file");
      expect(s.calls()).toEqual([assign("eni-0aaa", "10.30.8.70")]);
      s.child.kill("SIGTERM");
      expect(await s.exited).toBe(0);
      expect(s.calls().slice(1)).toEqual([unassign("eni-0aaa", "10.30.8.70")]);
    });

    it("deletes its own pod when an interface lacks its fixed address (Multus was not in the chain)", async () => {
      const s = start({ interfaces: FIXED, netns: { eth0: EDGE_NETNS.eth0, net1: EDGE_NETNS.net1 } });
      await until(() => s.api().some((c) => c.startsWith("DELETE")), "the delete call");
      await said(s.output, "lacks net2 (no such interface)");
      expect(s.calls()).toEqual([]);
    });
  });

  it("is what the ConfigMap ships, and has nothing Terraform would read as a template", () => {
    const script = ipAssignerScript();
    expect(script).toBe(readFileSync(IP_ASSIGNER_SCRIPT_FILE, "utf8"));
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).not.toMatch(/\$\{|%\{/);
  });
});
