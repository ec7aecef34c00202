import {
  cidr,
  contains,
  free28Blocks,
  overlaps,
  parseCidr,
  awsReservedAddresses,
  usableAddresses,
  formatAddress,
} from "../modules/plan/cidr";

describe("parseCidr", () => {
  it("accepts network addresses and gives their range", () => {
    const block = cidr("172.16.10.0/24");
    expect(formatAddress(block.first)).toBe("172.16.10.0");
    expect(formatAddress(block.last)).toBe("172.16.10.255");
    expect(block.size).toBe(256);
  });

  it("rejects host bits and suggests the network address", () => {
    expect(parseCidr("172.16.10.7/24")).toEqual({
      ok: false,
      reason: expect.stringContaining("host bits set"),
      suggestion: "172.16.10.0/24",
    });
  });

  it.each(["172.16.300.0/24", "172.16.0.0/33", "172.16.0.0", "172.16.0/16"])("rejects %s", (text) => {
    expect(parseCidr(text).ok).toBe(false);
  });
});

describe("containment and overlap", () => {
  it("sees a /24 inside its /16 and not inside a neighbour", () => {
    expect(contains(cidr("172.16.0.0/16"), cidr("172.16.1.0/24"))).toBe(true);
    expect(contains(cidr("172.17.0.0/16"), cidr("172.16.1.0/24"))).toBe(false);
  });

  it("treats touching blocks as apart and shared addresses as overlap", () => {
    expect(overlaps(cidr("10.0.0.0/25"), cidr("10.0.0.128/25"))).toBe(false);
    expect(overlaps(cidr("10.0.0.0/24"), cidr("10.0.0.128/25"))).toBe(true);
  });
});

describe("AWS subnet arithmetic", () => {
  it("keeps 5 addresses of every subnet: the first four and the last", () => {
    expect(usableAddresses(cidr("172.16.1.0/24"))).toBe(251);
    expect(usableAddresses(cidr("10.0.0.0/28"))).toBe(11);
    expect(awsReservedAddresses(cidr("10.0.0.0/28")).map(formatAddress)).toEqual([
      "10.0.0.0",
      "10.0.0.1",
      "10.0.0.2",
      "10.0.0.3",
      "10.0.0.15",
    ]);
  });

  it("counts the /28 blocks prefix delegation can use: all but the first and last", () => {
    expect(free28Blocks(cidr("172.16.10.0/24"))).toBe(14);
    expect(free28Blocks(cidr("100.64.0.0/18"))).toBe(1022);
    expect(free28Blocks(cidr("10.0.0.0/27"))).toBe(0);
    expect(free28Blocks(cidr("10.0.0.0/28"))).toBe(0);
  });
});
