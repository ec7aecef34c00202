/**
 * multus-node-readiness.sh, run for real with `sh`: a fake `curl` on the PATH plays the API server
 * (the node, as JSON) and the Multus daemon's socket, files stand in for the host's 00-multus.conf,
 * and every PATCH is recorded with its JSON patch.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_READINESS_SCRIPT_FILE, nodeReadinessScript } from "../modules/k8s/multus/node-readiness";
import { MULTUS_NOT_READY_TAINT } from "../modules/plan/labels";
import { startedPerTest, until } from "./support/processes";

const NODE = "ip-10-30-0-10.eu-central-1.compute.internal";
const OURS = { key: MULTUS_NOT_READY_TAINT, effect: "NoSchedule" };
const OTHER = { key: "dedicated", value: "cnf", effect: "NoSchedule" };

/** The node as the API server returns it (pretty-printed, with managedFields that name taints too). */
const node = (taints?: object[]) =>
  JSON.stringify(
    {
      kind: "Node",
      apiVersion: "v1",
      metadata: {
        name: NODE,
        resourceVersion: "48213",
        labels: { "eks-custom-networking/multus": "true" },
        managedFields: [{ manager: "kubelet", fieldsV1: { "f:spec": { "f:taints": {} } } }],
      },
      spec: { providerID: "aws:///eu-central-1a/i-0123456789abcdef0", ...(taints ? { taints } : {}) },
      status: { conditions: [{ type: "Ready", status: "True" }], images: [{ names: ["busybox"], sizeBytes: 1 }] },
    },
    null,
    2,
  );

interface Options {
  /** 00-multus.conf written by the daemon. */
  config?: boolean;
  /** The daemon answers /healthz on its socket. */
  daemon?: boolean;
  node?: string;
  /** PATCH calls that fail (422, the resourceVersion test) before one succeeds. */
  failPatches?: number;
}

interface Agent {
  dir: string;
  child: ChildProcess;
  output: () => string;
  patches: () => string[];
  gets: () => number;
  events: () => string[];
  exited: Promise<number | null>;
}

function startAgent(options: Options = {}): Agent {
  const dir = mkdtempSync(join(tmpdir(), "node-readiness-"));
  for (const d of ["bin", "net.d", "sa"]) mkdirSync(join(dir, d));
  if (options.config ?? true) writeFileSync(join(dir, "net.d", "00-multus.conf"), "{}");
  if (options.daemon ?? true) writeFileSync(join(dir, "daemon-up"), "");
  writeFileSync(join(dir, "node.json"), options.node ?? node([OTHER, OURS]));
  writeFileSync(join(dir, "patch-failures"), String(options.failPatches ?? 0));
  writeFileSync(join(dir, "sa", "token"), "pod-bound-token");
  writeFileSync(join(dir, "sa", "ca.crt"), "CA");
  writeFileSync(
    join(dir, "bin", "curl"),
    `#!/bin/sh
method=GET; url=; data=; socket=
while [ $# -gt 0 ]; do
  case $1 in
    -X) method=$2; shift ;;
    --data) data=$2; shift ;;
    --unix-socket) socket=$2; shift ;;
    https://*|http://*) url=$1 ;;
  esac
  shift
done
if [ -n "$socket" ]; then
  echo socket >> "${dir}/events"
  [ "$socket" = "${dir}/multus.sock" ] && [ "$url" = http://multus/healthz ] && [ -f "${dir}/daemon-up" ] && exit 0
  exit 7
fi
[ "$url" = "https://172.20.0.1:443/api/v1/nodes/${NODE}" ] || exit 22
case $method in
  GET) echo GET >> "${dir}/gets"; echo GET >> "${dir}/events"; cat "${dir}/node.json" ;;
  PATCH)
    echo PATCH >> "${dir}/events"
    echo "$data" >> "${dir}/patches"
    n=$(cat "${dir}/patch-failures")
    if [ "$n" -gt 0 ]; then echo $((n - 1)) > "${dir}/patch-failures"; exit 22; fi ;;
esac
exit 0
`,
  );
  chmodSync(join(dir, "bin", "curl"), 0o755);
  let output = "";
  const child = spawn("sh", [NODE_READINESS_SCRIPT_FILE], {
    detached: true,
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      NODE_NAME: NODE,
      TAINT_KEY: MULTUS_NOT_READY_TAINT,
      MULTUS_CONF: join(dir, "net.d", "00-multus.conf"),
      MULTUS_SOCKET: join(dir, "multus.sock"),
      SA_DIR: join(dir, "sa"),
      KUBERNETES_SERVICE_HOST: "172.20.0.1",
      KUBERNETES_SERVICE_PORT: "443",
      POLL_SECONDS: "0.05",
      NOT_READY_POLLS: "3",
    },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const lines = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trim().split("\n") : [];
  return {
    dir,
    child,
    output: () => output,
    patches: () => lines("patches"),
    gets: () => lines("gets").length,
    events: () => lines("events"),
    exited,
  };
}

const testVersion = { op: "test", path: "/metadata/resourceVersion", value: "48213" };

// Real processes: under a loaded machine (the whole suite in parallel) they can take seconds.
jest.setTimeout(20000);

describe("multus-node-readiness.sh", () => {
  const start = startedPerTest(startAgent);

  it("removes the not-ready taint, and only it, once Multus has written 00-multus.conf and answers on its socket", async () => {
    const a = start();
    await until(() => a.patches().length > 0, "a patch");
    // Our taint is the second: remove index 1, if the node is still the one read.
    expect(JSON.parse(a.patches()[0])).toEqual([testVersion, { op: "remove", path: "/spec/taints/1" }]);
    await until(
      () => a.output().includes(`Multus is ready on ${NODE}: removed the ${MULTUS_NOT_READY_TAINT} taint`),
      "the log line",
    );
  });

  it("leaves a node that carries no such taint alone while Multus is ready", async () => {
    const a = start({ node: node([OTHER]) });
    await until(() => a.gets() >= 3, "three polls");
    expect(a.patches()).toEqual([]);
  });

  it("taints at once when Multus is not ready as it starts (after a reboot the Node keeps no registration taint)", async () => {
    const a = start({ config: false, node: node([OTHER]) });
    await until(() => a.patches().length > 0, "a patch");
    expect(JSON.parse(a.patches()[0])).toEqual([testVersion, { op: "add", path: "/spec/taints/-", value: OURS }]);
    expect(a.events().slice(0, 2)).toEqual(["GET", "PATCH"]);
    await until(
      () => a.output().includes(`Multus is not ready on ${NODE}: added the ${MULTUS_NOT_READY_TAINT} taint`),
      "the log line",
    );
  });

  it("once Multus was ready, puts the taint back only after three failed checks in a row: a daemon that died (OOM kill) left its config behind, but its socket does not answer", async () => {
    const a = start({ node: node() });
    await until(() => a.events().length >= 2, "two checks");
    expect(a.patches()).toEqual([]);
    rmSync(join(a.dir, "daemon-up"));
    await until(() => a.patches().length > 0, "a patch");
    // A node without taints gets the list; only the third failed check in a row reads the node.
    expect(JSON.parse(a.patches()[0])).toEqual([testVersion, { op: "add", path: "/spec/taints", value: [OURS] }]);
    const events = a.events();
    expect(events.slice(0, events.indexOf("PATCH") + 1).slice(-5)).toEqual([
      "socket",
      "socket",
      "socket",
      "GET",
      "PATCH",
    ]);
  });

  it("does not add the taint twice", async () => {
    const a = start({ config: false });
    await until(() => a.gets() >= 3, "three reads of the node");
    expect(a.patches()).toEqual([]);
  });

  it("tries again when a patch is refused (the node changed since it was read)", async () => {
    const a = start({ failPatches: 1 });
    await until(() => a.patches().length >= 2, "a second patch");
    await until(
      () => a.output().includes(`could not remove the ${MULTUS_NOT_READY_TAINT} taint from ${NODE}; trying again`),
      "the log line",
    );
    expect(a.patches()[1]).toBe(a.patches()[0]);
  });

  it("stops at once on SIGTERM and leaves the taint as it is", async () => {
    const a = start({ node: node([OTHER]) });
    await until(() => a.output().includes("watching"), "the start");
    a.child.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(a.patches()).toEqual([]);
  });

  it("is what the ConfigMap ships, and has nothing Terraform would read as a template", () => {
    const script = nodeReadinessScript();
    expect(script).toBe(readFileSync(NODE_READINESS_SCRIPT_FILE, "utf8"));
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).not.toMatch(/\$\{|%\{/);
  });
});
