/**
 * Network policy, security groups for pods and Pod Identity against the rest of the environment:
 * pinned vpc-cni builds that have them, Kubernetes versions that run them, and Pod Identity's decision
 * about the IAM OIDC provider. Rule tests start from the fixture copies of the shipped environments
 * (which predate Pod Identity: IRSA, the default).
 */
import { VPC_CNI_FEATURES } from "../modules/checks/addon-versions";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { eipAssociatorRoleName, ipAssignerRoleName, vpcCniRoleName } from "../modules/plan/names";
import { edited, load, rejection, type Editable } from "./support/environments";
import { dataSources, ref, resources, synthNamed } from "./support/synth";

const demo = (edit: (d: Editable) => void) => edited("demo", edit);
const errors = (e: {
  problems: Array<{ severity: string; path: ReadonlyArray<string | number>; message: string; fix: string }>;
}) => e.problems.filter((p) => p.severity === "error");
const podIdentity = (d: Editable) => Object.assign(d.cluster, { podIdentity: true, oidcProvider: false });

describe("Pod Identity and the IAM OIDC provider", () => {
  it("leaves an environment that says nothing on IRSA, with its OIDC provider", () => {
    const { env } = load(demo(() => undefined));
    expect(env.cluster).toMatchObject({ podIdentity: false });
    expect(env.cluster.oidcProvider).toBeUndefined();
  });

  it("refuses podIdentity without a word about the OIDC provider, and says how to switch a deployed environment", () => {
    const e = rejection(demo((d) => (d.cluster.podIdentity = true)));
    expect(errors(e)).toHaveLength(1);
    expect(e.report).toMatch(
      /test\.yaml:\d+: error: cluster\.podIdentity: cluster\.podIdentity is on, but cluster\.oidcProvider does not say whether the IAM OIDC provider stays/,
    );
    expect(errors(e)[0].fix).toBe(
      "a new environment: oidcProvider: false. An environment deployed with IRSA: oidcProvider: true for the first deploy (the roles trust both), then false once every pod has restarted (README, 'Switching to Pod Identity')",
    );
  });

  it("refuses oidcProvider: false without Pod Identity, since the project's roles are assumed through it", () => {
    const e = rejection(demo((d) => (d.cluster.oidcProvider = false)));
    expect(errors(e).map((p) => p.path.join("."))).toEqual(["cluster.oidcProvider"]);
    expect(errors(e)[0].message).toContain("aws-node would get no AWS credentials");
  });

  it("accepts a new environment on Pod Identity without a provider, with no warning of its own", () => {
    const loaded = load(demo(podIdentity));
    expect(loaded.warnings.filter((w) => w.path[0] === "cluster" && w.path[1] !== "endpoint")).toEqual([]);
  });

  it("warns, by a stable id, while a switch keeps the provider: the second deploy is still to come", () => {
    const loaded = load(demo((d) => Object.assign(d.cluster, { podIdentity: true, oidcProvider: true })));
    const warning = loaded.warnings.find((w) => w.path.join(".") === "cluster.oidcProvider")!;
    expect(warning.id).toBe("pod-identity-switch-in-progress");
    expect(warning.fix).toContain("set oidcProvider: false and deploy again");
  });
});

describe("a pinned vpc-cni build against the features turned on", () => {
  it("lists each feature's first build with its source's figure, in the one table of vpc-cni features", () => {
    expect(VPC_CNI_FEATURES.map((f) => [f.what.split(" (")[0], f.minimum])).toEqual([
      ["external SNAT", "1.1.0"],
      ["custom networking", "1.4.0"],
      ["prefix delegation", "1.9.0"],
      ["the add-on's eniConfig configuration", "1.15.0"],
      ["enhanced subnet discovery", "1.18.0"],
      ["network policy", "1.14.0-eksbuild.3"],
      ["security groups for pods", "1.11.0"],
      ["Pod Identity for the vpc-cni add-on", "1.15.5-eksbuild.1"],
    ]);
  });

  it("compares the eksbuild too: v1.14.0-eksbuild.2 has no network policy in its configuration, eksbuild.3 has", () => {
    const pinned = (build: string) =>
      demo((d) => {
        d.cni.networkPolicy = true;
        d.cluster.addonVersions = { vpcCni: build };
      });
    // Custom networking off, so only network policy is judged (the add-on's eniConfig needs a later build).
    const secondaryIps = (text: string) =>
      text.replace("customNetworking: true", "customNetworking: false").replace(/\n {6}pod: [^\n]+/g, "");
    const e = rejection(secondaryIps(pinned("v1.14.0-eksbuild.2")));
    expect(errors(e).map((p) => p.path.join("."))).toEqual(["cluster.addonVersions.vpcCni"]);
    expect(errors(e)[0].message).toBe(
      "vpc-cni v1.14.0-eksbuild.2 is older than what this environment turns on: network policy (cni.networkPolicy) needs 1.14.0-eksbuild.3 or later (the build's configuration schema has no enableNetworkPolicy, so EKS refuses the configuration at apply)",
    );
    expect(() => load(secondaryIps(pinned("v1.14.0-eksbuild.3")))).not.toThrow();
  });

  it("refuses Pod Identity on a build before v1.15.5-eksbuild.1, naming the newest build every feature needs", () => {
    const e = rejection(
      demo((d) => {
        podIdentity(d);
        d.cni.networkPolicy = true;
        d.cluster.addonVersions = { vpcCni: "v1.15.4-eksbuild.1" };
      }),
    );
    expect(errors(e)[0].message).toContain(
      "Pod Identity for the vpc-cni add-on (cluster.podIdentity) needs 1.15.5-eksbuild.1 or later",
    );
    expect(errors(e)[0].message).not.toContain("network policy");
    expect(errors(e)[0].fix).toMatch(/^pin vpc-cni 1\.15\.5-eksbuild\.1 or later/);
    expect(() =>
      load(
        demo((d) => {
          podIdentity(d);
          d.cluster.addonVersions = { vpcCni: "v1.15.5-eksbuild.1" };
        }),
      ),
    ).not.toThrow();
  });

  it("refuses security groups for pods on a build without POD_SECURITY_GROUP_ENFORCING_MODE", () => {
    const e = rejection(
      edited("pod-security-groups", (d) => {
        d.cni.networkPolicy = false;
        Object.assign(d.cluster, {
          podIdentity: false,
          oidcProvider: undefined,
          addonVersions: { vpcCni: "v1.10.4-eksbuild.1" },
        });
      }),
    );
    expect(e.problems[0].message).toContain("security groups for pods (cni.podSecurityGroups) needs 1.11.0 or later");
  });
});

describe("Kubernetes versions", () => {
  it("refuses network policy before 1.25 and Pod Identity before 1.24", () => {
    const e = rejection(
      demo((d) => {
        podIdentity(d);
        d.cni.networkPolicy = true;
        d.cluster.version = "1.23";
      }),
    );
    const messages = e.problems.filter((p) => p.severity === "error").map((p) => p.message);
    expect(messages).toEqual([
      "network policy with the VPC CNI needs Kubernetes 1.25 or later; the cluster runs 1.23",
      "EKS Pod Identity needs Kubernetes 1.24 or later; the cluster runs 1.23",
    ]);
  });
});

describe.each(environmentNames())("%s (shipped, on Pod Identity): every role the project creates for a pod", (name) => {
  const synth = synthNamed(name);
  afterAll(() => synth.cleanup());
  type Statement = { actions: string[]; principals: Array<{ type: string; identifiers: string[] }> };

  it("trusts pods.eks.amazonaws.com with AssumeRole and TagSession, has a Pod Identity association, and no role trusts an OIDC provider", () => {
    const podRoles: string[] = [];
    for (const stack of synth.stacks) {
      const json = synth.stack(stack);
      const documents = dataSources<{ statement: Statement[] }>(json, "aws_iam_policy_document");
      const associated = new Set([
        ...Object.values(resources<{ role_arn: string }>(json, "aws_eks_pod_identity_association")).map(
          (a) => a.role_arn,
        ),
        ...Object.values(
          resources<{ pod_identity_association?: Array<{ role_arn: string }> }>(json, "aws_eks_addon"),
        ).flatMap((a) => (a.pod_identity_association ?? []).map((p) => p.role_arn)),
      ]);
      for (const [id, role] of Object.entries(
        resources<{ name: string; assume_role_policy: string }>(json, "aws_iam_role"),
      )) {
        const documentId = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(role.assume_role_policy)![1];
        const principals = documents[documentId].statement.flatMap((s) => s.principals);
        expect([role.name, principals.filter((p) => p.type === "Federated")]).toEqual([role.name, []]);
        if (!principals.some((p) => p.identifiers.includes("pods.eks.amazonaws.com"))) continue;
        podRoles.push(role.name);
        expect(documents[documentId].statement.map((s) => s.actions)).toEqual([["sts:AssumeRole", "sts:TagSession"]]);
        expect([role.name, associated.has(ref("aws_iam_role", id, "arn"))]).toEqual([role.name, true]);
      }
      expect(resources(json, "aws_iam_openid_connect_provider")).toEqual({});
    }
    // The VPC CNI's, each public-IP workload's eip-associator, and the Multus sidecar's where it
    // assigns whereabouts addresses (telco; not telco-edge, whose networks are public: fixed
    // addresses of the nodes' ENIs).
    const { env } = loadEnvironment({ EKS_ENV: name });
    const cluster = env.cluster.name;
    const expected = [
      vpcCniRoleName(cluster),
      ...env.workloads.publicIpPods.map((w) => eipAssociatorRoleName(cluster, w.name)),
      ...(name === "telco" ? [ipAssignerRoleName(cluster, "cnf-demo")] : []),
    ];
    expect(podRoles.sort()).toEqual(expected.sort());
  });
});
