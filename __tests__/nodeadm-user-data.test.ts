import { parse } from "yaml";
import { MIME_BOUNDARY, nodeadmUserData, nodeConfigYaml, type NodeadmJoin } from "../modules/k8s/nodeadm-user-data";

const join: NodeadmJoin = {
  clusterName: "cluster-demo",
  apiServerEndpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
  certificateAuthority: "LS0tLS1CRUdJTi==",
  serviceCidr: "172.17.0.0/24",
  maxPods: 110,
  labels: { role: "workers", "eks.amazonaws.com/nodegroup": "ng-2-workers" },
  taints: [
    { key: "workload", value: "batch", effect: "NO_SCHEDULE" },
    { key: "dedicated", effect: "NO_EXECUTE" },
  ],
};

/** The parts of a multipart/mixed document, as [headers, body] pairs. */
function mimeParts(text: string): Array<[string, string]> {
  const boundary = /boundary=([^\s;]+)/.exec(text)![1];
  const [, ...rest] = text.split(`--${boundary}`);
  expect(rest.pop()!.startsWith("--")).toBe(true); // closing delimiter
  return rest.map((part) => {
    const [headers, ...body] = part.replace(/^\n/, "").split("\n\n");
    return [headers, body.join("\n\n")];
  });
}

describe("nodeadm user data", () => {
  it("is a MIME multipart document with one NodeConfig part", () => {
    const text = nodeadmUserData(join);
    expect(text.startsWith(`MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=${MIME_BOUNDARY}\n`)).toBe(true);
    const parts = mimeParts(text);
    expect(parts).toHaveLength(1);
    expect(parts[0][0]).toBe("Content-Type: application/node.eks.aws");
  });

  it("carries the whole join and the kubelet's maxPods", () => {
    const config = parse(mimeParts(nodeadmUserData(join))[0][1]);
    expect(config).toEqual({
      apiVersion: "node.eks.aws/v1alpha1",
      kind: "NodeConfig",
      spec: {
        cluster: {
          name: "cluster-demo",
          apiServerEndpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
          certificateAuthority: "LS0tLS1CRUdJTi==",
          cidr: "172.17.0.0/24",
        },
        kubelet: {
          config: { maxPods: 110 },
          flags: [
            "--node-labels=role=workers,eks.amazonaws.com/nodegroup=ng-2-workers",
            "--register-with-taints=workload=batch:NoSchedule,dedicated:NoExecute",
          ],
        },
      },
    });
  });

  it("omits kubelet flags when there are no labels or taints", () => {
    expect(parse(nodeConfigYaml({ ...join, labels: {}, taints: [] })).spec.kubelet).toEqual({
      config: { maxPods: 110 },
    });
  });

  it("refuses double quotes, which cdktf's base64encode cannot take", () => {
    expect(() => nodeadmUserData({ ...join, labels: { note: 'say "hi"' } })).toThrow(/double quotes/);
  });
});
