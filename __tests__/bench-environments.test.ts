import { parseEnvironment } from "../modules/load/load";
import { SCALING_CASES, scalingEnvironment } from "../scripts/bench-environments";

describe("benchmark environments", () => {
  it("cover 2, 3 and 6 AZs with 0, 10 and 100 public-IP pods", () => {
    expect(SCALING_CASES.map((c) => `${c.zones}/${c.publicIpPods}`)).toEqual([
      "2/0",
      "2/10",
      "2/100",
      "3/0",
      "3/10",
      "3/100",
      "6/0",
      "6/10",
      "6/100",
    ]);
  });

  it.each(SCALING_CASES)("$zones AZs, $publicIpPods pods: a valid environment of that size", (c) => {
    const { env } = parseEnvironment(scalingEnvironment(c), `bench-${c.zones}-${c.publicIpPods}.yaml`);
    expect(Object.keys(env.network.zones)).toHaveLength(c.zones);
    expect(env.workloads.publicIpPods.reduce((n, p) => n + p.replicas, 0)).toBe(c.publicIpPods);
  });
});
