/**
 * verify's live path end to end against stand-ins for the API server and EC2 (support/fake-apis.ts)
 * answering from the hand-written recorded states: the kubeconfig's exec plugin gives the token,
 * lists are paged, the AWS SDK pages and merges; `--record DIR` writes the nine files in the shape
 * kubectl and the AWS CLI print, and verifying them gives the same report as the recorded state.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../scripts/verify";
import { startFakeApis, testCertificates, type FakeApis } from "./support/fake-apis";
import { recorded, verifyState } from "./support/recorded";

const ROOT = join(__dirname, "..");

// Each verify run starts the kubeconfig's exec plugin (a node process) and talks to two local
// servers: a second or two alone, more while the whole suite runs on a small machine (one fresh-clone
// CI run hit jest's 5 s default).
jest.setTimeout(30000);

/** A kubeconfig as `aws eks update-kubeconfig` writes it, its exec plugin a node one-liner printing an ExecCredential. */
function kubeconfig(server: string, clusterArn: string, token: string, ca?: string): string {
  const credential = JSON.stringify({
    kind: "ExecCredential",
    apiVersion: "client.authentication.k8s.io/v1beta1",
    spec: {},
    status: { expirationTimestamp: "2099-01-01T00:00:00Z", token },
  });
  const file = join(mkdtempSync(join(tmpdir(), "eks-kube-")), "config");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: clusterArn,
          cluster: { server, ...(ca ? { "certificate-authority-data": Buffer.from(ca).toString("base64") } : {}) },
        },
        { name: "other", cluster: { server: "http://127.0.0.1:9" } },
      ],
      users: [
        {
          name: clusterArn,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: process.execPath,
              args: ["-e", `process.stdout.write(${JSON.stringify(credential)})`],
            },
          },
        },
      ],
      contexts: [
        { name: "other", context: { cluster: "other", user: clusterArn } },
        { name: clusterArn, context: { cluster: clusterArn, user: clusterArn } },
      ],
      // The current context is another cluster's: verify picks the environment's by its ARN.
      "current-context": "other",
    }),
  );
  return file;
}

async function verifyLive(environment: string, apis: FakeApis, clusterArn: string, token: string, ...args: string[]) {
  return verifyLiveWith(environment, apis, kubeconfig(apis.kubernetes, clusterArn, token), ...args);
}

async function verifyLiveWith(environment: string, apis: FakeApis, kubeconfigFile: string, ...args: string[]) {
  const saved = { ...process.env };
  // The AWS SDK reads its settings from the process environment: the fake EC2 endpoint, fake keys, no files.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EC2: apis.ec2,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_CONFIG_FILE: "/nonexistent/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  delete process.env.AWS_PROFILE;
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
  try {
    const vars = { EKS_ENV: environment, KUBECONFIG: kubeconfigFile, INIT_CWD: ROOT };
    const code = await run(args, stream(out), stream(err), vars);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.env = saved;
  }
}

describe.each([
  ["demo", "arn:aws:eks:us-east-1:111122223333:cluster/cluster-demo"],
  ["telco", "arn:aws:eks:eu-central-1:111122223333:cluster/telco-core"],
])("verify --record on %s's cluster", (environment, arn) => {
  const state = recorded(environment);
  let apis: FakeApis;
  beforeAll(async () => {
    apis = await startFakeApis(state, { token: "k8s-aws-v1.exec-token" });
  });
  afterAll(() => apis.close());

  it("writes the nine files, and verifying them gives the recorded state's report", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "eks-record-")), "state");
    const result = await verifyLive(environment, apis, arn, "k8s-aws-v1.exec-token", "--record", dir, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(state).sort());
    const report = JSON.parse(result.stdout);
    expect(report.source).toEqual({
      kind: "live",
      context: arn,
      server: apis.kubernetes,
      vpcId: JSON.parse(state["subnets.json"]!).Subnets[0].VpcId,
      recordedTo: dir,
    });
    const expected = verifyState(environment, state);
    expect(report.checks).toEqual(expected.checks);
    // And --from on what was written reads the same.
    const again = await run(["--from", dir, "--json"], sink(), sink(), { EKS_ENV: environment });
    expect(again).toBe(0);
  });

  it("writes kubectl's List shape and the AWS CLI's members", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "eks-record-")), "state");
    await verifyLive(environment, apis, arn, "k8s-aws-v1.exec-token", "--record", dir);
    const file = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8"));
    const nodes = file("nodes.json");
    expect(nodes).toMatchObject({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } });
    expect(nodes.items.map((n: any) => [n.apiVersion, n.kind, n.metadata.name])).toEqual(
      JSON.parse(state["nodes.json"]!).items.map((n: any) => ["v1", "Node", n.metadata.name]),
    );
    expect(file("eniconfigs.json").items.every((e: any) => e.kind === "ENIConfig")).toBe(true);
    const want = JSON.parse(state["network-interfaces.json"]!).NetworkInterfaces;
    const got = file("network-interfaces.json").NetworkInterfaces;
    expect(
      got.map((e: any) => [
        e.NetworkInterfaceId,
        e.PrivateIpAddresses.map((a: any) => a.PrivateIpAddress),
        e.Ipv4Prefixes,
      ]),
    ).toEqual(
      want.map((e: any) => [
        e.NetworkInterfaceId,
        e.PrivateIpAddresses.map((a: any) => a.PrivateIpAddress),
        e.Ipv4Prefixes,
      ]),
    );
    expect(got[0]).not.toHaveProperty("$metadata");
    expect(file("subnet-cidr-reservations.json").SubnetIpv4CidrReservations).toEqual(
      expect.arrayContaining(
        JSON.parse(state["subnet-cidr-reservations.json"]!).SubnetIpv4CidrReservations.map((r: any) =>
          expect.objectContaining({ SubnetCidrReservationId: r.SubnetCidrReservationId, Cidr: r.Cidr }),
        ),
      ),
    );
  });

  it("reads only: GET on the API server, Describe and Get on EC2; lists paged, reservations per planned subnet", () => {
    const lines = apis.requests.map((r) => `${r.api} ${r.line.split(" ")[0]}`);
    expect(new Set(lines)).toEqual(
      new Set([
        "kubernetes GET",
        "ec2 DescribeSubnets",
        "ec2 DescribeNetworkInterfaces",
        "ec2 DescribeAddresses",
        "ec2 GetSubnetCidrReservations",
      ]),
    );
    expect(
      apis.requests
        .filter((r) => r.api === "kubernetes")
        .every((r) => r.authorization === "Bearer k8s-aws-v1.exec-token"),
    ).toBe(true);
    expect(apis.requests.some((r) => r.line.includes("/api/v1/nodes?limit=500&continue=1"))).toBe(true);
    expect(
      apis.requests.some((r) => r.line.startsWith("DescribeNetworkInterfaces") && r.line.includes("NextToken=page-2")),
    ).toBe(true);
    const subnets = JSON.parse(state["subnets.json"]!).Subnets.map((s: any) => s.SubnetId);
    const asked = apis.requests.filter(
      (r) => r.line.startsWith("GetSubnetCidrReservations") && !r.line.includes("NextToken"),
    );
    expect(asked.map((r) => /SubnetId=([^&]+)/.exec(r.line)![1]).sort()).toEqual([...subnets, ...subnets].sort());
  });
});

describe("verify on a live cluster that", () => {
  const state = recorded("demo");
  const arn = "arn:aws:eks:us-east-1:111122223333:cluster/cluster-demo";

  it("has no ENIConfig CRD: an empty list, and the ENIConfig check says they are missing", async () => {
    const apis = await startFakeApis(state, { token: "t", noEniConfigCrd: true });
    try {
      const result = await verifyLive("demo", apis, arn, "t", "--json");
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.checks.filter((c: any) => c.status === "wrong").map((c: any) => c.id)).toEqual(["eniconfigs"]);
    } finally {
      await apis.close();
    }
  });

  it("refuses the credentials: exit 3, one line saying so", async () => {
    const apis = await startFakeApis(state, { token: "the-right-one" });
    try {
      const result = await verifyLive("demo", apis, arn, "a-stale-token");
      expect(result.code).toBe(3);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `verify: cannot read the cluster: GET ${apis.kubernetes}/api/v1/nodes: the kubeconfig's credentials are not allowed to read it (HTTP 401): Unauthorized\n`,
      );
    } finally {
      await apis.close();
    }
  });
});

describe("verify over HTTPS", () => {
  const state = recorded("demo");
  const arn = "arn:aws:eks:us-east-1:111122223333:cluster/cluster-demo";
  const tls = testCertificates();
  let apis: FakeApis;
  beforeAll(async () => {
    apis = await startFakeApis(state, { token: "t", tls: { cert: tls.cert, key: tls.key } });
  });
  afterAll(() => apis.close());

  it("trusts the server through the kubeconfig's certificate-authority-data", async () => {
    const result = await verifyLiveWith("demo", apis, kubeconfig(apis.kubernetes, arn, "t", tls.ca));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("refuses a server no CA of the kubeconfig vouches for: exit 3", async () => {
    const result = await verifyLiveWith("demo", apis, kubeconfig(apis.kubernetes, arn, "t"), "--timeout", "2");
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^verify: cannot read the cluster: https:\/\/127\.0\.0\.1:\d+: unable to verify the first certificate \(3 attempts\)\n$/,
    );
  });
});

function sink(): NodeJS.WritableStream {
  return { write: () => true } as unknown as NodeJS.WritableStream;
}
