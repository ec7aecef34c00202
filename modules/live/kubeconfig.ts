/**
 * The kubeconfig as kubectl reads it, as far as EKS needs: files from KUBECONFIG (colon-separated,
 * the first file to name a thing wins) or ~/.kube/config; a context's cluster (server,
 * certificate-authority[-data], insecure-skip-tls-verify, tls-server-name) and user (token,
 * tokenFile, client-certificate[-data] and client-key[-data], or an exec plugin such as `aws eks
 * get-token`). Relative paths are relative to the file that holds them.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { UnreachableError } from "./limits";

export interface ExecPlugin {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  /** Where relative commands are found: the kubeconfig's directory. */
  directory: string;
}

export interface KubeConnection {
  context: string;
  server: URL;
  ca?: Buffer;
  insecure: boolean;
  serverName?: string;
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  exec?: ExecPlugin;
}

interface Named<T> {
  name: string;
  value: T;
  directory: string;
}
type Entry = Record<string, unknown>;

/** The kubeconfig files in force, in kubectl's order. */
export function kubeconfigFiles(vars: NodeJS.ProcessEnv): string[] {
  const listed = vars.KUBECONFIG ? vars.KUBECONFIG.split(delimiter).filter((f) => f !== "") : [];
  return listed.length > 0 ? listed : [join(vars.HOME ?? homedir(), ".kube", "config")];
}

/** An EKS cluster's context as `aws eks update-kubeconfig` names it: by the cluster's ARN. */
const eksArn = (region: string, cluster: string) =>
  new RegExp(`^arn:aws[a-z-]*:eks:${region}:\\d{12}:cluster/${cluster}$`);

/**
 * The connection to the environment's cluster: the context named, else the one `aws eks
 * update-kubeconfig` wrote for this cluster and region, else the current context.
 */
export function kubeConnection(
  vars: NodeJS.ProcessEnv,
  want: { context?: string; clusterName: string; region: string },
): KubeConnection {
  const files = kubeconfigFiles(vars).filter((f) => existsSync(f));
  const update = `aws eks update-kubeconfig --region ${want.region} --name ${want.clusterName}`;
  if (files.length === 0)
    throw new UnreachableError("the cluster", `no kubeconfig (${kubeconfigFiles(vars).join(", ")}); run ${update}`);
  const clusters: Array<Named<Entry>> = [];
  const users: Array<Named<Entry>> = [];
  const contexts: Array<Named<Entry>> = [];
  let current: string | undefined;
  for (const file of files) {
    let doc: Entry;
    try {
      doc = (parse(readFileSync(file, "utf8")) ?? {}) as Entry;
    } catch (error) {
      throw new UnreachableError("the cluster", `${file} is not a kubeconfig: ${(error as Error).message}`);
    }
    const directory = dirname(resolve(file));
    const add = (into: Array<Named<Entry>>, list: unknown, key: string) => {
      for (const item of Array.isArray(list) ? (list as Entry[]) : []) {
        const name = typeof item.name === "string" ? item.name : undefined;
        if (name !== undefined && !into.some((n) => n.name === name))
          into.push({ name, value: (item[key] ?? {}) as Entry, directory });
      }
    };
    add(clusters, doc.clusters, "cluster");
    add(users, doc.users, "user");
    add(contexts, doc.contexts, "context");
    if (current === undefined && typeof doc["current-context"] === "string" && doc["current-context"] !== "")
      current = doc["current-context"];
  }
  const arn = eksArn(want.region, want.clusterName);
  const context =
    want.context !== undefined
      ? contexts.find((c) => c.name === want.context)
      : (contexts.find((c) => arn.test(c.name) || arn.test(String(c.value.cluster))) ??
        contexts.find((c) => c.name === current));
  if (!context) {
    const which = want.context ?? current;
    throw new UnreachableError(
      "the cluster",
      which
        ? `no context ${which} in ${files.join(", ")}`
        : `no context for ${want.clusterName} in ${files.join(", ")}; run ${update}`,
    );
  }
  const cluster = clusters.find((c) => c.name === context.value.cluster);
  const user = users.find((u) => u.name === context.value.user);
  if (!cluster || typeof cluster.value.server !== "string")
    throw new UnreachableError("the cluster", `context ${context.name} names no cluster with a server`);
  if (cluster.value["proxy-url"] !== undefined)
    throw new UnreachableError(
      "the cluster",
      `context ${context.name} uses proxy-url, which verify does not support; record with kubectl and use --from`,
    );
  let server: URL;
  try {
    server = new URL(cluster.value.server);
  } catch {
    throw new UnreachableError("the cluster", `context ${context.name}: server ${cluster.value.server} is not a URL`);
  }
  const u = user?.value ?? {};
  return {
    context: context.name,
    server,
    ca: bytes(cluster, "certificate-authority-data", "certificate-authority"),
    insecure: cluster.value["insecure-skip-tls-verify"] === true,
    serverName: typeof cluster.value["tls-server-name"] === "string" ? cluster.value["tls-server-name"] : undefined,
    token:
      typeof u.token === "string"
        ? u.token
        : typeof u.tokenFile === "string"
          ? readFileSync(at(user?.directory ?? "", u.tokenFile), "utf8").trim()
          : undefined,
    cert: user ? bytes(user, "client-certificate-data", "client-certificate") : undefined,
    key: user ? bytes(user, "client-key-data", "client-key") : undefined,
    exec:
      user && typeof u.exec === "object" && u.exec !== null ? execPlugin(u.exec as Entry, user.directory) : undefined,
  };
}

function execPlugin(exec: Entry, directory: string): ExecPlugin {
  const env = Array.isArray(exec.env) ? (exec.env as Array<{ name?: unknown; value?: unknown }>) : [];
  return {
    command: String(exec.command ?? ""),
    args: Array.isArray(exec.args) ? exec.args.map(String) : [],
    env: env
      .filter((e) => typeof e.name === "string")
      .map((e) => ({ name: String(e.name), value: String(e.value ?? "") })),
    apiVersion: typeof exec.apiVersion === "string" ? exec.apiVersion : "client.authentication.k8s.io/v1beta1",
    directory,
  };
}

/** `<key>-data` (base64) or `<key>` (a file). */
function bytes(entry: Named<Entry>, dataKey: string, fileKey: string): Buffer | undefined {
  const data = entry.value[dataKey];
  if (typeof data === "string") return Buffer.from(data, "base64");
  const file = entry.value[fileKey];
  return typeof file === "string" ? readFileSync(at(entry.directory, file)) : undefined;
}

const at = (directory: string, file: string) => (isAbsolute(file) ? file : join(directory, file));
