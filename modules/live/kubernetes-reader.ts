/**
 * Reads the five Kubernetes files of a recorded state from the API server, read-only (GET), and
 * writes each as `kubectl get ... -o json` prints it (a List whose items carry apiVersion and kind),
 * so live and recorded states go through one reader. Lists are paged (limit/continue). Every request
 * has a connect and a whole-request timeout and is retried a bounded number of times; an ENIConfig
 * list that is not found (no CRD: no custom networking) is an empty list.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { runExecPlugin } from "./exec-credential";
import type { KubeConnection } from "./kubeconfig";
import { seconds, UnreachableError, type ReadLimits } from "./limits";

export type KubernetesFile = "nodes.json" | "pods.json" | "services.json" | "eniconfigs.json" | "aws-node.json";

const LISTS: Array<{ file: KubernetesFile; path: string; missingIsEmpty?: boolean }> = [
  { file: "nodes.json", path: "/api/v1/nodes" },
  { file: "pods.json", path: "/api/v1/pods" },
  { file: "services.json", path: "/api/v1/services" },
  { file: "eniconfigs.json", path: "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs", missingIsEmpty: true },
];
const AWS_NODE = "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node";
const PAGE = 500;

interface Answer {
  status: number;
  body: string;
}

export async function readKubernetes(
  connection: KubeConnection,
  limits: ReadLimits,
): Promise<Record<KubernetesFile, string>> {
  const credential = connection.exec ? await runExecPlugin(connection.exec, 3 * limits.requestTimeoutMs) : {};
  const auth = {
    token: credential.token ?? connection.token,
    cert: credential.cert ?? connection.cert,
    key: credential.key ?? connection.key,
  };
  const https = connection.server.protocol === "https:";
  const agent = https
    ? new HttpsAgent({
        keepAlive: true,
        ca: connection.ca,
        cert: auth.cert,
        key: auth.key,
        rejectUnauthorized: !connection.insecure,
        servername: connection.serverName,
      })
    : new HttpAgent({ keepAlive: true });
  const get = (path: string) => getWithRetries(connection.server, path, auth.token, agent, limits);
  try {
    const out = {} as Record<KubernetesFile, string>;
    for (const list of LISTS)
      out[list.file] = kubectlList(await readList(get, connection.server, list.path, list.missingIsEmpty === true));
    const daemonSet = await get(AWS_NODE);
    if (daemonSet.status !== 200) throw refused(connection.server, AWS_NODE, daemonSet);
    out["aws-node.json"] = JSON.stringify(JSON.parse(daemonSet.body), null, 4) + "\n";
    return out;
  } finally {
    agent.destroy();
  }
}

interface ApiList {
  apiVersion?: string;
  kind?: string;
  metadata?: { continue?: string };
  items?: Array<Record<string, unknown>>;
}

async function readList(
  get: (path: string) => Promise<Answer>,
  server: URL,
  path: string,
  missingIsEmpty: boolean,
): Promise<ApiList> {
  const items: Array<Record<string, unknown>> = [];
  let head: ApiList = {};
  let token: string | undefined;
  do {
    const answer = await get(`${path}?limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
    if (answer.status === 404 && missingIsEmpty) return { apiVersion: "v1", kind: "List", items: [] };
    if (answer.status !== 200) throw refused(server, path, answer);
    const page = JSON.parse(answer.body) as ApiList;
    head = page;
    items.push(...(page.items ?? []));
    token = page.metadata?.continue || undefined;
  } while (token);
  return { ...head, items };
}

/** kubectl's `-o json` of a list: a v1 List whose items name their own apiVersion and kind (NodeList -> Node). */
function kubectlList(list: ApiList): string {
  const kind = list.kind?.replace(/List$/, "");
  const items = (list.items ?? []).map((item) => ({ apiVersion: list.apiVersion, kind, ...item }));
  return JSON.stringify({ apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } }, null, 4) + "\n";
}

/** A status that is not an answer: 401/403 name the credentials; others their status line. */
function refused(server: URL, path: string, answer: Answer): UnreachableError {
  let message = "";
  try {
    message = (JSON.parse(answer.body) as { message?: string }).message ?? "";
  } catch {
    message = answer.body.slice(0, 200);
  }
  const who =
    answer.status === 401 || answer.status === 403
      ? `the kubeconfig's credentials are not allowed to read it (HTTP ${answer.status})`
      : `HTTP ${answer.status}`;
  return new UnreachableError("the cluster", `GET ${server.origin}${path}: ${who}${message ? `: ${message}` : ""}`);
}

/** Retries what may pass on a second try: no connection, no answer in time, 429 and 5xx. */
async function getWithRetries(
  server: URL,
  path: string,
  token: string | undefined,
  agent: HttpAgent,
  limits: ReadLimits,
): Promise<Answer> {
  let last = "";
  for (let attempt = 1; attempt <= limits.attempts; attempt++) {
    try {
      const answer = await getOnce(server, path, token, agent, limits);
      if (answer.status !== 429 && answer.status < 500) return answer;
      last = `HTTP ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (attempt < limits.attempts) await sleep(Math.min(2000, 200 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
  }
  throw new UnreachableError("the cluster", `${server.origin}: ${last} (${limits.attempts} attempts)`);
}

function getOnce(
  server: URL,
  path: string,
  token: string | undefined,
  agent: HttpAgent,
  limits: ReadLimits,
): Promise<Answer> {
  const request = server.protocol === "https:" ? httpsRequest : httpRequest;
  const base = server.pathname.replace(/\/$/, "");
  return new Promise((resolve, reject) => {
    const req = request({
      host: server.hostname,
      port: server.port || undefined,
      path: `${base}${path}`,
      method: "GET",
      agent,
      headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    const overall = setTimeout(
      () => req.destroy(new Error(`no answer within ${seconds(limits.requestTimeoutMs)}`)),
      limits.requestTimeoutMs,
    );
    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(
        () => req.destroy(new Error(`no connection within ${seconds(limits.connectTimeoutMs)}`)),
        limits.connectTimeoutMs,
      );
      socket.once("connect", () => clearTimeout(connect));
      socket.once("close", () => clearTimeout(connect));
    });
    req.on("response", (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(overall);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (e) => {
        clearTimeout(overall);
        reject(e);
      });
    });
    req.on("error", (e) => {
      clearTimeout(overall);
      reject(e);
    });
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
