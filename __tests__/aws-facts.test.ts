/**
 * What the plan assumes of the account and region is checked at plan time, in the first stack, by
 * data sources whose postconditions stop the plan: each condition refers to its own data source
 * (self) and holds the plan's values (the AZs of each group, the addresses planned, the zone IDs EKS
 * refuses), and the Elastic IP one to the data sources of the addresses allocated.
 */
import { loadEnvironment } from "../modules/load/load";
import {
  controlPlaneZoneChecks,
  instanceTypeZones,
  plannedElasticIps,
  UNSUPPORTED_CONTROL_PLANE_ZONE_IDS,
} from "../modules/plan/aws-facts";
import { Testing } from "cdktf";
import { AwsFactChecks } from "../modules/constructs/network/aws-fact-checks";
import { edited, load } from "./support/environments";
import { dataSources, synthNamed, type Synthesized, type TfJson } from "./support/synth";

type Condition = { condition: string; error_message: string };
type WithConditions = { lifecycle?: { postcondition?: Condition[]; precondition?: Condition[] } };
type Offerings = WithConditions & { location_type: string; filter: Array<{ name: string; values: string[] }> };
type Quota = WithConditions & { service_code: string; quota_code: string };
type Eips = { tags?: Record<string, string> };
type Zone = WithConditions & { name: string };

const postconditions = (source: WithConditions) => source.lifecycle?.postcondition ?? [];

/** The one data source of a type, with its logical id. */
function single<T>(json: TfJson, type: string, where: (s: T) => boolean = () => true): [string, T] {
  const found = Object.entries(dataSources<T>(json, type)).filter(([, s]) => where(s));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

describe("the plan's AWS facts", () => {
  it("lists each instance type with the AZs of its groups (Multus groups: where their slots are)", () => {
    const telco = loadEnvironment({ EKS_ENV: "telco" }).env;
    expect(instanceTypeZones(telco)).toEqual([
      { instanceType: "m5.xlarge", groups: [{ name: "general", zones: ["eu-central-1a", "eu-central-1b"] }] },
      { instanceType: "m5.2xlarge", groups: [{ name: "cnf", zones: ["eu-central-1a", "eu-central-1b"] }] },
    ]);
  });

  it("counts the Elastic IPs the plan allocates: NAT gateways, public-IP pods, pods on public Multus networks", () => {
    expect(plannedElasticIps(loadEnvironment({ EKS_ENV: "public-pods" }).env)).toEqual({
      natGateways: 1,
      pods: 2,
      total: 3,
    });
    expect(plannedElasticIps(loadEnvironment({ EKS_ENV: "production" }).env).total).toBe(3);
    // telco-edge: one NAT gateway, and a pod on each of 2 slots with 2 public Multus networks each.
    expect(plannedElasticIps(loadEnvironment({ EKS_ENV: "telco-edge" }).env)).toEqual({
      natGateways: 1,
      pods: 4,
      total: 5,
    });
  });

  it("checks control-plane zone IDs only in the regions where EKS refuses some", () => {
    expect(UNSUPPORTED_CONTROL_PLANE_ZONE_IDS).toEqual({
      "us-east-1": ["use1-az3"],
      "us-west-1": ["usw1-az2"],
      "ca-central-1": ["cac1-az3"],
    });
    expect(controlPlaneZoneChecks(loadEnvironment({ EKS_ENV: "demo" }).env).map((c) => c.az)).toEqual([
      "us-east-1a",
      "us-east-1b",
    ]);
    expect(controlPlaneZoneChecks(loadEnvironment({ EKS_ENV: "production" }).env)).toEqual([]);
  });
});

describe("public-pods: postconditions in the network stack, the first one deployed", () => {
  let synth: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    synth = synthNamed("public-pods");
    net = synth.stack("network");
  });
  afterAll(() => synth.cleanup());

  it("m5.xlarge must be offered in each AZ of ng-public: the condition reads self.locations for exactly those AZs", () => {
    const [, offerings] = single<Offerings>(net, "aws_ec2_instance_type_offerings");
    expect(offerings.location_type).toBe("availability-zone");
    expect(offerings.filter).toEqual([{ name: "instance-type", values: ["m5.xlarge"] }]);
    const [post] = postconditions(offerings);
    expect(post.condition).toBe('${alltrue([for az in ["us-east-1a", "us-east-1b"] : contains(self.locations, az)])}');
    expect(post.error_message).toContain("Node group ng-public: EC2 does not offer m5.xlarge in every AZ");
    expect(post.error_message).toContain('${join(", ", self.locations)}');
  });

  it("the Elastic IP quota must cover the addresses allocated outside this environment plus the plan's 3", () => {
    const [, quota] = single<Quota>(net, "aws_servicequotas_service_quota");
    expect(quota).toMatchObject({ service_code: "ec2", quota_code: "L-0263D0A3" });
    const [allId] = single<Eips>(net, "aws_eips", (e) => e.tags === undefined);
    const [ownId, own] = single<Eips>(net, "aws_eips", (e) => e.tags !== undefined);
    // This environment's own addresses carry its provider's default tag Cluster=<name>.
    expect(own.tags).toEqual({ Cluster: "cluster-demo-2" });
    expect(synth.stack("workloads").provider?.aws?.[0]).toMatchObject({
      default_tags: [{ tags: { Cluster: "cluster-demo-2" } }],
    });
    const [post] = postconditions(quota);
    expect(post.condition).toBe(
      `\${self.value >= length(data.aws_eips.${allId}.public_ips) - length(data.aws_eips.${ownId}.public_ips) + 3}`,
    );
    expect(post.error_message).toContain("the plan needs 3 (1 for NAT gateways, 2 for public-IP pods)");
    expect(post.error_message).toContain("${self.value}");
  });

  it("no control-plane subnet may be in zone use1-az3: one aws_availability_zone per control-plane AZ, by name", () => {
    const zones = Object.values(dataSources<Zone>(net, "aws_availability_zone"));
    expect(zones.map((z) => z.name)).toEqual(["us-east-1a", "us-east-1b"]);
    for (const zone of zones) {
      const [post] = postconditions(zone);
      expect(post.condition).toBe('${!contains(["use1-az3"], self.zone_id)}');
      expect(post.error_message).toContain(`${zone.name} is zone \${self.zone_id} in this account`);
    }
  });
});

describe("every group of an instance type gets its own condition, with its own AZs", () => {
  it("two groups of m6i.2xlarge in different AZs: one condition each, naming its group", () => {
    const env = load(
      edited("production", (d) => {
        d.nodeGroups[1].instanceType = "m6i.2xlarge";
        d.nodeGroups[1].zones = ["eu-west-1b"];
      }),
    ).env;
    // The construct alone, on a tiny scope, with the plan's facts (the network stack passes the same).
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new AwsFactChecks(scope, "facts", {
          region: env.region,
          instanceTypes: instanceTypeZones(env),
          elasticIps: plannedElasticIps(env),
          ownTags: { Cluster: env.cluster.name },
          controlPlaneZones: controlPlaneZoneChecks(env),
        });
      }),
    ) as TfJson;
    const [, offerings] = single<Offerings>(json, "aws_ec2_instance_type_offerings");
    expect(postconditions(offerings).map((p) => p.condition)).toEqual([
      '${alltrue([for az in ["eu-west-1a", "eu-west-1b", "eu-west-1c"] : contains(self.locations, az)])}',
      '${alltrue([for az in ["eu-west-1b"] : contains(self.locations, az)])}',
    ]);
    expect(postconditions(offerings)[1].error_message).toContain("Node group batch-spot:");
    // eu-west-1 has no zone EKS refuses: no zone data source at all.
    expect(dataSources(json, "aws_availability_zone")).toEqual({});
  });

  it("ca-central-1: a control plane in dedicated subnets is checked in their AZs against cac1-az3", () => {
    const env = load(
      edited("production", (d) => {
        d.region = "ca-central-1";
        const zones: Record<string, unknown> = {};
        Object.values(d.network.zones).forEach((zone, i) => (zones[`ca-central-1${"abd"[i]}`] = zone));
        d.network.zones = zones;
      }),
    ).env;
    expect(controlPlaneZoneChecks(env)).toEqual([
      { az: "ca-central-1a", unsupportedZoneIds: ["cac1-az3"] },
      { az: "ca-central-1b", unsupportedZoneIds: ["cac1-az3"] },
      { az: "ca-central-1d", unsupportedZoneIds: ["cac1-az3"] },
    ]);
  });
});
