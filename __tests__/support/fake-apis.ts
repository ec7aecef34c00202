/**
 * Stand-ins for the Kubernetes API server and EC2 on loopback, answering from a recorded state, so
 * verify's live path (kubeconfig, HTTP reader, AWS SDK) runs here: the API server answers list
 * requests in pages of its own, with the API's list shape (NodeList, items without kind); EC2
 * answers the query protocol's XML, pages DescribeNetworkInterfaces and GetSubnetCidrReservations.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedTexts } from "./recorded";

export interface FakeApis {
  kubernetes: string;
  ec2: string;
  /** Every request each saw: method, path (with query) and, for EC2, the Action. */
  requests: Array<{ api: "kubernetes" | "ec2"; line: string; authorization?: string }>;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** The bearer token the API server accepts (anything else: 401). */
  token: string;
  /** Answer 404 for ENIConfigs, as a cluster without the CRD does. */
  noEniConfigCrd?: boolean;
  /** Serve the API over HTTPS with this certificate (PEM) and key. */
  tls?: { cert: string; key: string };
}

/** A CA and a server certificate it signed for 127.0.0.1, made with openssl in a fresh directory (valid 2 days). */
export function testCertificates(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "eks-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=test-ca",
  );
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kubernetes");
  writeFileSync(join(dir, "ext"), "subjectAltName=IP:127.0.0.1,DNS:kubernetes\n");
  ssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext",
  );
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return { ca: read("ca.pem"), cert: read("server.pem"), key: read("server.key") };
}

export async function startFakeApis(texts: RecordedTexts, options: FakeOptions): Promise<FakeApis> {
  const requests: FakeApis["requests"] = [];
  const json = (file: keyof RecordedTexts) => JSON.parse(texts[file] ?? "null");
  const answerKubernetes: RequestListener = (req, res) => {
    requests.push({ api: "kubernetes", line: `${req.method} ${req.url}`, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { kind: "Status", message: "Unauthorized" });
    const url = new URL(req.url ?? "/", "http://x");
    const lists: Record<string, [keyof RecordedTexts, string, string]> = {
      "/api/v1/nodes": ["nodes.json", "v1", "NodeList"],
      "/api/v1/pods": ["pods.json", "v1", "PodList"],
      "/api/v1/services": ["services.json", "v1", "ServiceList"],
      "/apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs": [
        "eniconfigs.json",
        "crd.k8s.amazonaws.com/v1alpha1",
        "ENIConfigList",
      ],
    };
    if (url.pathname === "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node")
      return send(res, 200, json("aws-node.json"));
    const list = lists[url.pathname];
    if (!list || (options.noEniConfigCrd && list[0] === "eniconfigs.json"))
      return send(res, 404, { kind: "Status", message: "the server could not find the requested resource" });
    // The API's own list: items without apiVersion and kind; pages of one item to exercise `continue`.
    const items = json(list[0]).items.map(({ apiVersion: _a, kind: _k, ...item }: any) => item);
    const at = Number(url.searchParams.get("continue") ?? "0");
    const more = at + 1 < items.length;
    send(res, 200, {
      kind: list[2],
      apiVersion: list[1],
      metadata: { resourceVersion: "1184600", ...(more ? { continue: String(at + 1) } : {}) },
      items: items.slice(at, at + 1),
    });
  };
  const kubernetes = options.tls ? createTlsServer(options.tls, answerKubernetes) : createServer(answerKubernetes);
  const ec2 = createServer((req, res) => {
    readBody(req).then((body) => {
      const query = new URLSearchParams(body);
      const action = query.get("Action") ?? "";
      requests.push({ api: "ec2", line: `${action} ${describeQuery(query)}` });
      const token = query.get("NextToken");
      const xml = (set: string, items: any[], next?: string) =>
        `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>4d2c6e0a-fake</requestId>` +
        `<${set}>${items.map((i) => `<item>${toXml(i)}</item>`).join("")}</${set}>` +
        (next ? `<nextToken>${next}</nextToken>` : "") +
        `</${action}Response>`;
      switch (action) {
        case "DescribeSubnets":
          return sendXml(res, xml("subnetSet", json("subnets.json").Subnets));
        case "DescribeNetworkInterfaces": {
          const all = json("network-interfaces.json").NetworkInterfaces;
          const half = Math.ceil(all.length / 2);
          return sendXml(
            res,
            token
              ? xml("networkInterfaceSet", all.slice(half))
              : xml("networkInterfaceSet", all.slice(0, half), "page-2"),
          );
        }
        case "DescribeAddresses":
          return sendXml(res, xml("addressesSet", json("addresses.json").Addresses));
        case "GetSubnetCidrReservations": {
          const mine = json("subnet-cidr-reservations.json").SubnetIpv4CidrReservations.filter(
            (r: any) => r.SubnetId === query.get("SubnetId"),
          );
          const page = token ? mine.slice(1) : mine.slice(0, 1);
          const body = xml("subnetIpv4CidrReservationSet", page, !token && mine.length > 1 ? "more" : undefined);
          return sendXml(
            res,
            body.replace(`</${action}Response>`, `<subnetIpv6CidrReservationSet/></${action}Response>`),
          );
        }
        default:
          res.writeHead(400, { "content-type": "text/xml" });
          res.end(
            `<Response><Errors><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></Errors></Response>`,
          );
      }
    });
  });
  const listen = (server: Server, scheme = "http") =>
    new Promise<string>((resolve) =>
      server.listen(0, "127.0.0.1", () =>
        resolve(`${scheme}://127.0.0.1:${(server.address() as { port: number }).port}`),
      ),
    );
  return {
    kubernetes: await listen(kubernetes, options.tls ? "https" : "http"),
    ec2: await listen(ec2),
    requests,
    close: async () => {
      await Promise.all([kubernetes, ec2].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendXml(res: ServerResponse, body: string) {
  res.writeHead(200, { "content-type": "text/xml;charset=UTF-8" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => resolve(body));
  });
}

const describeQuery = (q: URLSearchParams) =>
  [...q.entries()]
    .filter(([k]) => k !== "Action" && k !== "Version")
    .map(([k, v]) => `${k}=${v}`)
    .join("&");

/** EC2's XML names: lowerCamel members, lists as <...Set><item>; these lists have names of their own. */
const LIST_NAMES: Record<string, string> = {
  Tags: "tagSet",
  TagSet: "tagSet",
  PrivateIpAddresses: "privateIpAddressesSet",
  Ipv4Prefixes: "ipv4PrefixSet",
  Groups: "groupSet",
  Ipv6Addresses: "ipv6AddressesSet",
  Ipv6CidrBlockAssociationSet: "ipv6CidrBlockAssociationSet",
};

function toXml(value: any): string {
  return Object.entries(value)
    .map(([key, v]) => {
      const name = LIST_NAMES[key] ?? key[0].toLowerCase() + key.slice(1);
      if (Array.isArray(v))
        return `<${name}>${v.map((i) => `<item>${typeof i === "object" ? toXml(i) : escape(String(i))}</item>`).join("")}</${name}>`;
      if (typeof v === "object" && v !== null) return `<${name}>${toXml(v)}</${name}>`;
      return `<${name}>${escape(String(v))}</${name}>`;
    })
    .join("");
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
