/** verify's reading of the kubeconfig (as kubectl reads it) and of credential plugins. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { runExecPlugin } from "../modules/live/exec-credential";
import { kubeConnection } from "../modules/live/kubeconfig";
import { UnreachableError } from "../modules/live/limits";

const ARN = "arn:aws:eks:us-east-1:111122223333:cluster/cluster-demo";
const want = { clusterName: "cluster-demo", region: "us-east-1" };

function files(...configs: object[]): { dir: string; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "eks-kubeconfig-"));
  const paths = configs.map((c, i) => {
    const path = join(dir, `config-${i}`);
    writeFileSync(path, JSON.stringify(c));
    return path;
  });
  return { dir, paths };
}

const cluster = (name: string, server: string, extra: object = {}) => ({ name, cluster: { server, ...extra } });
const user = (name: string, u: object) => ({ name, user: u });
const context = (name: string, c: string, u: string) => ({ name, context: { cluster: c, user: u } });

describe("kubeConnection", () => {
  it("merges KUBECONFIG's files (the first to name a thing wins) and picks the cluster's context by its ARN", () => {
    const { dir, paths } = files(
      {
        clusters: [cluster(ARN, "https://ABC.gr7.us-east-1.eks.amazonaws.com", { "certificate-authority": "ca.pem" })],
        users: [user(ARN, { tokenFile: "token" })],
        contexts: [context(ARN, ARN, ARN)],
        "current-context": "",
      },
      {
        clusters: [cluster(ARN, "https://shadowed.example"), cluster("kind", "https://127.0.0.1:6443")],
        users: [user("kind", { token: "kind-token" })],
        contexts: [context("kind-kind", "kind", "kind")],
        "current-context": "kind-kind",
      },
    );
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    writeFileSync(join(dir, "token"), "file-token\n");
    const connection = kubeConnection({ KUBECONFIG: paths.join(delimiter) }, want);
    expect(connection).toMatchObject({
      context: ARN,
      token: "file-token",
      insecure: false,
      ca: Buffer.from("-----BEGIN CERTIFICATE-----\n"),
    });
    expect(connection.server.href).toBe("https://abc.gr7.us-east-1.eks.amazonaws.com/");
    // --context wins; without a context for the cluster, the current one is used.
    expect(kubeConnection({ KUBECONFIG: paths.join(delimiter) }, { ...want, context: "kind-kind" }).token).toBe(
      "kind-token",
    );
    expect(kubeConnection({ KUBECONFIG: paths[1] }, want).context).toBe("kind-kind");
  });

  it("reads an exec plugin (aws eks get-token) with its env, relative to the kubeconfig's directory", () => {
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "cluster-demo", "--output", "json"],
      env: [{ name: "AWS_PROFILE", value: "prod" }],
    };
    const { dir, paths } = files({
      clusters: [cluster(ARN, "https://x.eks.amazonaws.com", { "certificate-authority-data": "Q0E=" })],
      users: [user(ARN, { exec })],
      contexts: [context(ARN, ARN, ARN)],
      "current-context": ARN,
    });
    expect(kubeConnection({ KUBECONFIG: paths[0] }, want)).toMatchObject({
      ca: Buffer.from("CA"),
      exec: { command: "aws", args: exec.args, env: exec.env, apiVersion: exec.apiVersion, directory: dir },
    });
  });

  it.each([
    [
      "no kubeconfig at all",
      {},
      /no kubeconfig .*; run aws eks update-kubeconfig --region us-east-1 --name cluster-demo$/,
    ],
    [
      "a context that is not there",
      { contexts: [context("a", "a", "a")], "current-context": "gone" },
      /no context gone in /,
    ],
    [
      "a proxy",
      {
        clusters: [cluster("a", "https://x", { "proxy-url": "http://proxy:3128" })],
        contexts: [context("a", "a", "a")],
        "current-context": "a",
      },
      /uses proxy-url, which verify does not support/,
    ],
  ])("%s: UnreachableError (exit 3) saying what to do", (what, config, message) => {
    const vars =
      what === "no kubeconfig at all"
        ? { HOME: mkdtempSync(join(tmpdir(), "eks-home-")) }
        : { KUBECONFIG: files(config).paths[0] };
    expect(() => kubeConnection(vars, want)).toThrow(UnreachableError);
    expect(() => kubeConnection(vars, want)).toThrow(message);
  });
});

describe("runExecPlugin", () => {
  const plugin = (script: string) => ({
    command: process.execPath,
    args: ["-e", script],
    env: [{ name: "EXTRA", value: "from-kubeconfig" }],
    apiVersion: "client.authentication.k8s.io/v1beta1",
    directory: tmpdir(),
  });

  it("passes the plugin's env and KUBERNETES_EXEC_INFO, and reads status.token", async () => {
    const credential = await runExecPlugin(
      plugin(
        'const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO); process.stdout.write(JSON.stringify({ status: { token: process.env.EXTRA + ":" + info.apiVersion + ":" + info.spec.interactive } }))',
      ),
      5000,
    );
    expect(credential.token).toBe("from-kubeconfig:client.authentication.k8s.io/v1beta1:false");
  });

  it("a plugin that fails, hangs or prints no credential is exit 3 with its reason", async () => {
    await expect(
      runExecPlugin(plugin('console.error("Unable to locate credentials"); process.exit(255)'), 5000),
    ).rejects.toThrow(/credential plugin .* failed: Unable to locate credentials$/);
    await expect(runExecPlugin(plugin("setTimeout(() => {}, 60000)"), 300)).rejects.toThrow(
      /failed: no answer within 0\.3 s$/,
    );
    await expect(runExecPlugin(plugin('process.stdout.write("{}")'), 5000)).rejects.toThrow(
      /printed no ExecCredential/,
    );
    await expect(runExecPlugin({ ...plugin(""), command: "no-such-aws-cli" }, 5000)).rejects.toThrow(
      /no-such-aws-cli is not on the PATH/,
    );
  });
});
