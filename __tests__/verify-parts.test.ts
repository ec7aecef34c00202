/** The parts verify's checks stand on: address-space arithmetic, Multus annotations, the recorded-file reader. */
import { subnetSpace } from "../modules/verify/address-space";
import { networkStatus, requestedNetworks } from "../modules/verify/checks/network-status";
import { readRecordedState, RecordedStateError } from "../modules/verify/recorded-state";

describe("subnetSpace", () => {
  // 10.0.0.0/26: 64 addresses, 4 aligned /28 blocks; AWS keeps .0-.3 and .63, so blocks 0 and 3 are never free.
  const empty = subnetSpace("10.0.0.0/26", [], []);

  it("an empty subnet: all but AWS's 5 addresses free, the 2 middle /28 blocks free", () => {
    expect(empty).toMatchObject({
      usable: 59,
      freeAddresses: 59,
      free28Blocks: 2,
      ownAddresses: 0,
      foreignAddresses: 0,
    });
  });

  it("counts an interface's addresses and prefixes, and whose they are", () => {
    const space = subnetSpace(
      "10.0.0.0/26",
      [
        { id: "eni-own", addresses: ["10.0.0.5"], prefixes: ["10.0.0.16/28"], own: true },
        { id: "eni-lb", addresses: ["10.0.0.40", "10.0.0.41"], prefixes: [], own: false },
      ],
      [],
    );
    // .5 sits in block 0 (AWS's anyway); the prefix takes block 1; the load balancer's addresses take block 2.
    expect(space).toMatchObject({
      freeAddresses: 59 - 1 - 16 - 2,
      free28Blocks: 0,
      ownAddresses: 17,
      foreignAddresses: 2,
      delegatedPrefixes: 1,
      foreignInterfaces: ["eni-lb"],
    });
  });

  it("an explicit reservation is out of the free space (the plan's counts as its own); a prefix reservation stays free for prefixes", () => {
    const planned = subnetSpace("10.0.0.0/26", [], [{ cidr: "10.0.0.32/28", type: "explicit", planned: true }]);
    expect(planned).toMatchObject({ freeAddresses: 43, free28Blocks: 1, ownAddresses: 16, foreignAddresses: 0 });
    const other = subnetSpace("10.0.0.0/26", [], [{ cidr: "10.0.0.32/28", type: "explicit", planned: false }]);
    expect(other).toMatchObject({ freeAddresses: 43, ownAddresses: 0, foreignAddresses: 16 });
    expect(subnetSpace("10.0.0.0/26", [], [{ cidr: "10.0.0.16/28", type: "prefix", planned: true }])).toEqual(empty);
  });

  it("an address held by an interface inside a reservation is counted once", () => {
    const space = subnetSpace(
      "10.0.0.0/26",
      [{ id: "eni-multus", addresses: ["10.0.0.11", "10.0.0.33"], prefixes: [], own: true }],
      [{ cidr: "10.0.0.32/28", type: "explicit", planned: true }],
    );
    expect(space).toMatchObject({ ownAddresses: 17, freeAddresses: 59 - 17 });
  });
});

describe("Multus annotations", () => {
  it("network-status: the default network by `default`, whatever its interface is called", () => {
    const text = JSON.stringify([
      { name: "aws-cni", interface: "dummy5f3a9c21b7e", ips: ["10.0.19.107"], mac: "0", default: true, dns: {} },
      { name: "telco/n3", interface: "net1", ips: ["10.20.3.10"], mac: "02:4a:3e:dc:a7:9b", dns: {} },
      { name: "calico" },
    ]);
    expect(networkStatus(text)).toEqual({
      ok: true,
      entries: [
        { name: "aws-cni", interface: "dummy5f3a9c21b7e", ips: ["10.0.19.107"], default: true },
        { name: "telco/n3", interface: "net1", ips: ["10.20.3.10"], default: false },
        { name: "calico", interface: undefined, ips: [], default: false },
      ],
    });
    expect(networkStatus("{oops")).toEqual({ ok: false, reason: "not JSON" });
    expect(networkStatus(undefined)).toEqual({ ok: false, reason: "not set" });
  });

  it("networks: comma lists (with @interface) and JSON lists, qualified with the pod's namespace", () => {
    expect(requestedNetworks("signalling-a, telco/media-a@net2", "telco")).toEqual([
      "telco/signalling-a",
      "telco/media-a",
    ]);
    expect(requestedNetworks('[{"name":"n3","namespace":"core"},{"name":"n6","interface":"net2"}]', "telco")).toEqual([
      "core/n3",
      "telco/n6",
    ]);
    expect(requestedNetworks(undefined, "telco")).toEqual([]);
  });
});

describe("readRecordedState", () => {
  it("takes kubectl's List and the API server's own lists alike", () => {
    const nodeList = JSON.stringify({
      kind: "NodeList",
      apiVersion: "v1",
      metadata: {},
      items: [{ metadata: { name: "n1" } }],
    });
    expect(readRecordedState({ "nodes.json": nodeList }).nodes).toEqual([{ metadata: { name: "n1" } }]);
  });

  it("rejects a file that is not its command's output, naming the file, the command and where", () => {
    expect(() => readRecordedState({ "pods.json": "<html>" })).toThrow(RecordedStateError);
    expect(() => readRecordedState({ "pods.json": "<html>" })).toThrow(
      /^pods\.json: not JSON .*kubectl get pods -A -o json/,
    );
    expect(() =>
      readRecordedState({ "subnets.json": JSON.stringify({ Subnets: [{ SubnetId: "subnet-1" }] }) }),
    ).toThrow(
      "subnets.json: not the output of `aws ec2 describe-subnets --filters Name=vpc-id,Values=<vpc> --output json`: Subnets[0].CidrBlock:",
    );
    expect(() => readRecordedState({ "addresses.json": JSON.stringify({ Reservations: [] }) })).toThrow(
      /addresses\.json: .*Addresses:/,
    );
  });

  it("leaves out what was not recorded", () => {
    expect(readRecordedState({})).toEqual({});
  });
});
