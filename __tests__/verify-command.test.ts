/**
 * `npm run verify`: exit codes, --from on recorded states, --json, --help, usage errors, and the
 * live path against a socket that accepts and never answers (exit 3 on its own timeout).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../scripts/verify";
import { editedState, recorded, RECORDED_DIR, writeState } from "./support/recorded";

const ROOT = join(__dirname, "..");
const DEMO_DIR = join(RECORDED_DIR, "demo");

async function verify(args: string[], vars: NodeJS.ProcessEnv = { INIT_CWD: ROOT, EKS_ENV: "demo" }) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (text: string) => sink.push(text) }) as unknown as NodeJS.WritableStream;
  const code = await run(args, stream(out), stream(err), vars);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("verify --from", () => {
  it("exits 0 on demo's recorded state, with a table per check", async () => {
    const result = await verify(["--from", "__tests__/fixtures/recorded/demo"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(
      "verify demo (environments/demo.yaml): cluster cluster-demo in us-east-1, state recorded in __tests__/fixtures/recorded/demo",
    );
    expect(result.stdout).toMatch(/^nodes \(.*\): ok$/m);
    expect(result.stdout).toMatch(
      /^ {2}ok +node ip-172-16-1-57\.ec2\.internal +allocatable pods +110 +110 \(max pods/m,
    );
    expect(result.stdout.trimEnd().split("\n").pop()).toBe("OK: the cluster holds to its plan (9 ok, 0 skipped)");
  });

  it("exits 1 (as a process) naming the pod moved into a node subnet, its address and the plan's subnet", () => {
    const dir = writeState(
      editedState(recorded("demo"), "pods.json", (d) => {
        d.items[1].status.podIP = "172.16.2.40";
        d.items[1].status.podIPs = [{ ip: "172.16.2.40" }];
      }),
    );
    const result = spawnSync("npm", ["run", "--silent", "verify", "--", "--from", dir], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, EKS_ENV: "demo" },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /WRONG +pod bootcamp\/kubernetes-bootcamp-6f8d7c9b5d-m7k9p +address +172\.16\.2\.40 \(node subnet of us-east-1b\) +in 172\.16\.11\.0\/24 \(pod subnet of us-east-1b/,
    );
    expect(result.stdout).toMatch(/^ +fix: the pod got its address without the ENIConfig/m);
    expect(result.stdout.trimEnd().split("\n").pop()).toMatch(
      /^WRONG: 1 of 9 checks found the cluster off its plan \(pods\)/,
    );
  });

  it("exits 1 naming the node whose allocatable pods are 58 and the plan's 110", async () => {
    const dir = writeState(
      editedState(recorded("demo"), "nodes.json", (d) => (d.items[0].status.allocatable.pods = "58")),
    );
    const result = await verify(["--from", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /WRONG +node ip-172-16-1-57\.ec2\.internal +allocatable pods +58 +110 \(max pods of ng-2-workers, set in the environment\)/,
    );
  });

  it("--json prints the documented report, schemaVersion 1", async () => {
    const result = await verify(["--from", DEMO_DIR, "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual([
      "schemaVersion",
      "environment",
      "cluster",
      "source",
      "result",
      "summary",
      "checks",
    ]);
    expect(report).toMatchObject({
      schemaVersion: 1,
      environment: { name: "demo", file: "environments/demo.yaml" },
      cluster: { name: "cluster-demo", region: "us-east-1" },
      source: { kind: "recorded", directory: DEMO_DIR },
      result: "ok",
      summary: { ok: 9, wrong: 0, skipped: 0 },
    });
    expect(report.checks.map((c: any) => c.id)).toEqual([
      "nodes",
      "pods",
      "services",
      "aws-node",
      "eniconfigs",
      "subnets",
      "reservations",
      "public-ips",
      "multus",
    ]);
    expect(Object.keys(report.checks[0])).toEqual(["id", "title", "files", "missing", "status", "rows"]);
    expect(report.checks[0].rows[0]).toEqual({
      status: "ok",
      subject: "node ip-172-16-1-57.ec2.internal",
      property: "zone label topology.kubernetes.io/zone",
      found: "us-east-1a",
      expected: "us-east-1a (the AZ of i-0d3c5f1e2a4b69c71; ng-2-workers runs in us-east-1a and us-east-1b)",
    });
  });

  it("says which checks a missing file skipped, and how to record it", async () => {
    const texts = recorded("demo");
    delete texts["aws-node.json"];
    const result = await verify(["--from", writeState(texts)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "aws-node (the VPC CNI's settings in aws-node): SKIPPED, not recorded: aws-node.json (kubectl -n kube-system get daemonset aws-node -o json)",
    );
    expect(result.stdout).toContain("(8 ok, 1 skipped)");
  });

  it("exits 1 for a file that is not its command's output", async () => {
    const dir = writeState({ ...recorded("demo"), "pods.json": '{"kind":"List"}' });
    const result = await verify(["--from", dir]);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(/^verify: pods\.json: not the output of `kubectl get pods -A -o json`: items:/);
  });
});

describe("verify's command line", () => {
  it("--help prints the usage, exits 0 and writes nothing", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "eks-help-")), "recorded");
    const result = await verify(["--help", "--record", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: .*npm run --silent verify/);
    expect(result.stdout).toContain("subnet-cidr-reservations.json");
    expect(result.stderr).toBe("");
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ["an unknown flag", ["--frm", DEMO_DIR], "Unknown option '--frm'"],
    ["--from with --record", ["--from", DEMO_DIR, "--record", "/tmp/x"], "give one of them"],
    ["--from a directory that does not exist", ["--from", "no/such/dir"], "--from no/such/dir: no such directory"],
    ["--from a directory without recorded files", ["--from", ROOT], "holds none of the recorded files"],
    ["a timeout of 0", ["--timeout", "0"], "--timeout 0: give seconds"],
    ["--timeout with --from", ["--from", DEMO_DIR, "--timeout", "5"], "for the live cluster, not --from"],
  ])("%s exits 2 with the usage", async (_, args, message) => {
    const result = await verify(args);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("usage: ");
  });

  it("--from never loads the AWS SDK or the live readers (only their limits and error type)", () => {
    const probe = [
      'const { run } = require("./scripts/verify");',
      "const sink = { write() {} };",
      `run(["--from", ${JSON.stringify(DEMO_DIR)}], sink, sink, { EKS_ENV: "demo" }).then((code) => {`,
      "  const loaded = Object.keys(require.cache).filter((f) => /@aws-sdk|@smithy|modules\\/live\\/(?!limits)/.test(f));",
      "  console.log(JSON.stringify({ code, loaded }));",
      "});",
    ].join("\n");
    const result = spawnSync(process.execPath, ["-r", "./scripts/typescript-loader.js", "-e", probe], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(JSON.parse(result.stdout)).toEqual({ code: 0, loaded: [] });
  });
});

describe("verify against a cluster and AWS that accept connections and never answer", () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket)); // accepts, never writes a byte
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it("ends on its own timeout with exit 3 and one line naming both", async () => {
    const home = mkdtempSync(join(tmpdir(), "eks-home-"));
    const kubeconfig = join(home, "kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- { name: demo, cluster: { server: "https://127.0.0.1:${port}" } }`,
        "users:",
        "- { name: demo, user: { token: not-a-real-token } }",
        "contexts:",
        "- { name: demo, context: { cluster: demo, user: demo } }",
        "current-context: demo",
      ].join("\n"),
    );
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ["-r", "./scripts/typescript-loader.js", "scripts/verify.ts", "--timeout", "0.5"],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          EKS_ENV: "demo",
          KUBECONFIG: kubeconfig,
          // The SDK's endpoint override for EC2, and credentials of its default chain (never sent anywhere else).
          AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
          AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          AWS_EC2_METADATA_DISABLED: "true",
        },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const elapsed = Date.now() - started;
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      `verify: cannot read the cluster: https://127.0.0.1:${port}: no answer within 0.5 s (3 attempts); cannot read AWS: EC2 in us-east-1: no answer within 0.5 s (3 attempts)`,
    ]);
    expect(sockets.length).toBeGreaterThanOrEqual(6); // 3 attempts each: both clients really connected
    expect(elapsed).toBeLessThan(15_000);
  }, 30_000);
});
