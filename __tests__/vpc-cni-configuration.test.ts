import { vpcCniConfiguration } from "../modules/k8s/vpc-cni-configuration";
import { ZONE_LABEL } from "../modules/plan/labels";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { vpcCniConfigurationValidator } from "./support/vpc-cni-schema";

const validate = vpcCniConfigurationValidator();
const podSubnets = (azs: string[]) =>
  Object.fromEntries(azs.map((az) => [az, { id: `subnet-${az}`, securityGroups: ["sg-cluster"] }]));

describe("vpc-cni configuration values", () => {
  it.each(environmentNames())("%s: valid against the add-on's published schema", (name) => {
    const { env } = loadEnvironment({ EKS_ENV: name });
    const config = vpcCniConfiguration({
      cni: env.cni,
      region: env.region,
      podSubnets: podSubnets(Object.keys(env.network.zones)),
    });
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it("demo: custom networking by zone label, prefix delegation, warm prefix 1, no external SNAT, an ENIConfig per AZ", () => {
    const { env } = loadEnvironment({ EKS_ENV: "demo" });
    const config = vpcCniConfiguration({
      cni: env.cni,
      region: env.region,
      podSubnets: podSubnets(["us-east-1a", "us-east-1b"]),
    });
    expect(config.env).toEqual({
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: ZONE_LABEL,
      ENABLE_PREFIX_DELEGATION: "true",
      WARM_PREFIX_TARGET: "1",
      AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
    });
    expect(config.eniConfig).toEqual({
      create: true,
      region: "us-east-1",
      subnets: podSubnets(["us-east-1a", "us-east-1b"]),
    });
  });

  it("public-pods: external SNAT, no custom networking and no ENIConfig", () => {
    const { env } = loadEnvironment({ EKS_ENV: "public-pods" });
    const config = vpcCniConfiguration({ cni: env.cni, region: env.region, podSubnets: {} });
    expect(config.env).toMatchObject({
      AWS_VPC_K8S_CNI_EXTERNALSNAT: "true",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
    });
    expect(config.env.ENI_CONFIG_LABEL_DEF).toBeUndefined();
    expect(config.eniConfig).toBeUndefined();
  });

  it("passes the warm and minimum IP targets as strings when set", () => {
    const { env } = loadEnvironment({ EKS_ENV: "production" });
    const config = vpcCniConfiguration({
      cni: { ...env.cni, warmIpTarget: 5 },
      region: env.region,
      podSubnets: podSubnets(["eu-west-1a"]),
    });
    expect(config.env).toMatchObject({ WARM_IP_TARGET: "5", MINIMUM_IP_TARGET: "16" });
    expect(validate(config)).toBe(true);
  });

  it("the schema check has teeth: unknown keys, wrong types and missing fields fail", () => {
    const good = vpcCniConfiguration({
      cni: loadEnvironment({ EKS_ENV: "demo" }).env.cni,
      region: "us-east-1",
      podSubnets: podSubnets(["us-east-1a"]),
    });
    expect(validate({ ...good, env: { ...good.env, WARM_PREFIX_TARGET: 1 } })).toBe(false);
    expect(validate({ ...good, env: { ...good.env, ENABLE_PREFIX_DELEGATION: "yes" } })).toBe(false);
    expect(validate({ ...good, env: { ...good.env, ENABLE_PREFIX_DELEGATON: "true" } })).toBe(false);
    expect(validate({ ...good, eniConfig: { create: true, subnets: good.eniConfig!.subnets } })).toBe(false);
    expect(
      validate({ ...good, eniConfig: { ...good.eniConfig!, subnets: { "us-east-1a": { securityGroups: [] } } } }),
    ).toBe(false);
  });
});

describe("vpc-cni configuration: network policy and security groups for pods", () => {
  const cniOf = (name: string) => loadEnvironment({ EKS_ENV: name }).env.cni;
  const base = { ...cniOf("public-pods"), externalSnat: false };

  it("network policy: enableNetworkPolicy at the top level, as a string, valid against the schema", () => {
    const config = vpcCniConfiguration({ cni: { ...base, networkPolicy: true }, region: "us-east-1", podSubnets: {} });
    expect(config.enableNetworkPolicy).toBe("true");
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    // The schema has teeth here too: a boolean, or the key under env, is refused.
    expect(validate({ ...config, enableNetworkPolicy: true })).toBe(false);
    expect(validate({ ...config, env: { ...config.env, ENABLE_NETWORK_POLICY: "true" } })).toBe(false);
  });

  it("standard mode: ENABLE_POD_ENI and the mode, and no init settings (early demux matters in strict mode only)", () => {
    const config = vpcCniConfiguration({
      cni: { ...base, podSecurityGroups: { enforcingMode: "standard", policies: [] } },
      region: "us-east-1",
      podSubnets: {},
    });
    expect(config.env).toMatchObject({ ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" });
    expect(config.init).toBeUndefined();
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it("strict mode: DISABLE_TCP_EARLY_DEMUX under init.env, the only place the add-on takes it", () => {
    const config = vpcCniConfiguration({
      cni: { ...base, podSecurityGroups: { enforcingMode: "strict", policies: [] } },
      region: "us-east-1",
      podSubnets: {},
    });
    expect(config.init).toEqual({ env: { DISABLE_TCP_EARLY_DEMUX: "true" } });
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...config, env: { ...config.env, DISABLE_TCP_EARLY_DEMUX: "true" } })).toBe(false);
  });

  it("leaves every new key out when its feature is off, so deployed environments keep their configuration", () => {
    const config = vpcCniConfiguration({ cni: base, region: "us-east-1", podSubnets: {} });
    expect(Object.keys(config)).toEqual(["env"]);
    expect(Object.keys(config.env).sort()).toEqual([
      "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
      "AWS_VPC_K8S_CNI_EXTERNALSNAT",
      "ENABLE_PREFIX_DELEGATION",
    ]);
  });
});
