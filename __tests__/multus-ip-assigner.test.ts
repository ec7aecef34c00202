/**
 * The ip-assigner sidecar script, run for real with `sh`: a fake `aws` on the PATH records the calls,
 * and files stand in for the downward API annotation and the ConfigMap's ENI map.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IP_ASSIGNER_SCRIPT_FILE, ipAssignerScript } from "../modules/k8s/multus/ip-assigner";

/** What Multus writes: the default network (eth0, VPC CNI) and one entry per Multus interface. */
const NETWORK_STATUS = `[{
    "name": "aws-cni",
    "interface": "eth0",
    "ips": [
        "10.30.16.23"
    ],
    "mac": "aa:bb:cc:dd:ee:ff",
    "default": true,
    "dns": {},
    "gateway": [
        "169.254.1.1"
    ]
},{
    "name": "telco/signalling-eu-central-1a",
    "interface": "net1",
    "ips": [
        "10.30.8.70"
    ],
    "mac": "02:D0:29:6F:D3:A7",
    "dns": {}
},{
    "name": "telco/media-eu-central-1a",
    "interface": "net2",
    "ips": [
        "10.30.12.70",
        "fd00:ec2::70"
    ],
    "mac": "02:d0:29:6f:d3:a8",
    "dns": {
        "nameservers": ["10.30.0.2"]
    }
}]`;
const ENI_MAP = "02:d0:29:6f:d3:a7 eni-0aaa\n02:d0:29:6f:d3:a8 eni-0bbb\n02:d0:29:6f:d3:a9 eni-0ccc\n";

interface Sidecar {
  dir: string;
  child: ChildProcess;
  output: () => string;
  calls: () => string[];
  exited: Promise<number | null>;
  /** Writes the annotation file, as the kubelet does once Multus has set the annotation. */
  annotate: (text: string) => void;
}

function startSidecar(options: { status?: string; expected?: number; failFirst?: number } = {}): Sidecar {
  const dir = mkdtempSync(join(tmpdir(), "ip-assigner-"));
  mkdirSync(join(dir, "bin"));
  // The fake CLI records its arguments; it fails the first `failFirst` calls, like a throttled API.
  writeFileSync(
    join(dir, "bin", "aws"),
    `#!/bin/sh\necho "$*" >> "${dir}/calls"\nn=$(cat "${dir}/failures" 2>/dev/null || echo 0)\nif [ "$n" -gt 0 ]; then echo $((n - 1)) > "${dir}/failures"; echo throttled >&2; exit 255; fi\n`,
  );
  chmodSync(join(dir, "bin", "aws"), 0o755);
  writeFileSync(join(dir, "failures"), String(options.failFirst ?? 0));
  writeFileSync(join(dir, "network-status"), options.status ?? "");
  writeFileSync(join(dir, "interfaces"), ENI_MAP);
  let output = "";
  // Its own process group, so cleaning up also ends the script's background sleep.
  const child = spawn("sh", [IP_ASSIGNER_SCRIPT_FILE], {
    detached: true,
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      STATUS_FILE: join(dir, "network-status"),
      ENI_MAP: join(dir, "interfaces"),
      EXPECTED_INTERFACES: String(options.expected ?? 2),
      STATE_DIR: join(dir, "state"),
      POLL_SECONDS: "0.05",
    },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return {
    dir,
    child,
    output: () => output,
    calls: () => (existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n") : []),
    exited,
    annotate: (text) => writeFileSync(join(dir, "network-status"), text),
  };
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const started = (s: Sidecar) => existsSync(join(s.dir, "state", "started"));

describe("ip-assigner.sh", () => {
  const running: Sidecar[] = [];
  const start = (options?: Parameters<typeof startSidecar>[0]) => {
    const s = startSidecar(options);
    running.push(s);
    return s;
  };
  afterEach(() => {
    for (const s of running.splice(0)) {
      try {
        process.kill(-s.child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  it("assigns each Multus address to the ENI of its interface's MAC, with reassignment allowed, then reports started", async () => {
    const s = start({ status: NETWORK_STATUS });
    await until(() => started(s), "the started file");
    expect(s.calls()).toEqual([
      "ec2 assign-private-ip-addresses --network-interface-id eni-0aaa --private-ip-addresses 10.30.8.70 --allow-reassignment",
      "ec2 assign-private-ip-addresses --network-interface-id eni-0bbb --private-ip-addresses 10.30.12.70 --allow-reassignment",
    ]);
    // eth0 (the VPC CNI's, marked default) and the IPv6 address are left alone.
    expect(s.calls().join("\n")).not.toContain("10.30.16.23");
    expect(s.calls().join("\n")).not.toContain("fd00");
  });

  it("unassigns the addresses on SIGTERM and exits 0", async () => {
    const s = start({ status: NETWORK_STATUS });
    await until(() => started(s), "the started file");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls().slice(2)).toEqual([
      "ec2 unassign-private-ip-addresses --network-interface-id eni-0aaa --private-ip-addresses 10.30.8.70",
      "ec2 unassign-private-ip-addresses --network-interface-id eni-0bbb --private-ip-addresses 10.30.12.70",
    ]);
    expect(s.output()).toContain("ip-assigner: stopping");
  });

  it("waits for the annotation to list every Multus interface, as the kubelet fills the downward API file after the sandbox exists", async () => {
    const s = start({ status: "" });
    await until(
      () => s.output().includes("waiting for the network-status annotation to list 2 Multus interface(s); 0 so far"),
      "a waiting message",
    );
    expect([started(s), s.calls()]).toEqual([false, []]);
    s.annotate(NETWORK_STATUS);
    await until(() => started(s), "the started file");
    expect(s.calls()).toHaveLength(2);
  });

  it("retries a failed assignment and releases on SIGTERM only what it assigned", async () => {
    const s = start({ status: NETWORK_STATUS, failFirst: 2 });
    await until(() => started(s), "the started file");
    const assigns = s.calls().filter((c) => c.includes(" assign-"));
    expect(assigns.filter((c) => c.includes("eni-0aaa"))).toHaveLength(3); // two throttled, then done
    expect(s.output()).toContain("could not assign 10.30.8.70 to eni-0aaa; trying again");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls().filter((c) => c.includes("unassign"))).toEqual([
      "ec2 unassign-private-ip-addresses --network-interface-id eni-0aaa --private-ip-addresses 10.30.8.70",
      "ec2 unassign-private-ip-addresses --network-interface-id eni-0bbb --private-ip-addresses 10.30.12.70",
    ]);
  });

  it("assigns nothing for an interface whose MAC is no Multus ENI of the cluster, and says so", async () => {
    const s = start({ status: NETWORK_STATUS.replace("02:D0:29:6F:D3:A7", "02:00:00:00:00:01") });
    await until(
      () => s.output().includes("MAC 02:00:00:00:00:01 is no Multus ENI of this cluster"),
      "the unknown-MAC message",
    );
    expect([started(s), s.calls()]).toEqual([false, []]);
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(s.calls()).toEqual([]);
  });

  it("is what the ConfigMap ships, and has nothing Terraform would read as a template", () => {
    const script = ipAssignerScript();
    expect(script).toBe(readFileSync(IP_ASSIGNER_SCRIPT_FILE, "utf8"));
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).not.toMatch(/\$\{|%\{/);
  });
});
