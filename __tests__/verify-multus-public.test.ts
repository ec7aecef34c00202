/**
 * verify on a public Multus network: telco's recorded state, edited by hand into what a deployment of
 * telco-public-media (telco with media public) looks like (literal values), holds to that plan; and
 * each thing off the plan fails exactly its check.
 */
import { readRecordedState } from "../modules/verify/recorded-state";
import { verify } from "../modules/verify/verify";
import { edited, load } from "./support/environments";
import { editedState, recorded, verifyState, wrongChecks, wrongRows, type RecordedTexts } from "./support/recorded";

const MEDIA_SG = { GroupId: "sg-0c9d0e1f2a3b4c5d6", GroupName: "telco-core-multus-media" };

/** One Elastic IP of a pod on media, as `aws ec2 describe-addresses` prints it. */
const mediaAddress = (pod: string, publicIp: string, eni: string, privateIp: string, n: number) => ({
  AllocationId: `eipalloc-0e6f7a8b9c0d1e20${n}`,
  AssociationId: `eipassoc-0f7a8b9c0d1e2f30${n}`,
  Domain: "vpc",
  NetworkInterfaceId: eni,
  NetworkInterfaceOwnerId: "111122223333",
  PrivateIpAddress: privateIp,
  Tags: [
    { Key: "Name", Value: `${pod}-media` },
    { Key: "eks-custom-networking/pod", Value: `telco/${pod}` },
    { Key: "eks-custom-networking/multus-network", Value: "media" },
    { Key: "Cluster", Value: "telco-core" },
  ],
  PublicIpv4Pool: "amazon",
  NetworkBorderGroup: "eu-central-1",
  PublicIp: publicIp,
});

/** telco's state as telco-public-media deploys it: StatefulSet pods, the fixed addresses as the ENIs' own, Elastic IPs. */
function publicMediaState(): RecordedTexts {
  let texts = editedState(recorded("telco"), "pods.json", (d) => {
    const pods = [
      ["cnf-demo-eu-central-1a", "cnf-demo-cnf-0-0", "eu-central-1a", "cnf-0"],
      ["cnf-demo-eu-central-1b", "cnf-demo-cnf-1-0", "eu-central-1b", "cnf-1"],
    ];
    for (const [prefix, name, az, slot] of pods) {
      const pod = d.items.find((p: { metadata: { name: string } }) => p.metadata.name.startsWith(prefix));
      pod.metadata.name = name;
      const a = pod.metadata.annotations;
      a["k8s.v1.cni.cncf.io/networks"] = `telco/signalling-${az},telco/media-${slot}`;
      a["k8s.v1.cni.cncf.io/network-status"] = a["k8s.v1.cni.cncf.io/network-status"].replace(
        `telco/media-${az}`,
        `telco/media-${slot}`,
      );
    }
  });
  texts = editedState(texts, "network-interfaces.json", (d) => {
    for (const [id, fixed] of [
      ["eni-0a2b3c4d5e6f70003", "10.30.12.64"],
      ["eni-0a2b3c4d5e6f70013", "10.30.13.64"],
    ]) {
      const eni = d.NetworkInterfaces.find((e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId === id);
      eni.PrivateIpAddress = fixed;
      eni.PrivateDnsName = `ip-${fixed.replace(/\./g, "-")}.eu-central-1.compute.internal`;
      eni.PrivateIpAddresses = [{ Primary: true, PrivateDnsName: eni.PrivateDnsName, PrivateIpAddress: fixed }];
      eni.Groups = [MEDIA_SG];
    }
  });
  return editedState(texts, "addresses.json", (d) => {
    d.Addresses.push(mediaAddress("cnf-demo-cnf-0-0", "198.51.100.151", "eni-0a2b3c4d5e6f70003", "10.30.12.64", 1));
    d.Addresses.push(mediaAddress("cnf-demo-cnf-1-0", "198.51.100.152", "eni-0a2b3c4d5e6f70013", "10.30.13.64", 2));
  });
}

describe("verify: public Multus networks (telco with media public)", () => {
  const state = publicMediaState();

  it("a state that matches the plan holds in every check, with rows for the fixed addresses and Elastic IPs", () => {
    const report = verifyState("telco-public-media", state);
    expect(wrongRows(report)).toEqual([]);
    const rows = (id: string) => report.checks.find((c) => c.id === id)!.rows;
    expect(rows("public-ips").map((r) => [r.subject, r.property, r.status])).toEqual([
      ["pod telco/cnf-demo-cnf-0-0", "Elastic IP on media", "ok"],
      ["pod telco/cnf-demo-cnf-1-0", "Elastic IP on media", "ok"],
      // The NAT gateway's address is tagged with no pod: not this check's.
    ]);
    expect(rows("multus").filter((r) => r.subject.startsWith("statefulset"))).toEqual([
      expect.objectContaining({ subject: "statefulset telco/cnf-demo-cnf-0", status: "ok" }),
      expect.objectContaining({ subject: "statefulset telco/cnf-demo-cnf-1", status: "ok" }),
    ]);
    expect(rows("multus")).toContainEqual(
      expect.objectContaining({
        subject: "pod telco/cnf-demo-cnf-0-0",
        property: "telco/media-cnf-0 (net2): 10.30.12.64 in EC2",
        found: "the own address of eni-0a2b3c4d5e6f70003",
      }),
    );
  });

  it("the unedited telco state is wrong for this plan: the media addresses are secondaries and no Elastic IP exists", () => {
    expect(wrongChecks(verifyState("telco-public-media", recorded("telco")))).toEqual(
      expect.arrayContaining(["multus", "public-ips"]),
    );
  });

  it("an Elastic IP associated with another address: only public-ips", () => {
    const report = verifyState(
      "telco-public-media",
      editedState(state, "addresses.json", (d) => (d.Addresses[1].PrivateIpAddress = "10.30.12.11")),
    );
    expect(wrongChecks(report)).toEqual(["public-ips"]);
    expect(wrongRows(report)).toEqual([
      expect.objectContaining({
        subject: "pod telco/cnf-demo-cnf-0-0",
        found: "198.51.100.151 on 10.30.12.11 of eni-0a2b3c4d5e6f70003",
        expected: "198.51.100.151 on 10.30.12.64 (cnf-0's fixed address on media) of eni-0a2b3c4d5e6f70003",
      }),
    ]);
  });

  it("a fixed address held as a secondary of an ENI with another own address: only multus, in EC2", () => {
    const report = verifyState(
      "telco-public-media",
      editedState(state, "network-interfaces.json", (d) => {
        const eni = d.NetworkInterfaces.find(
          (e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId === "eni-0a2b3c4d5e6f70013",
        );
        eni.PrivateIpAddress = "10.30.13.11";
        eni.PrivateIpAddresses.unshift({ Primary: true, PrivateIpAddress: "10.30.13.11" });
        eni.PrivateIpAddresses[1].Primary = false;
      }),
    );
    expect(wrongChecks(report)).toEqual(["multus"]);
    expect(wrongRows(report).map((r) => [r.subject, r.property, r.found])).toEqual([
      [
        "pod telco/cnf-demo-cnf-1-0",
        "telco/media-cnf-1 (net2): 10.30.13.64 in EC2",
        "on eni-0a2b3c4d5e6f70013 (10.30.13.11) of i-0a0b0c0d0e0f01004",
      ],
    ]);
  });

  it("an Elastic IP the network releases (public.release) still allocated: public-ips, until the next deploy releases it", () => {
    const loaded = load(
      edited("telco-public-media", (d) => {
        d.multus.networks.find((n: { name: string }) => n.name === "media").public.release = ["cnf-demo-cnf-1-0-media"];
      }),
    );
    const report = verify(
      { env: loaded.env, environmentName: "telco-public-media", file: loaded.file, state: readRecordedState(state) },
      { kind: "recorded", directory: "test" },
    );
    expect(wrongChecks(report)).toEqual(["public-ips"]);
    expect(wrongRows(report)).toEqual([
      expect.objectContaining({
        subject: "Elastic IP 198.51.100.152",
        property: "allocation",
        found: "allocated, on 10.30.13.64 (telco/cnf-demo-cnf-1-0 on media)",
        expected: "released: media's public.release names it",
        fix: "npm run deploy -- workloads releases it",
      }),
    ]);
  });

  it("a pod missing from its slot: only multus, naming its StatefulSet", () => {
    const report = verifyState(
      "telco-public-media",
      editedState(state, "pods.json", (d) => {
        d.items = d.items.filter((p: { metadata: { name: string } }) => p.metadata.name !== "cnf-demo-cnf-1-0");
      }),
    );
    expect(wrongChecks(report)).toEqual(["multus"]);
    expect(wrongRows(report)).toEqual([
      expect.objectContaining({
        subject: "statefulset telco/cnf-demo-cnf-1",
        found: "none",
        expected: "cnf-demo-cnf-1-0 on cnf-1",
      }),
    ]);
  });
});
