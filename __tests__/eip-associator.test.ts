/**
 * The eip-associator sidecar script, run for real with `sh` against a fake `aws` (support/fake-ec2.js)
 * that answers from an EC2 state in the real shapes of DescribeAddresses and
 * DescribeNetworkInterfaces, and changes it on associate and disassociate calls.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EIP_ASSOCIATOR_SCRIPT_FILE, eipAssociatorScript } from "../modules/k8s/eip-associator";
import { POD_TAG } from "../modules/plan/labels";
import { said, startedPerTest, until } from "./support/processes";

const FAKE_EC2 = join(__dirname, "support", "fake-ec2.js");
const VPC = "vpc-0public";
const NODE_IP = "172.16.100.10";
const INSTANCE = "i-0node";
const CLUSTER = "cluster-demo-2";

type Address = Record<string, unknown>;
type Interface = Record<string, unknown>;

const tags = (pod: string) => [
  { Key: POD_TAG, Value: `shop/${pod}` },
  { Key: "Cluster", Value: CLUSTER },
];
const eip = (pod: string, allocation: string, publicIp: string, more: Address = {}): Address => ({
  AllocationId: allocation,
  PublicIp: publicIp,
  Domain: "vpc",
  Tags: tags(pod),
  ...more,
});
const OWN_EIP = eip("shop-egress-0", "eipalloc-0own", "203.0.113.10");
/** The same pod name in another environment (cluster) of the account: never this pod's. */
const OTHER_CLUSTERS_EIP: Address = {
  ...eip("shop-egress-0", "eipalloc-0other", "198.51.100.7"),
  Tags: [
    { Key: POD_TAG, Value: "shop/shop-egress-0" },
    { Key: "Cluster", Value: "staging" },
  ],
};

/** The node: its primary interface (node address and secondary pod addresses) and a second one with two delegated /28s. */
const nodeInterfaces = (): Interface[] => [
  {
    NetworkInterfaceId: "eni-0primary",
    VpcId: VPC,
    Attachment: { InstanceId: INSTANCE, DeviceIndex: 0 },
    PrivateIpAddress: NODE_IP,
    PrivateIpAddresses: [
      { PrivateIpAddress: NODE_IP, Primary: true },
      { PrivateIpAddress: "172.16.100.23", Primary: false },
      { PrivateIpAddress: "172.16.100.24", Primary: false },
    ],
    Ipv4Prefixes: [],
  },
  {
    NetworkInterfaceId: "eni-0second",
    VpcId: VPC,
    Attachment: { InstanceId: INSTANCE, DeviceIndex: 1 },
    PrivateIpAddress: "172.16.100.40",
    PrivateIpAddresses: [{ PrivateIpAddress: "172.16.100.40", Primary: true }],
    Ipv4Prefixes: [{ Ipv4Prefix: "172.16.100.48/28" }, { Ipv4Prefix: "172.16.100.64/28" }],
  },
  // Another node, which holds the address the pod had before it moved.
  {
    NetworkInterfaceId: "eni-0othernode",
    VpcId: VPC,
    Attachment: { InstanceId: "i-0othernode", DeviceIndex: 0 },
    PrivateIpAddress: "172.16.101.10",
    PrivateIpAddresses: [
      { PrivateIpAddress: "172.16.101.10", Primary: true },
      { PrivateIpAddress: "172.16.101.30", Primary: false },
    ],
  },
];

interface Options {
  podIp: string;
  addresses?: Address[];
  interfaces?: Interface[];
  /** Fail the first `count` calls of an operation. */
  fail?: { operation: string; count: number };
}

interface Sidecar {
  dir: string;
  child: ChildProcess;
  output: () => string;
  calls: () => string[][];
  state: () => { Addresses: Address[]; NetworkInterfaces: Interface[] };
  setState: (change: (s: { Addresses: Address[] }) => void) => void;
  exited: Promise<number | null>;
}

function startSidecar(options: Options): Sidecar {
  const dir = mkdtempSync(join(tmpdir(), "eip-associator-"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "aws"), `#!/bin/sh\nexec node ${JSON.stringify(FAKE_EC2)} "$@"\n`);
  chmodSync(join(dir, "bin", "aws"), 0o755);
  const stateFile = join(dir, "ec2.json");
  writeFileSync(
    stateFile,
    JSON.stringify({
      Addresses: options.addresses ?? [OWN_EIP, OTHER_CLUSTERS_EIP],
      NetworkInterfaces: options.interfaces ?? nodeInterfaces(),
    }),
  );
  if (options.fail) writeFileSync(join(dir, "fail"), `${options.fail.operation} ${options.fail.count}`);
  let output = "";
  const child = spawn("sh", [EIP_ASSOCIATOR_SCRIPT_FILE], {
    detached: true,
    env: {
      PATH: `${join(dir, "bin")}:${process.env.PATH}`,
      EC2_STATE: stateFile,
      EC2_CALLS: join(dir, "calls"),
      EC2_FAIL: join(dir, "fail"),
      POD_NAME: "shop-egress-0",
      POD_NAMESPACE: "shop",
      POD_IP: options.podIp,
      HOST_IP: NODE_IP,
      VPC_ID: VPC,
      CLUSTER_NAME: CLUSTER,
      POD_TAG_KEY: POD_TAG,
      STATE_DIR: join(dir, "state"),
      POLL_SECONDS: "0.05",
    },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  // "close", not "exit": by then everything the script printed has been read.
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  const readState = () => JSON.parse(readFileSync(stateFile, "utf8"));
  return {
    dir,
    child,
    output: () => output,
    // Whole lines only: the fake may be writing the next one.
    calls: () =>
      existsSync(join(dir, "calls"))
        ? readFileSync(join(dir, "calls"), "utf8")
            .split("\n")
            .slice(0, -1)
            .map((l) => JSON.parse(l) as string[])
        : [],
    state: readState,
    setState: (change) => {
      const s = readState();
      change(s);
      writeFileSync(`${stateFile}.test`, JSON.stringify(s));
      renameSync(`${stateFile}.test`, stateFile);
    },
    exited,
  };
}

const started = (s: Sidecar) => existsSync(join(s.dir, "state", "started"));
const operations = (s: Sidecar) => s.calls().map((c) => c[1]);
const associations = (s: Sidecar) => s.calls().filter((c) => c[1] === "associate-address");
const ownAddress = (s: Sidecar) => s.state().Addresses.find((a) => a.AllocationId === "eipalloc-0own")!;
const option = (call: string[], name: string) => call[call.indexOf(`--${name}`) + 1];

// Real processes: under a loaded machine (the whole suite in parallel) they can take seconds.
jest.setTimeout(40000);

describe("eip-associator.sh", () => {
  const start = startedPerTest(startSidecar);

  it("a secondary address: finds its own Elastic IP by tag and cluster, the node by its address in the VPC, associates with reassociation allowed, reads it back, then reports started", async () => {
    const s = start({ podIp: "172.16.100.23" });
    await until(() => started(s), "the started file");
    expect(operations(s)).toEqual([
      "describe-addresses",
      "describe-network-interfaces",
      "describe-network-interfaces",
      "associate-address",
      "describe-addresses",
    ]);
    const [byTag, node, interfaces, associate] = s.calls();
    expect(option(byTag, "filters")).toBe(`Name=tag:${POD_TAG},Values=shop/shop-egress-0`);
    expect(byTag).toContain(`Name=tag:Cluster,Values=${CLUSTER}`);
    expect(node).toEqual(
      expect.arrayContaining([`Name=vpc-id,Values=${VPC}`, `Name=addresses.private-ip-address,Values=${NODE_IP}`]),
    );
    expect(interfaces).toContain(`Name=attachment.instance-id,Values=${INSTANCE}`);
    expect(associate).toEqual(
      expect.arrayContaining([
        "--allocation-id",
        "eipalloc-0own",
        "--network-interface-id",
        "eni-0primary",
        "--private-ip-address",
        "172.16.100.23",
        "--allow-reassociation",
      ]),
    );
    expect(ownAddress(s)).toMatchObject({ NetworkInterfaceId: "eni-0primary", PrivateIpAddress: "172.16.100.23" });
    // The other cluster's address with the same pod tag was never touched.
    expect(s.state().Addresses.find((a) => a.AllocationId === "eipalloc-0other")!.AssociationId).toBeUndefined();
    await said(s.output, "eip-associator: associated 203.0.113.10 (eipalloc-0own) with 172.16.100.23 on eni-0primary");
    // Every call is bounded in time.
    for (const call of s.calls())
      expect(call).toEqual(expect.arrayContaining(["--cli-connect-timeout", "3", "--cli-read-timeout", "10"]));
  });

  it("fault 5: an address inside a delegated /28 on a secondary interface is found through the node's interfaces and their prefixes", async () => {
    const s = start({ podIp: "172.16.100.70" });
    await until(() => started(s), "the started file");
    const [interfaces] = s.calls().filter((c) => c.includes(`Name=attachment.instance-id,Values=${INSTANCE}`));
    expect(option(interfaces, "query")).toBe(
      "NetworkInterfaces[?PrivateIpAddresses[?PrivateIpAddress=='172.16.100.70'] || Ipv4Prefixes[?Ipv4Prefix=='172.16.100.64/28']].NetworkInterfaceId",
    );
    expect(option(associations(s)[0], "network-interface-id")).toBe("eni-0second");
    expect(ownAddress(s)).toMatchObject({ NetworkInterfaceId: "eni-0second", PrivateIpAddress: "172.16.100.70" });
  });

  it("an address on no interface of the node: never starts the app, associates nothing, and says why in its log (once)", async () => {
    const s = start({ podIp: "172.16.100.99" });
    await until(() => s.calls().length >= 9 && s.output().includes("is neither"), "a few attempts");
    expect(started(s)).toBe(false);
    expect(associations(s)).toEqual([]);
    const why =
      "eip-associator: 172.16.100.99 is neither a secondary address nor inside a delegated prefix (172.16.100.96/28) of any network interface of i-0node (node 172.16.100.10): it cannot take an Elastic IP";
    await said(s.output, why);
    expect(s.output().split(why)).toHaveLength(2);
  });

  it("fault 1: takes the address over from the pod's former address on another node, so no other pod is left with it", async () => {
    const before = eip("shop-egress-0", "eipalloc-0own", "203.0.113.10", {
      AssociationId: "eipassoc-0old",
      NetworkInterfaceId: "eni-0othernode",
      PrivateIpAddress: "172.16.101.30",
    });
    const s = start({ podIp: "172.16.100.24", addresses: [before] });
    await until(() => started(s), "the started file");
    expect(ownAddress(s)).toMatchObject({ NetworkInterfaceId: "eni-0primary", PrivateIpAddress: "172.16.100.24" });
    expect(ownAddress(s).AssociationId).not.toBe("eipassoc-0old");
  });

  it("waits for an Elastic IP that does not exist yet (not deployed, or not listed), saying so, and associates it once it appears", async () => {
    const s = start({ podIp: "172.16.100.23", addresses: [OTHER_CLUSTERS_EIP] });
    await until(() => s.output().includes("no Elastic IP is tagged"), "the log line");
    await said(
      s.output,
      `eip-associator: no Elastic IP is tagged ${POD_TAG}=shop/shop-egress-0 in cluster ${CLUSTER}: is shop-egress-0 in the addresses of its workload, and the workloads stack deployed?`,
    );
    expect(started(s)).toBe(false);
    s.setState((state) => state.Addresses.push(OWN_EIP));
    await until(() => started(s), "the started file");
    expect(ownAddress(s)).toMatchObject({ PrivateIpAddress: "172.16.100.23" });
  });

  it("retries when EC2 refuses the association (throttled), and starts once it is done", async () => {
    const s = start({ podIp: "172.16.100.23", fail: { operation: "associate-address", count: 2 } });
    await until(() => started(s), "the started file");
    expect(associations(s)).toHaveLength(3);
    await said(s.output, "EC2 refused to associate 203.0.113.10 (eipalloc-0own) with 172.16.100.23 on eni-0primary");
  });

  it("on SIGTERM, disassociates the address while it is still on this pod's address, and exits 0", async () => {
    const s = start({ podIp: "172.16.100.23" });
    await until(() => started(s), "the started file");
    const association = ownAddress(s).AssociationId;
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    const disassociate = s.calls().find((c) => c[1] === "disassociate-address")!;
    expect(option(disassociate, "association-id")).toBe(association);
    expect(ownAddress(s).AssociationId).toBeUndefined();
    await said(s.output, "eip-associator: disassociated 203.0.113.10 from 172.16.100.23");
  });

  it("on SIGTERM, leaves the address alone once another pod has taken it over", async () => {
    const s = start({ podIp: "172.16.100.23" });
    await until(() => started(s), "the started file");
    // The next pod of the same name, on the other node, associates it (a force-deleted pod's successor).
    s.setState((state) =>
      Object.assign(
        state.Addresses.find((a) => a.AllocationId === "eipalloc-0own")!,
        {
          AssociationId: "eipassoc-0next",
          NetworkInterfaceId: "eni-0othernode",
          PrivateIpAddress: "172.16.101.30",
        },
      ),
    );
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(operations(s)).not.toContain("disassociate-address");
    expect(ownAddress(s)).toMatchObject({ AssociationId: "eipassoc-0next", PrivateIpAddress: "172.16.101.30" });
    await said(
      s.output,
      "left 203.0.113.10 alone: it is associated with 172.16.101.30 on eni-0othernode now, not with this pod's 172.16.100.23",
    );
  });

  it("on SIGTERM before anything was associated, calls nothing and exits 0", async () => {
    const s = start({ podIp: "172.16.100.99" });
    await until(() => s.calls().length >= 3, "a first attempt");
    s.child.kill("SIGTERM");
    expect(await s.exited).toBe(0);
    expect(operations(s)).not.toContain("disassociate-address");
  });

  it("holds no dollar-brace or percent-brace sequence, which Terraform would read inside the release's values", () => {
    expect(eipAssociatorScript()).not.toMatch(/\$\{|%\{/);
  });

  // The fake answers the script's --query expressions by their meaning; the AWS CLI evaluates them
  // with the jmespath library. Where python3 has it, both must agree on the same EC2 state.
  const jmespath = spawnSync("python3", ["-c", "import jmespath"], { encoding: "utf8" });
  (jmespath.status === 0 ? it : it.skip)("asks EC2 with queries that jmespath evaluates as the fake does", async () => {
    const s = start({ podIp: "172.16.100.70" });
    await until(() => started(s), "the started file");
    const lookups = s.calls().slice(0, 3);
    // What EC2 returns for each lookup's filters, in the real shapes.
    const scopes = [
      { Addresses: [OWN_EIP] },
      { NetworkInterfaces: [nodeInterfaces()[0]] },
      { NetworkInterfaces: nodeInterfaces().slice(0, 2) },
    ];
    const real = spawnSync(
      "python3",
      ["-c", "import sys, json, jmespath; print(json.dumps([jmespath.search(q, d) for q, d in json.load(sys.stdin)]))"],
      { input: JSON.stringify(lookups.map((call, i) => [option(call, "query"), scopes[i]])), encoding: "utf8" },
    );
    const expected = (JSON.parse(real.stdout) as unknown[]).map(textOf);
    const faked = lookups.map(
      (call, i) =>
        spawnSync("node", [FAKE_EC2, ...call], {
          env: { ...process.env, EC2_STATE: writeState(s.dir, scopes[i]), EC2_CALLS: join(s.dir, "calls-check") },
          encoding: "utf8",
        }).stdout,
    );
    expect(faked).toEqual(expected);
    expect(expected).toEqual(["eipalloc-0own\t203.0.113.10\n", "i-0node\n", "eni-0second\n"]);
  });
});

function writeState(dir: string, scope: object): string {
  const file = join(dir, "check.json");
  writeFileSync(file, JSON.stringify({ Addresses: [], NetworkInterfaces: [], ...scope }));
  return file;
}

/** What `aws --output text` prints for a query's result (awscli text.format_text, for these shapes). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return "None\n";
  if (!Array.isArray(value)) return `${String(value)}\n`;
  if (value.length === 0) return "";
  if (value.every((v) => !Array.isArray(v)))
    return value.map((v) => (v === null ? "None" : String(v))).join("\t") + "\n";
  return value.map(textOf).join("");
}
