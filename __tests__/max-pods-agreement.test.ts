/**
 * One max pods per node group, wherever it is read: the IP plan report (`ip-plan --json`), the
 * kubelet's maxPods in the synthesized node user data, and AWS's calculator as `npm run max-pods`
 * mirrors it, given the flags the plan's settings for that group mean (--cni-max-eni for Multus
 * groups, --cni-pod-security-groups-enabled with security groups for pods). For a group with an explicit maxPods the first two equal it and the calculator's answer is
 * at least it. Every shipped environment and every fixture is held to it.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS_DIR, environmentNames } from "../modules/load/load";
import { NODE_GROUP_LABEL } from "../modules/plan/labels";
import { cniSettingsFor } from "../modules/plan/node-group-max-pods";
import { ipPlanReport } from "../modules/report/ip-plan-report";
import { run as maxPodsCommand } from "../scripts/max-pods";
import { runInProcess } from "./support/commands";
import { FIXTURE_ENVIRONMENTS_DIR, loadFile } from "./support/environments";
import { decodeBase64encode, resources, synthEnvironment, synthNamed, type Synthesized } from "./support/synth";

type LaunchTemplate = { user_data: string; tags?: Record<string, string> };

/** The kubelet's maxPods in each launch template's NodeConfig, by node group (Multus slots repeat their group's). */
function kubeletMaxPods(synth: Synthesized): Map<string, number[]> {
  const byGroup = new Map<string, number[]>();
  for (const template of Object.values(resources<LaunchTemplate>(synth.stack("nodes"), "aws_launch_template"))) {
    const group = template.tags?.[NODE_GROUP_LABEL];
    const maxPods = /^ {6}maxPods: (\d+)$/m.exec(decodeBase64encode(template.user_data))?.[1];
    if (!group || !maxPods) throw new Error("a launch template without its node group tag or maxPods");
    byGroup.set(group, [...(byGroup.get(group) ?? []), Number(maxPods)]);
  }
  return byGroup;
}

/** The calculator's flags for the plan's settings of one node group. */
function calculatorFlags(settings: ReturnType<typeof cniSettingsFor>): string[] {
  return [
    ...(settings.customNetworking ? ["--cni-custom-networking-enabled"] : []),
    ...(settings.subnetDiscovery ? ["--cni-subnet-discovery-enabled"] : []),
    ...(settings.prefixDelegation ? ["--cni-prefix-delegation-enabled"] : []),
    ...(settings.maxEni !== undefined ? ["--cni-max-eni", String(settings.maxEni)] : []),
    ...(settings.cniVersion !== undefined ? ["--cni-version", settings.cniVersion] : []),
    // Ours, not AWS's: the trunk ENI of security groups for pods (modules/plan/max-pods.ts).
    ...(settings.podSecurityGroups ? ["--cni-pod-security-groups-enabled"] : []),
  ];
}

const cases: Array<[string, string, () => Synthesized]> = [
  ...environmentNames().map((name): [string, string, () => Synthesized] => [
    `shipped ${name}`,
    join(ENVIRONMENTS_DIR, `${name}.yaml`),
    () => synthNamed(name),
  ]),
  ...readdirSync(FIXTURE_ENVIRONMENTS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f): [string, string, () => Synthesized] => {
      const file = join(FIXTURE_ENVIRONMENTS_DIR, f);
      return [`fixture ${f}`, file, () => synthEnvironment({ EKS_ENV_FILE: file })];
    }),
];

describe.each(cases)("%s", (_, file, synthesize) => {
  const loaded = loadFile(file);
  const synth = synthesize();
  afterAll(() => synth.cleanup());
  const report = ipPlanReport(loaded);
  const kubelet = kubeletMaxPods(synth);

  it.each(loaded.env.nodeGroups.map((g) => [g.name, g] as const))(
    "%s: ip-plan, kubelet and the calculator agree",
    (name, group) => {
      const reported = report.nodeGroups.find((g) => g.name === name)!.maxPods;
      const flags = calculatorFlags(cniSettingsFor(group, loaded.env));
      const calculator = (...extra: string[]) => {
        const result = runInProcess(maxPodsCommand, "--instance-type", group.instanceType, ...flags, ...extra);
        expect(result.code).toBe(0);
        return Number(result.stdout.trim());
      };
      const templates = kubelet.get(name)!;
      expect(templates.length).toBeGreaterThan(0);
      for (const kubeletMaxPods of templates) expect(kubeletMaxPods).toBe(reported);
      if (group.maxPods === undefined) {
        expect(reported).toBe(calculator());
      } else {
        expect(reported).toBe(group.maxPods);
        expect(calculator("--show-max-allowed")).toBeGreaterThanOrEqual(group.maxPods);
      }
    },
  );
});

it("the Multus group in secondary-IP mode gets 30, not the 44 of its instance type without the Multus ENI", () => {
  const report = ipPlanReport(loadFile(join(FIXTURE_ENVIRONMENTS_DIR, "multus-secondary-ips.yaml")));
  expect(report.nodeGroups.map((g) => [g.name, g.maxPods])).toEqual([
    ["general", 44],
    ["cnf", 30],
  ]);
});
