import { closest, editDistance } from "../modules/spelling/edit-distance";

describe("editDistance", () => {
  it.each([
    ["natGateway", "natGateways", 1],
    ["m5.xlagre", "m5.xlarge", 1],
    ["instance_type", "instanceType", 2],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("%s -> %s is %i", (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

describe("closest", () => {
  it("suggests the key that was probably meant", () => {
    expect(closest("natGateway", ["vpcCidr", "natGateways", "zones"])).toBe("natGateways");
    expect(closest("Region", ["region", "tags"])).toBe("region");
  });

  it("suggests nothing when every candidate is far", () => {
    expect(closest("foo", ["network", "cluster"])).toBeUndefined();
  });
});
