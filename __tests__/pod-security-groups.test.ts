/**
 * Security groups for pods, from the environment file to what is synthesized: the trunk ENI in max
 * pods, the checks, the vpc-cni configuration, the cluster role, the security groups with their
 * rules, and the SecurityGroupPolicy objects installed before the workloads. The trunk and branch
 * ENIs in the demand rule and the IP plan: pod-security-groups-demand.test.ts.
 * Starts from fixtures/environments/pod-security-groups.yaml (m5.large, secondary IPs).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { loadEnvironment } from "../modules/load/load";
import { readRecordedState } from "../modules/verify/recorded-state";
import { verify } from "../modules/verify/verify";
import { nodeGroupMaxPods } from "../modules/plan/node-group-max-pods";
import {
  customResourceSchemaError,
  kubernetesSchemaError,
  manifestReleases,
  type CrdDocument,
} from "./support/kubernetes";
import { edited, environmentText, load, rejection, writeEnvironmentFile, type Editable } from "./support/environments";
import {
  decodeJsonencode,
  only,
  ref,
  resolveCrossStack,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";
import { editedState, recorded } from "./support/recorded";
import { vpcCniConfigurationValidator } from "./support/vpc-cni-schema";

const fixture = (edit: (d: Editable) => void = () => undefined) => edited("pod-security-groups", edit);
const withoutPodSecurityGroups = (d: Editable) => delete d.cni.podSecurityGroups;
const SGP_CRD: CrdDocument = parseAllDocuments(
  readFileSync(join(__dirname, "fixtures", "crds", "vpcresources.k8s.aws_securitygrouppolicies.yaml"), "utf8"),
)
  .map((d) => d.toJS())
  .find((d) => d?.kind === "CustomResourceDefinition");

describe("max pods: the trunk ENI (the rule in modules/plan/max-pods.ts)", () => {
  it("m5.large in secondary-IP mode: uncapped max pods is one pod ENI (9 addresses) lower with security groups for pods", () => {
    const { env } = load(fixture());
    const { env: plain } = load(fixture(withoutPodSecurityGroups));
    const trunked = nodeGroupMaxPods(env.nodeGroups[0], env);
    const without = nodeGroupMaxPods(plain.nodeGroups[0], plain);
    expect(without.computed).toMatchObject({ podEnis: 3, uncapped: 29, trunkEni: false });
    expect(trunked.computed).toMatchObject({ podEnis: 2, uncapped: 20, trunkEni: true, branchInterfaces: 9 });
    expect(without.computed.uncapped - trunked.computed.uncapped).toBe(trunked.computed.ipv4PerEni - 1);
    expect(trunked.maxPods).toBe(20);
  });

  it("is what the kubelet is told: the nodes stack's max pods for the group is 20", () => {
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("sgpp", fixture()) });
    try {
      expect(synth.stack("nodes").output!.max_pods.value).toEqual({ workers: 20 });
    } finally {
      synth.cleanup();
    }
  });

  it("refuses a maxPods that counts the trunk's addresses, naming the trunk", () => {
    const e = rejection(fixture((d) => (d.nodeGroups[0].maxPods = 29)));
    const problem = e.problems.find((p) => p.path.join(".") === "nodeGroups.0.maxPods")!;
    expect(problem.message).toContain(
      "workers: maxPods 29 is above what m5.large can address with security groups for pods (one ENI is the trunk) (2 ENIs x 9 addresses + 2 = 20)",
    );
    expect(problem.fix).toContain("lower maxPods to at most 20");
  });

  it("refuses a type with no ENI left for pods once custom networking and the trunk take theirs", () => {
    const e = rejection(
      fixture((d) => {
        d.cni.customNetworking = true;
        d.network.zones["us-east-1a"].pod = "10.60.10.0/24";
        d.network.zones["us-east-1b"].pod = "10.60.11.0/24";
        d.nodeGroups[0].instanceType = "a1.medium"; // 2 ENIs
      }),
    );
    expect(e.report).toMatch(
      /nodeGroups\[0\]\.instanceType: workers: a1\.medium has no ENI left for pod addresses with custom networking and security groups for pods \(one ENI is the trunk\)/,
    );
  });
});

describe("checks", () => {
  it("refuses ingress from 0.0.0.0/0", () => {
    const e = rejection(fixture((d) => (d.cni.podSecurityGroups.policies[0].ingress[0].cidr = "0.0.0.0/0")));
    expect(e.report).toMatch(
      /test\.yaml:\d+: error: cni\.podSecurityGroups\.policies\[0\]\.ingress\[0\]\.cidr: policy web, ingress rule: ingress from 0\.0\.0\.0\/0 would let any address on the internet reach these pods/,
    );
  });

  it("accepts egress to 0.0.0.0/0", () => {
    expect(() =>
      load(fixture((d) => d.cni.podSecurityGroups.policies[1].egress.push({ port: 443, cidr: "0.0.0.0/0" }))),
    ).not.toThrow();
  });

  it("refuses a rule with no peer, or two; a CIDR with host bits; an unknown security group", () => {
    const e = rejection(
      fixture((d) => {
        const [web, db] = d.cni.podSecurityGroups.policies;
        web.ingress.push({ port: 80 });
        web.ingress.push({ port: 81, cidr: "10.0.0.0/8", securityGroup: "cluster" });
        web.ingress.push({ port: 82, cidr: "10.60.0.1/16" });
        db.ingress[0].securityGroup = "webb";
      }),
    );
    const at = (path: string) => e.problems.filter((p) => p.path.join(".") === path).map((p) => p.message);
    expect(at("cni.podSecurityGroups.policies.0.ingress.1")).toEqual([
      "policy web, ingress rule: no peer; a rule has exactly one",
    ]);
    expect(at("cni.podSecurityGroups.policies.0.ingress.2")).toEqual([
      "policy web, ingress rule: both cidr 10.0.0.0/8 and securityGroup cluster; a rule has exactly one",
    ]);
    expect(at("cni.podSecurityGroups.policies.0.ingress.3.cidr")[0]).toContain("host bits");
    expect(at("cni.podSecurityGroups.policies.1.ingress.0.securityGroup")).toEqual([
      'policy db-clients, ingress rule: securityGroup webb is neither "cluster" nor a policy of cni.podSecurityGroups.policies (web, db-clients)',
    ]);
  });

  it("refuses ports that do not fit the protocol, and reversed ranges", () => {
    const e = rejection(
      fixture((d) => {
        const [web] = d.cni.podSecurityGroups.policies;
        web.ingress.push({ protocol: "all", port: 80, cidr: "10.60.0.0/16" });
        web.ingress.push({ protocol: "udp", cidr: "10.60.0.0/16" });
        web.ingress.push({ port: 90, toPort: 80, cidr: "10.60.0.0/16" });
      }),
    );
    expect(e.problems.map((p) => [p.path.join("."), p.message])).toEqual(
      expect.arrayContaining([
        [
          "cni.podSecurityGroups.policies.0.ingress.1.port",
          "policy web, ingress rule: protocol all covers every port, so port 80 means nothing",
        ],
        ["cni.podSecurityGroups.policies.0.ingress.2.port", "policy web, ingress rule: udp needs a port"],
        ["cni.podSecurityGroups.policies.0.ingress.3.toPort", "policy web, ingress rule: toPort 80 is below port 90"],
      ]),
    );
  });

  it("refuses a duplicate rule, a duplicate policy name, a policy called cluster and one that selects nothing", () => {
    const e = rejection(
      fixture((d) => {
        const [web, db] = d.cni.podSecurityGroups.policies;
        web.ingress.push({ ...web.ingress[0], description: "same rule, other words" });
        db.name = "web";
        d.cni.podSecurityGroups.policies.push({ name: "cluster", namespace: "shop", podSelector: { app: "x" } });
        d.cni.podSecurityGroups.policies.push({ name: "nothing", namespace: "shop" });
      }),
    );
    const messages = e.problems.map((p) => p.message);
    expect(messages).toContain(
      "policy web lists the ingress rule tcp 8080 from 10.60.0.0/16 twice; EC2 refuses a duplicate rule",
    );
    expect(messages).toContain(
      "policy name web is also used by policies[0]; each policy's security group is named after it (sgpp-pods-web), which must be unique in the VPC",
    );
    expect(messages).toContain('a policy may not be called "cluster": rules name the cluster security group so');
    expect(messages).toContain(
      "policy nothing selects no pods: it has neither podSelector nor serviceAccountSelector, and the VPC resource controller applies a policy only through one",
    );
  });

  it("refuses a rule description EC2 would refuse", () => {
    const e = rejection(fixture((d) => (d.cni.podSecurityGroups.policies[0].ingress[0].description = "HTTP ←")));
    expect(e.problems[0].message).toBe('policy web, ingress rule: EC2 refuses the description "HTTP ←"');
  });

  it("refuses policies when no node group's type can take a trunk ENI, and warns about each group that cannot", () => {
    const e = rejection(fixture((d) => (d.nodeGroups[0].instanceType = "t3.large")));
    expect(e.report).toMatch(
      /error: cni\.podSecurityGroups\.policies: no node group can run the pods of web, db-clients: workers \(t3\.large\) take no trunk ENI/,
    );
    const loaded = load(
      fixture((d) =>
        d.nodeGroups.push({ name: "burst", instanceType: "t3.large", desiredSize: 1, minSize: 1, maxSize: 1 }),
      ),
    );
    const warning = loaded.warnings.find((w) => w.path.join(".") === "nodeGroups.1.instanceType")!;
    expect(warning).toMatchObject({ id: "pod-security-groups-unsupported-instance-type" });
    expect(warning.message).toContain("burst: t3.large takes no trunk ENI");
  });

  it("warns about a type the trunking table does not list, and counts the trunk there", () => {
    const loaded = load(fixture((d) => (d.nodeGroups[0].instanceType = "c8ib.large")));
    expect(loaded.warnings.map((w) => w.id)).toContain("pod-security-groups-unknown-instance-type");
    expect(nodeGroupMaxPods(loaded.env.nodeGroups[0], loaded.env).computed.trunkEni).toBe(true);
  });

  it("refuses a policy that selects the pods of a public-IP workload, and accepts one that leaves them out", () => {
    const publicPods = (policy: Record<string, unknown>) =>
      edited("public-pods", (d) => {
        d.cni.podSecurityGroups = { policies: [{ name: "shop", namespace: "shop", ...policy }] };
      });
    const e = rejection(publicPods({ podSelector: {} }));
    const problem = e.problems.find((p) => p.path.join(".") === "cni.podSecurityGroups.policies.0")!;
    expect(problem.message).toContain(
      "policy shop selects the pods of public-IP workload shop/shop-egress (app=shop-egress, eks-custom-networking/public-ip=true): each would get a branch ENI",
    );
    expect(problem.fix).toContain("narrow the policy's podSelector");
    // The same by the app label, and by an empty service account selector (the sidecar's has no labels).
    expect(rejection(publicPods({ podSelector: { app: "shop-egress" } })).problems).toContainEqual(
      expect.objectContaining({ path: ["cni", "podSecurityGroups", "policies", 0] }),
    );
    expect(rejection(publicPods({ serviceAccountSelector: {} })).problems).toContainEqual(
      expect.objectContaining({ path: ["cni", "podSecurityGroups", "policies", 0] }),
    );
    // Another app, another namespace, or service accounts with labels the sidecar's lacks: not selected.
    for (const policy of [
      { podSelector: { app: "checkout" } },
      { podSelector: {}, namespace: "payments" },
      { serviceAccountSelector: { team: "shop" } },
    ]) {
      const loaded = load(publicPods(policy)); // throws on any error
      expect(loaded.warnings.map((p) => p.path.join("."))).not.toContain("cni.podSecurityGroups.policies.0");
    }
  });

  it("warns when pods without the cluster security group cannot reach CoreDNS", () => {
    expect(load(fixture()).warnings.map((w) => w.id)).not.toContain("pod-security-group-without-dns");
    const loaded = load(fixture((d) => d.cni.podSecurityGroups.policies[1].egress.shift()));
    const warning = loaded.warnings.find((w) => w.id === "pod-security-group-without-dns")!;
    expect(warning.path).toEqual(["cni", "podSecurityGroups", "policies", 1, "clusterSecurityGroup"]);
    expect(warning.message).toContain("db-clients: its pods get only sgpp-pods-db-clients");
  });
});

describe("what is synthesized", () => {
  let synth: Synthesized;
  let workloads: TfJson;
  beforeAll(() => {
    synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("sgpp", fixture()) });
    workloads = synth.stack("workloads");
  });
  afterAll(() => synth.cleanup());

  type Group = { name: string; description: string; vpc_id: string };
  type Rule = {
    security_group_id: string;
    ip_protocol: string;
    from_port?: number;
    to_port?: number;
    cidr_ipv4?: string;
    referenced_security_group_id?: string;
    description: string;
  };
  const group = (name: string) => only<Group>(workloads, "aws_security_group", (g) => g.name === name);
  const rulesOf = (type: string, groupId: string) =>
    Object.values(resources<Rule & { "//"?: unknown }>(workloads, type))
      .filter((r) => r.security_group_id === groupId)
      .map(({ "//": _metadata, ...rule }) => rule);

  it("turns on branch ENIs (strict mode, TCP early demux off for probes) in a configuration the add-on's schema accepts", () => {
    const [, addon] = only<{ addon_name: string; configuration_values: string }>(
      synth.stack("cni"),
      "aws_eks_addon",
      (a) => a.addon_name === "vpc-cni",
    );
    const config = decodeJsonencode(addon.configuration_values) as Record<string, unknown>;
    const validate = vpcCniConfigurationValidator();
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(config).toMatchObject({
      env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "strict" },
      init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } },
      enableNetworkPolicy: "true",
    });
  });

  it("gives the cluster role AmazonEKSVPCResourceController", () => {
    const cluster = synth.stack("cluster");
    const [roleId] = only<{ name: string }>(cluster, "aws_iam_role", (r) => r.name === "sgpp-cluster");
    expect(
      Object.values(resources<{ role: string; policy_arn: string }>(cluster, "aws_iam_role_policy_attachment"))
        .filter((a) => a.role === ref("aws_iam_role", roleId, "name"))
        .map((a) => a.policy_arn.split("/").pop())
        .sort(),
    ).toEqual(["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]);
  });

  it("creates one security group per policy in the environment's VPC, named after it", () => {
    for (const name of ["sgpp-pods-web", "sgpp-pods-db-clients"]) {
      const [, g] = group(name);
      expect(resolveCrossStack(synth, g.vpc_id)).toMatchObject({ stack: "network", type: "aws_vpc" });
    }
    expect(group("sgpp-pods-web")[1].description).toBe("Pods of shop selected by SecurityGroupPolicy web in sgpp");
  });

  it("gives each group exactly its policy's rules, with their peers", () => {
    const [webId] = group("sgpp-pods-web");
    const [dbId] = group("sgpp-pods-db-clients");
    const web = ref("aws_security_group", webId);
    const db = ref("aws_security_group", dbId);
    expect(rulesOf("aws_vpc_security_group_ingress_rule", web)).toEqual([
      {
        security_group_id: web,
        ip_protocol: "tcp",
        from_port: 8080,
        to_port: 8080,
        cidr_ipv4: "10.60.0.0/16",
        description: "HTTP from the VPC",
      },
    ]);
    expect(rulesOf("aws_vpc_security_group_egress_rule", web)).toEqual([]);
    expect(rulesOf("aws_vpc_security_group_ingress_rule", db)).toEqual([
      {
        security_group_id: db,
        ip_protocol: "tcp",
        from_port: 9000,
        to_port: 9010,
        referenced_security_group_id: web,
        description: "tcp 9000-9010 from security group of policy web",
      },
    ]);
    const egress = rulesOf("aws_vpc_security_group_egress_rule", db);
    expect(egress).toHaveLength(2);
    expect(egress.find((r) => r.ip_protocol === "-1")).toEqual({
      security_group_id: db,
      ip_protocol: "-1",
      cidr_ipv4: "10.60.0.0/16",
      description: "all traffic to 10.60.0.0/16",
    });
    const dns = egress.find((r) => r.ip_protocol === "udp")!;
    expect(resolveCrossStack(synth, dns.referenced_security_group_id!).attribute).toBe(
      "vpc_config[0].cluster_security_group_id",
    );
  });

  it("lets the cluster security group take the DNS queries of pods that egress to it (it takes its own members' only)", () => {
    const [dbId] = group("sgpp-pods-db-clients");
    const onCluster = Object.values(resources<Rule>(workloads, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.referenced_security_group_id === ref("aws_security_group", dbId),
    );
    expect(onCluster).toHaveLength(1);
    expect(onCluster[0]).toMatchObject({ ip_protocol: "udp", from_port: 53, to_port: 53 });
    expect(resolveCrossStack(synth, onCluster[0].security_group_id).attribute).toBe(
      "vpc_config[0].cluster_security_group_id",
    );
  });

  it("opens no security group to 0.0.0.0/0, here or in any shipped environment", () => {
    const everyIngress = (json: TfJson) =>
      Object.values(resources<Rule>(json, "aws_vpc_security_group_ingress_rule")).map((r) => r.cidr_ipv4);
    expect(everyIngress(workloads)).not.toContain("0.0.0.0/0");
    const production = synthNamed("production");
    try {
      const ingress = production.stacks.flatMap((s) => everyIngress(production.stack(s)));
      expect(ingress.length).toBeGreaterThan(0);
      expect(ingress).not.toContain("0.0.0.0/0");
    } finally {
      production.cleanup();
    }
  });

  it("installs the SecurityGroupPolicy objects, valid against EKS's CRD, before any workload", () => {
    const releases = manifestReleases(workloads);
    const policies = releases.find((r) => r.release.name === "pod-security-groups")!;
    expect(policies.release.namespace).toBe("shop");
    expect(policies.objects.map((o) => customResourceSchemaError(o, SGP_CRD))).toEqual([undefined, undefined]);
    const [webId] = group("sgpp-pods-web");
    const [dbId] = group("sgpp-pods-db-clients");
    const specs = policies.objects.map((o) => [o.metadata!.name, (o as unknown as { spec: unknown }).spec]);
    expect(specs[0]).toEqual([
      "web",
      { podSelector: { matchLabels: { app: "web" } }, securityGroups: { groupIds: expect.any(Array) } },
    ]);
    const [webIds, dbIds] = policies.objects.map(
      (o) => (o as unknown as { spec: { securityGroups: { groupIds: string[] } } }).spec.securityGroups.groupIds,
    );
    // web keeps the cluster security group (the default); db-clients asked for its own group alone.
    expect(webIds[0]).toBe(ref("aws_security_group", webId));
    expect(resolveCrossStack(synth, webIds[1]).attribute).toBe("vpc_config[0].cluster_security_group_id");
    expect(dbIds).toEqual([ref("aws_security_group", dbId)]);
    expect(specs[1][1]).toMatchObject({ serviceAccountSelector: { matchLabels: { "db-access": "true" } } });
    const policyRelease = `helm_release.${policies.id}`;
    for (const { release } of releases.filter((r) => r.release.name !== "pod-security-groups"))
      expect([release.name, release.depends_on]).toEqual([release.name, expect.arrayContaining([policyRelease])]);
    expect(workloads.output!.pod_security_group_ids.value).toEqual({
      "shop/web": ref("aws_security_group", webId),
      "shop/db-clients": ref("aws_security_group", dbId),
    });
  });

  it("refuses a policy the CRD would refuse: validation catches what pruning would hide", () => {
    expect(
      customResourceSchemaError(
        {
          apiVersion: "vpcresources.k8s.aws/v1beta1",
          kind: "SecurityGroupPolicy",
          metadata: { name: "x" },
          spec: { podSelector: { matchLabels: {} }, securityGroups: { groupIds: [] } },
        } as never,
        SGP_CRD,
      ),
    ).toMatch(/minItems|fewer than 1/);
  });

  it("ships the sample NetworkPolicy with the sample workload, valid against the Kubernetes schema", () => {
    const bootcamp = manifestReleases(workloads).find((r) => r.release.name === "kubernetes-bootcamp")!;
    const policy = bootcamp.objects.find((o) => o.kind === "NetworkPolicy")!;
    expect(kubernetesSchemaError(policy)).toBeUndefined();
    expect(policy).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "kubernetes-bootcamp", namespace: "shop" },
      spec: {
        podSelector: { matchLabels: { app: "kubernetes-bootcamp" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 8080 }] }],
      },
    });
    // It selects the Deployment's pods.
    const deployment = bootcamp.objects.find((o) => o.kind === "Deployment") as unknown as {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(deployment.spec.template.metadata.labels).toMatchObject(
      (policy as unknown as { spec: { podSelector: { matchLabels: object } } }).spec.podSelector.matchLabels,
    );
  });

  it("adds no security group, policy or NetworkPolicy where the environment turns them off", () => {
    const plain = synthEnvironment({
      EKS_ENV_FILE: writeEnvironmentFile(
        "plain",
        fixture((d) => {
          withoutPodSecurityGroups(d);
          d.cni.networkPolicy = false;
        }),
      ),
    });
    try {
      const stack = plain.stack("workloads");
      expect(resources(stack, "aws_security_group")).toEqual({});
      expect(manifestReleases(stack).map((r) => r.release.name)).toEqual(["kubernetes-bootcamp"]);
      expect(manifestReleases(stack)[0].objects.map((o) => o.kind)).toEqual(["Deployment"]);
      expect(manifestReleases(stack)[0].release.depends_on).toBeUndefined();
      const config = decodeJsonencode(
        only<{ addon_name: string; configuration_values: string }>(
          plain.stack("cni"),
          "aws_eks_addon",
          (a) => a.addon_name === "vpc-cni",
        )[1].configuration_values,
      );
      expect(config).toEqual({
        env: {
          AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
          ENABLE_PREFIX_DELEGATION: "false",
          AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
        },
      });
    } finally {
      plain.cleanup();
    }
  });
});

// The fixture's YAML parses as the environment the tests above describe.
it("fixture: two policies in namespace shop, one naming the other", () => {
  const doc = parse(environmentText("pod-security-groups"));
  expect(doc.cni.podSecurityGroups.policies.map((p: { name: string }) => p.name)).toEqual(["web", "db-clients"]);
});

describe("production (shipped): the sample's pods get a security group of their own", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("production")));
  afterAll(() => synth.cleanup());

  it("installs its SecurityGroupPolicy, valid against EKS's CRD, before the sample workload and its NetworkPolicy", () => {
    const workloads = synth.stack("workloads");
    const releases = manifestReleases(workloads);
    const policies = releases.find((r) => r.release.name === "pod-security-groups")!;
    const [sgId] = only<{ name: string }>(workloads, "aws_security_group", (g) => g.name === "prod-eu-pods-bootcamp");
    expect(policies.objects).toHaveLength(1);
    expect(customResourceSchemaError(policies.objects[0], SGP_CRD)).toBeUndefined();
    expect(policies.objects[0]).toMatchObject({
      metadata: { name: "bootcamp", namespace: "bootcamp" },
      spec: {
        podSelector: { matchLabels: { app: "kubernetes-bootcamp" } },
        securityGroups: { groupIds: [ref("aws_security_group", sgId)] },
      },
    });
    const bootcamp = releases.find((r) => r.release.name === "kubernetes-bootcamp")!;
    expect(bootcamp.release.depends_on).toEqual([`helm_release.${policies.id}`]);
    expect(bootcamp.objects.map((o) => o.kind)).toEqual(["Deployment", "NetworkPolicy"]);
    expect(bootcamp.objects.map(kubernetesSchemaError)).toEqual([undefined, undefined]);
  });

  it("counts one ENI of each node as the trunk: 110 pods still fit (m6i.2xlarge: 2 pod ENIs x 14 prefixes of 16 + 2)", () => {
    const { env } = loadEnvironment({ EKS_ENV: "production" });
    expect(nodeGroupMaxPods(env.nodeGroups[0], env).computed).toMatchObject({
      podEnis: 4 - 1 - 1, // custom networking's primary, the trunk
      trunkEni: true,
      uncapped: 2 * 14 * 16 + 2,
      recommended: 110,
    });
    expect(synth.stack("nodes").output!.max_pods.value).toEqual({ general: 110, "batch-spot": 110 });
  });
});

describe("verify: branch ENIs are the plan's", () => {
  it("counts a branch ENI that carries only its policy's group as the plan's, not as held outside it", () => {
    const env = load(
      edited("demo", (d) => {
        d.cni.podSecurityGroups = {
          policies: [{ name: "web", namespace: "bootcamp", podSelector: { app: "web" }, clusterSecurityGroup: false }],
        };
      }),
    ).env;
    const branch = (groupName: string) =>
      editedState(recorded("demo"), "network-interfaces.json", (d) =>
        d.NetworkInterfaces.push({
          AvailabilityZone: "us-east-1a",
          Description: "aws-k8s-branch-eni",
          Groups: [{ GroupId: "sg-0b1c2d3e4f5a6b7c8", GroupName: groupName }],
          InterfaceType: "branch",
          NetworkInterfaceId: "eni-0a1b2c3d4e5f60718",
          PrivateIpAddress: "172.16.10.52",
          PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: "172.16.10.52" }],
          Status: "in-use",
          SubnetId: "subnet-0b7e1c2d3f4a5b601",
          VpcId: "vpc-0f1e2d3c4b5a69788",
        }),
      );
    const podSubnetRow = (texts: ReturnType<typeof recorded>) =>
      verify(
        { env, environmentName: "demo", file: "environments/demo.yaml", state: readRecordedState(texts) },
        { kind: "recorded", directory: "test" },
      )
        .checks.find((c) => c.id === "subnets")!
        .rows.find((r) => r.subject.startsWith("subnet 172.16.10.0/24") && r.property === "free addresses")!;
    expect(podSubnetRow(branch("cluster-demo-pods-web")).found).not.toContain("held outside the plan");
    expect(podSubnetRow(branch("someone-elses")).found).toContain("held outside the plan (eni-0a1b2c3d4e5f60718)");
  });
});
