import { environmentNames } from "../modules/load/load";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";
import {
  decodeJsonencode,
  synthEnvironment,
  dataSources,
  only,
  policyStatements,
  ref,
  resolveCrossStack,
  resources,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";
import { vpcCniConfigurationValidator } from "./support/vpc-cni-schema";

type Addon = {
  addon_name: string;
  addon_version: string;
  cluster_name: string;
  configuration_values?: string;
  service_account_role_arn?: string;
  pod_identity_association?: Array<{ service_account: string; role_arn: string }>;
  depends_on?: string[];
  resolve_conflicts_on_create: string;
  resolve_conflicts_on_update: string;
};
type VpcCniConfig = {
  env: Record<string, string>;
  eniConfig?: { create: boolean; region: string; subnets: Record<string, { id: string; securityGroups: string[] }> };
};

type TrustStatement = {
  actions: string[];
  principals: Array<{ type: string; identifiers: string[] }>;
  condition: Array<{ test: string; variable: string; values: string[] }>;
};

const addon = (json: TfJson, name: string) => only<Addon>(json, "aws_eks_addon", (a) => a.addon_name === name);
const validate = vpcCniConfigurationValidator();

describe("cni stack, demo", () => {
  let synth: Synthesized;
  let cni: TfJson;
  let config: VpcCniConfig;
  beforeAll(() => {
    synth = synthNamed("demo");
    cni = synth.stack("cni");
    config = decodeJsonencode(addon(cni, "vpc-cni")[1].configuration_values!) as VpcCniConfig;
  });
  afterAll(() => synth.cleanup());

  it("configures custom networking by zone label, prefix delegation with warm prefix 1, and no external SNAT", () => {
    expect(config.env).toEqual({
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
      ENABLE_PREFIX_DELEGATION: "true",
      WARM_PREFIX_TARGET: "1",
      AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
    });
  });

  it("has the add-on create an ENIConfig per AZ on that AZ's pod subnet, with the cluster security group", () => {
    expect(config.eniConfig).toMatchObject({ create: true, region: "us-east-1" });
    const subnets = config.eniConfig!.subnets;
    expect(Object.keys(subnets)).toEqual(["us-east-1a", "us-east-1b"]);
    for (const [az, cidr] of [
      ["us-east-1a", "172.16.10.0/24"],
      ["us-east-1b", "172.16.11.0/24"],
    ]) {
      const subnet = resolveCrossStack(synth, subnets[az].id);
      expect([az, subnet.type, subnet.resource.availability_zone, subnet.resource.cidr_block]).toEqual([
        az,
        "aws_subnet",
        az,
        cidr,
      ]);
      const [sg] = subnets[az].securityGroups.map((s) => resolveCrossStack(synth, s));
      expect([sg.type, sg.attribute]).toEqual(["aws_eks_cluster", "vpc_config[0].cluster_security_group_id"]);
    }
  });

  it("passes the add-on's published configuration schema", () => {
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it("gives vpc-cni its own role with AmazonEKS_CNI_Policy, which Pod Identity assumes for exactly kube-system/aws-node", () => {
    const [, vpcCni] = addon(cni, "vpc-cni");
    const [roleId, role] = only<{ name: string; assume_role_policy: string }>(cni, "aws_iam_role");
    expect(role.name).toBe("cluster-demo-vpc-cni");
    // The add-on makes the association itself (and deletes it with itself); no IRSA role ARN.
    expect(vpcCni.pod_identity_association).toEqual([
      { service_account: "aws-node", role_arn: ref("aws_iam_role", roleId, "arn") },
    ]);
    expect(vpcCni.service_account_role_arn).toBeUndefined();
    expect(resources(cni, "aws_eks_pod_identity_association")).toEqual({});
    const [, attachment] = only<{ role: string; policy_arn: string }>(cni, "aws_iam_role_policy_attachment");
    expect(attachment.role).toBe(ref("aws_iam_role", roleId, "name"));
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/AmazonEKS_CNI_Policy$/);

    const [trust] = policyStatements(cni) as unknown as TrustStatement[];
    expect(trust.actions).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }]);
    const conditions = Object.fromEntries(trust.condition.map((c) => [c.variable, [c.test, c.values]]));
    expect(Object.keys(conditions).sort()).toEqual([
      "aws:RequestTag/eks-cluster-name",
      "aws:RequestTag/kubernetes-namespace",
      "aws:RequestTag/kubernetes-service-account",
    ]);
    expect(conditions["aws:RequestTag/kubernetes-namespace"]).toEqual(["StringEquals", ["kube-system"]]);
    expect(conditions["aws:RequestTag/kubernetes-service-account"]).toEqual(["StringEquals", ["aws-node"]]);
    const [test, [clusterName]] = conditions["aws:RequestTag/eks-cluster-name"] as [string, string[]];
    expect([test, resolveCrossStack(synth, clusterName).type]).toEqual(["StringEquals", "aws_eks_cluster"]);
    // Nothing trusts an OIDC provider, and the cluster stack makes none.
    expect(JSON.stringify(policyStatements(cni))).not.toContain("AssumeRoleWithWebIdentity");
    expect(resources(synth.stack("cluster"), "aws_iam_openid_connect_provider")).toEqual({});
  });

  it("installs the Pod Identity agent add-on before vpc-cni, whose aws-node gets its credentials through it", () => {
    const [agentId, agent] = addon(cni, "eks-pod-identity-agent");
    expect([agent.resolve_conflicts_on_create, agent.resolve_conflicts_on_update]).toEqual(["OVERWRITE", "OVERWRITE"]);
    expect(addon(cni, "vpc-cni")[1].depends_on).toEqual([`aws_eks_addon.${agentId}`]);
    expect(cni.output!.pod_identity_agent_addon_arn.value).toBe(ref("aws_eks_addon", agentId, "arn"));
  });

  it("installs vpc-cni and kube-proxy at the cluster version's default, overwriting conflicts", () => {
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
      const [, a] = addon(cni, name);
      expect([name, a.resolve_conflicts_on_create, a.resolve_conflicts_on_update]).toEqual([
        name,
        "OVERWRITE",
        "OVERWRITE",
      ]);
      const versions = Object.entries(
        dataSources<{ addon_name: string; most_recent: boolean; kubernetes_version: string }>(
          cni,
          "aws_eks_addon_version",
        ),
      ).filter(([, v]) => v.addon_name === name);
      expect(versions).toHaveLength(1);
      const [versionId, version] = versions[0];
      expect(version.most_recent).toBe(false);
      expect(resolveCrossStack(synth, version.kubernetes_version).attribute).toBe("version");
      expect(a.addon_version).toBe(`\${data.aws_eks_addon_version.${versionId}.version}`);
    }
  });

  it("points kubernetes and helm at the cluster with `aws eks get-token` on every request (exec, the default)", () => {
    expect(dataSources(cni, "aws_eks_cluster_auth")).toEqual({});
    const kubernetes = (cni.provider!.kubernetes as Array<Record<string, string> & { exec: unknown[] }>)[0];
    const helm = (cni.provider!.helm as Array<{ kubernetes: Record<string, string> & { exec: unknown } }>)[0]
      .kubernetes;
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", expect.any(String), "--region", "us-east-1", "--output", "json"],
    };
    expect(kubernetes.exec).toEqual([exec]);
    expect(helm.exec).toEqual(exec);
    // The cluster it asks a token for is the cluster stack's, read through its outputs.
    expect(resolveCrossStack(synth, (helm.exec as { args: string[] }).args[3]).attribute).toBe("name");
    for (const p of [kubernetes, helm]) {
      expect(p.token).toBeUndefined();
      expect(resolveCrossStack(synth, p.host).attribute).toBe("endpoint");
      expect(p.cluster_ca_certificate).toMatch(
        /^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-cluster\.outputs\.[\w-]+\)\}$/,
      );
    }
  });

  it("exports the add-on ARNs the nodes wait for; no stack up to here has a node", () => {
    expect(cni.output!.vpc_cni_addon_arn.value).toBe(ref("aws_eks_addon", addon(cni, "vpc-cni")[0], "arn"));
    expect(cni.output!.kube_proxy_addon_arn.value).toBe(ref("aws_eks_addon", addon(cni, "kube-proxy")[0], "arn"));
    for (const stack of ["network", "cluster", "cni"]) {
      expect([
        stack,
        resources(synth.stack(stack), "aws_eks_node_group"),
        resources(synth.stack(stack), "aws_autoscaling_group"),
      ]).toEqual([stack, {}, {}]);
    }
  });

  it("is recorded after cluster in the manifest", () => {
    expect(synth.manifest.stacks.cni.dependencies.sort()).toEqual(["cluster", "network"]);
  });
});

describe("cni stack, public-pods", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("public-pods")));
  afterAll(() => synth.cleanup());

  it("turns on external SNAT, leaves custom networking off, and creates no ENIConfig", () => {
    const config = decodeJsonencode(addon(synth.stack("cni"), "vpc-cni")[1].configuration_values!) as VpcCniConfig;
    expect(config).toEqual({
      env: {
        AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
        ENABLE_PREFIX_DELEGATION: "false",
        AWS_VPC_K8S_CNI_EXTERNALSNAT: "true",
      },
    });
    expect(validate(config)).toBe(true);
  });
});

describe("cni stack, production", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("production")));
  afterAll(() => synth.cleanup());

  it("has one ENIConfig per AZ on the 100.64.0.0/16 pod subnets", () => {
    const config = decodeJsonencode(addon(synth.stack("cni"), "vpc-cni")[1].configuration_values!) as VpcCniConfig;
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    const placed = Object.entries(config.eniConfig!.subnets).map(([az, s]) => [
      az,
      resolveCrossStack(synth, s.id).resource.cidr_block,
    ]);
    expect(placed).toEqual([
      ["eu-west-1a", "100.64.0.0/18"],
      ["eu-west-1b", "100.64.64.0/18"],
      ["eu-west-1c", "100.64.128.0/18"],
    ]);
    expect(config.env.MINIMUM_IP_TARGET).toBe("16");
  });
});

describe("cni stack, token authentication (chosen explicitly)", () => {
  it("reads a token with aws_eks_cluster_auth in this stack for kubernetes and helm, and never outputs it", () => {
    const file = writeEnvironmentFile(
      "token-auth",
      edited("demo", (d) => (d.cluster.kubernetesAuth = "token")),
    );
    const synth = synthEnvironment({ EKS_ENV_FILE: file });
    const cni = synth.stack("cni");
    const [auth] = Object.keys(dataSources(cni, "aws_eks_cluster_auth"));
    const kubernetes = (cni.provider!.kubernetes as Array<Record<string, unknown>>)[0];
    const helm = (cni.provider!.helm as Array<{ kubernetes: Record<string, unknown> }>)[0].kubernetes;
    for (const p of [kubernetes, helm]) {
      expect(p.token).toBe(`\${data.aws_eks_cluster_auth.${auth}.token}`);
      expect(p.exec).toBeUndefined();
    }
    for (const stack of synth.stacks)
      expect(JSON.stringify(synth.stack(stack).output ?? {})).not.toContain("aws_eks_cluster_auth");
    synth.cleanup();
  }, 30_000);
});

describe.each(environmentNames())("%s: Kubernetes access without a token in state", (name) => {
  it("reads no aws_eks_cluster_auth in any stack (exec is the default)", () => {
    const synth = synthNamed(name);
    for (const stack of synth.stacks)
      expect([stack, dataSources(synth.stack(stack), "aws_eks_cluster_auth")]).toEqual([stack, {}]);
  });
});

describe("cni stack, an environment deployed with IRSA (cluster.podIdentity off, the default)", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("demo", environmentText("demo")) })));
  afterAll(() => synth.cleanup());

  it("keeps vpc-cni's IRSA role, trusted by exactly kube-system/aws-node through the cluster's OIDC provider", () => {
    const cni = synth.stack("cni");
    const [, vpcCni] = addon(cni, "vpc-cni");
    const [roleId] = only<{ name: string }>(cni, "aws_iam_role");
    expect(vpcCni.service_account_role_arn).toBe(ref("aws_iam_role", roleId, "arn"));
    expect(vpcCni.pod_identity_association).toBeUndefined();
    expect(vpcCni.depends_on).toBeUndefined();
    const [trust] = policyStatements(cni) as unknown as TrustStatement[];
    expect(trust.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(resolveCrossStack(synth, trust.principals[0].identifiers[0]).type).toBe("aws_iam_openid_connect_provider");
    const conditions = Object.fromEntries(
      trust.condition.map((c) => [c.variable.split(":").pop(), [c.test, c.values]]),
    );
    expect(conditions).toEqual({
      sub: ["StringEquals", ["system:serviceaccount:kube-system:aws-node"]],
      aud: ["StringEquals", ["sts.amazonaws.com"]],
    });
    expect(policyStatements(cni)).toHaveLength(1);
  });

  it("installs no Pod Identity agent and adds nothing a deployed environment would see change", () => {
    const cni = synth.stack("cni");
    expect(
      Object.values(resources<Addon>(cni, "aws_eks_addon"))
        .map((a) => a.addon_name)
        .sort(),
    ).toEqual(["kube-proxy", "vpc-cni"]);
    const config = decodeJsonencode(addon(cni, "vpc-cni")[1].configuration_values!) as Record<string, unknown>;
    expect(Object.keys(config).sort()).toEqual(["eniConfig", "env"]);
    expect(cni.output!.pod_identity_agent_addon_arn).toBeUndefined();
  });
});

describe("cni stack, switching a deployed environment to Pod Identity (first deploy: oidcProvider kept)", () => {
  it("has the role trust both the OIDC provider and Pod Identity, and the add-on associate it", () => {
    const text = edited("demo", (d) => Object.assign(d.cluster, { podIdentity: true, oidcProvider: true }));
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("switching", text) });
    const cni = synth.stack("cni");
    const trust = policyStatements(cni) as unknown as TrustStatement[];
    expect(trust.map((t) => t.actions)).toEqual([
      ["sts:AssumeRoleWithWebIdentity"],
      ["sts:AssumeRole", "sts:TagSession"],
    ]);
    expect(resolveCrossStack(synth, trust[0].principals[0].identifiers[0]).type).toBe(
      "aws_iam_openid_connect_provider",
    );
    expect(trust[1].principals[0].identifiers).toEqual(["pods.eks.amazonaws.com"]);
    // The role keeps the Terraform address it was deployed with, so the switch updates its trust in place.
    const [roleId] = only(cni, "aws_iam_role");
    expect(roleId).toMatch(/^vpc-cni-role_irsa_role_/);
    expect(addon(cni, "vpc-cni")[1].pod_identity_association).toHaveLength(1);
    expect(Object.keys(resources(synth.stack("cluster"), "aws_iam_openid_connect_provider"))).toHaveLength(1);
    synth.cleanup();
  });
});

describe("cni stack, production: network policy and security groups for pods", () => {
  let synth: Synthesized;
  let config: VpcCniConfig & { enableNetworkPolicy?: string; init?: { env: Record<string, string> } };
  beforeAll(() => {
    synth = synthNamed("production");
    config = decodeJsonencode(addon(synth.stack("cni"), "vpc-cni")[1].configuration_values!) as typeof config;
  });
  afterAll(() => synth.cleanup());

  it("turns on the VPC CNI's network policy enforcement, and the configuration passes the add-on's schema", () => {
    expect(config.enableNetworkPolicy).toBe("true");
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it("turns on branch ENIs in strict mode, with TCP early demux off in the init container for the kubelet's probes", () => {
    expect(config.env).toMatchObject({ ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "strict" });
    expect(config.init).toEqual({ env: { DISABLE_TCP_EARLY_DEMUX: "true" } });
  });

  it("gives the cluster role AmazonEKSVPCResourceController, which the VPC resource controller makes trunk and branch ENIs with", () => {
    const cluster = synth.stack("cluster");
    const [roleId] = only<{ name: string }>(cluster, "aws_iam_role", (r) => r.name === "prod-eu-cluster");
    const attached = Object.values(
      resources<{ role: string; policy_arn: string }>(cluster, "aws_iam_role_policy_attachment"),
    )
      .filter((a) => a.role === ref("aws_iam_role", roleId, "name"))
      .map((a) => a.policy_arn.split("/").pop());
    expect(attached.sort()).toEqual(["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]);
  });
});
