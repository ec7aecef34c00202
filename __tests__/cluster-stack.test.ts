import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NODE_ROLE_POLICIES } from "../modules/constructs/eks/node-role";
import { Testing } from "cdktf";
import { ClusterAdmins } from "../modules/constructs/eks/cluster-admins";
import { AwsManagedPolicies } from "../modules/constructs/iam/aws-managed-policy";
import { environmentNames, loadEnvironment } from "../modules/load/load";
import { kubernetesApiStacks } from "../modules/plan/cluster-access";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";
import {
  dataSources,
  movedBlocks,
  only,
  policyStatements,
  ref,
  resolveCrossStack,
  resources,
  synthNamed,
  type Synthesized,
  synthEnvironment,
  type TfJson,
} from "./support/synth";

type EksCluster = {
  name: string;
  version: string;
  role_arn: string;
  bootstrap_self_managed_addons: boolean;
  kubernetes_network_config: { service_ipv4_cidr: string; ip_family: string };
  vpc_config: {
    subnet_ids: string[];
    endpoint_private_access: boolean;
    endpoint_public_access: boolean;
    public_access_cidrs?: string[];
  };
  enabled_cluster_log_types: string[];
  encryption_config: { resources: string[]; provider: { key_arn: string } };
  access_config: { authentication_mode: string; bootstrap_cluster_creator_admin_permissions: boolean };
  depends_on: string[];
};
type Attachment = { role: string; policy_arn: string };

describe("cluster stack, demo", () => {
  let synth: Synthesized;
  let stack: TfJson;
  let cluster: EksCluster;
  beforeAll(() => {
    synth = synthNamed("demo");
    stack = synth.stack("cluster");
    cluster = only<EksCluster>(stack, "aws_eks_cluster")[1];
  });
  afterAll(() => synth.cleanup());

  it("creates cluster-demo with the environment's version and service CIDR, IPv4", () => {
    expect(cluster.name).toBe("cluster-demo");
    expect(cluster.version).toBe("1.35");
    expect(cluster.kubernetes_network_config).toEqual({ service_ipv4_cidr: "172.17.0.0/24", ip_family: "ipv4" });
  });

  it("puts the control-plane ENIs in the node subnets of us-east-1a and us-east-1b, read from the network stack", () => {
    const subnets = cluster.vpc_config.subnet_ids.map((expr) => resolveCrossStack(synth, expr));
    expect(subnets.map((s) => [s.stack, s.type, s.attribute])).toEqual([
      ["network", "aws_subnet", "id"],
      ["network", "aws_subnet", "id"],
    ]);
    expect(subnets.map((s) => [s.resource.availability_zone, s.resource.cidr_block])).toEqual([
      ["us-east-1a", "172.16.1.0/24"],
      ["us-east-1b", "172.16.2.0/24"],
    ]);
  });

  it("keeps the private endpoint on and the public one as configured", () => {
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["0.0.0.0/0"],
    });
  });

  it("sends api, audit and authenticator logs to a log group with retention, created first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator"]);
    const [logId, logs] = only<{ name: string; retention_in_days: number }>(stack, "aws_cloudwatch_log_group");
    expect(logs).toMatchObject({ name: "/aws/eks/cluster-demo/cluster", retention_in_days: 90 });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
  });

  it("encrypts Secrets with a KMS key of its own, rotated", () => {
    const [keyId, key] = only<{ enable_key_rotation: boolean }>(stack, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: ref("aws_kms_key", keyId, "arn") },
    });
  });

  it("starts without self-managed add-ons, so no default aws-node ever runs", () => {
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  it("authenticates through access entries only: exactly the environment's admins, nobody implicitly", () => {
    expect(cluster.access_config).toEqual({
      authentication_mode: "API",
      bootstrap_cluster_creator_admin_permissions: false,
    });
    const [entryId, entry] = only<{ principal_arn: string; type: string }>(stack, "aws_eks_access_entry");
    expect(entry).toMatchObject({ principal_arn: "arn:aws:iam::111122223333:role/eks-admins", type: "STANDARD" });
    const [, association] = only<{ principal_arn: string; policy_arn: string; access_scope: { type: string } }>(
      stack,
      "aws_eks_access_policy_association",
    );
    expect(association.principal_arn).toBe(ref("aws_eks_access_entry", entryId, "principal_arn"));
    expect(association.policy_arn).toMatch(/cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
    expect(association.access_scope).toEqual({ type: "cluster" });
    // Whoever runs the stack is not looked up, so a second deployer changes nothing.
    expect(dataSources(stack, "aws_caller_identity")).toEqual({});
    expect(dataSources(stack, "aws_iam_session_context")).toEqual({});
    expect(resources(stack, "kubernetes_config_map")).toEqual({});
  });

  it("denies the cluster role logs:CreateLogGroup, so EKS cannot bring the log group back after a destroy", () => {
    const [clusterRoleId] = only<{ name: string }>(stack, "aws_iam_role", (r) => r.name === "cluster-demo-cluster");
    const [, policy] = only<{ role: string; policy: string }>(
      stack,
      "aws_iam_role_policy",
      (p) => p.role === ref("aws_iam_role", clusterRoleId, "name") && /no-log-group-creation/.test(p.policy),
    );
    const documentId = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(policy.policy)![1];
    expect(policyStatements(stack).filter((s) => s.source === documentId)).toEqual([
      { source: documentId, effect: "Deny", actions: ["logs:CreateLogGroup"], resources: ["*"] },
    ]);
    // The log group itself is ours, created before the cluster.
    expect(only<{ name: string }>(stack, "aws_cloudwatch_log_group")[1].name).toBe("/aws/eks/cluster-demo/cluster");
  });

  it("gives the node role exactly the worker and registry policies, not the CNI policy", () => {
    const [nodeRoleId] = only<{ name: string }>(stack, "aws_iam_role", (r) => r.name === "cluster-demo-node");
    const attached = Object.values(resources<Attachment>(stack, "aws_iam_role_policy_attachment"))
      .filter((a) => a.role === ref("aws_iam_role", nodeRoleId, "name"))
      .map((a) => a.policy_arn.split("/").pop());
    expect(attached.sort()).toEqual(["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy"]);
    expect(NODE_ROLE_POLICIES).not.toContain("AmazonEKS_CNI_Policy");
  });

  it("gives the cluster role AmazonEKSClusterPolicy and use of the Secrets key only", () => {
    const [clusterRoleId] = only<{ name: string }>(stack, "aws_iam_role", (r) => r.name === "cluster-demo-cluster");
    expect(cluster.role_arn).toBe(ref("aws_iam_role", clusterRoleId, "arn"));
    const attached = Object.values(resources<Attachment>(stack, "aws_iam_role_policy_attachment")).filter(
      (a) => a.role === ref("aws_iam_role", clusterRoleId, "name"),
    );
    expect(attached.map((a) => a.policy_arn.split("/").pop())).toEqual(["AmazonEKSClusterPolicy"]);
    const [keyId] = only(stack, "aws_kms_key");
    const keyUse = policyStatements(stack).filter((s) => s.actions?.some((a) => a.startsWith("kms:")));
    expect(keyUse).toEqual([expect.objectContaining({ resources: [ref("aws_kms_key", keyId, "arn")] })]);
  });

  it("grants * on * nowhere", () => {
    const statements = policyStatements(stack);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const everyAction = (s.actions ?? []).includes("*");
      const everyResource = (s.resources ?? []).includes("*");
      expect([s.source, everyAction && everyResource]).toEqual([s.source, false]);
    }
  });

  it("makes no IAM OIDC provider: every role of its pods is assumed through Pod Identity", () => {
    expect(resources(stack, "aws_iam_openid_connect_provider")).toEqual({});
    expect(stack.output!.oidc_provider_arn).toBeUndefined();
  });

  it("outputs what the later stacks need, and nothing secret", () => {
    const outputs = stack.output!;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        "cluster_name",
        "cluster_endpoint",
        "cluster_certificate_authority_data",
        "cluster_security_group_id",
        "oidc_issuer",
        "node_role_arn",
        "node_role_name",
        "kubernetes_version",
        "service_cidr",
      ]),
    );
    const text = JSON.stringify(outputs);
    expect(text).not.toMatch(/token|password|secret_access|private_key/i);
  });

  it("is recorded as depending on the network stack, so it deploys after it", () => {
    expect(synth.manifest.stacks.cluster.dependencies).toEqual(["network"]);
    expect(synth.manifest.stacks.network.dependencies).toEqual([]);
  });
});

describe("cluster stack, production", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthNamed("production")));
  afterAll(() => synth.cleanup());

  it("uses the dedicated control-plane subnets of the three AZs", () => {
    const [, cluster] = only<EksCluster>(synth.stack("cluster"), "aws_eks_cluster");
    const subnets = cluster.vpc_config.subnet_ids.map((expr) => resolveCrossStack(synth, expr).resource);
    expect(subnets.map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["eu-west-1a", "10.20.7.0/28"],
      ["eu-west-1b", "10.20.7.16/28"],
      ["eu-west-1c", "10.20.7.32/28"],
    ]);
  });

  it("restricts the public endpoint, logs every type for a year, and adds the listed admin", () => {
    const stack = synth.stack("cluster");
    const [, cluster] = only<EksCluster>(stack, "aws_eks_cluster");
    expect(cluster.vpc_config.public_access_cidrs).toEqual(["203.0.113.0/24", "198.51.100.16/28"]);
    expect(cluster.enabled_cluster_log_types).toHaveLength(5);
    expect(only<{ retention_in_days: number }>(stack, "aws_cloudwatch_log_group")[1].retention_in_days).toBe(365);
    const principals = Object.values(resources<{ principal_arn: string }>(stack, "aws_eks_access_entry")).map(
      (e) => e.principal_arn,
    );
    expect(principals).toContain("arn:aws:iam::111122223333:role/platform-admins");
  });
});

describe.each(environmentNames())("cluster stack, %s: admins", (name) => {
  it("gives access entries to exactly cluster.adminPrincipals, never to the caller's identity, and has one when a stack uses the Kubernetes API", () => {
    const { env } = loadEnvironment({ EKS_ENV: name });
    const stack = synthNamed(name).stack("cluster");
    const principals = Object.values(resources<{ principal_arn: string }>(stack, "aws_eks_access_entry")).map(
      (e) => e.principal_arn,
    );
    expect(principals.sort()).toEqual([...env.cluster.adminPrincipals].sort());
    for (const arn of principals) expect(arn).toMatch(/^arn:aws:iam::\d{12}:(role|user)\//);
    if (kubernetesApiStacks(env).length > 0) expect(principals.length).toBeGreaterThan(0);
  });

  it("denies the cluster role logs:CreateLogGroup", () => {
    const stack = synthNamed(name).stack("cluster");
    const { env } = loadEnvironment({ EKS_ENV: name });
    const [roleId] = only<{ name: string }>(stack, "aws_iam_role", (r) => r.name === `${env.cluster.name}-cluster`);
    const documents = Object.values(resources<{ role: string; policy: string }>(stack, "aws_iam_role_policy"))
      .filter((p) => p.role === ref("aws_iam_role", roleId, "name"))
      .map((p) => /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(p.policy)![1]);
    const denied = policyStatements(stack).filter((st) => documents.includes(st.source) && st.effect === "Deny");
    expect(denied.map((st) => [st.actions, st.resources])).toEqual([[["logs:CreateLogGroup"], ["*"]]]);
  });
});

describe("cluster stack: admin entries across changes of the list", () => {
  // The construct alone, at the path it has in the cluster stack (admins/...), so addresses are the stack's.
  const adminsOf = (principals: string[], formerDeployer?: string) => {
    const stack = JSON.parse(
      Testing.synthScope((scope) => {
        const policies = new AwsManagedPolicies(scope, "policies");
        new ClusterAdmins(scope, "admins", { clusterName: "cluster-demo", principals, formerDeployer, policies });
      }),
    ) as TfJson;
    return {
      stack,
      byPrincipal: Object.fromEntries(
        Object.entries(resources<{ principal_arn: string }>(stack, "aws_eks_access_entry")).map(([id, e]) => [
          e.principal_arn,
          id,
        ]),
      ),
    };
  };
  const ops = "arn:aws:iam::111122223333:role/ops";
  const ci = "arn:aws:iam::111122223333:role/ci-deployer";
  const sre = "arn:aws:iam::444455556666:user/sre";

  it("keeps each admin's address when another admin is removed or the list is reordered (principal_arn forces replacement)", () => {
    const three = adminsOf([ops, ci, sre]);
    const two = adminsOf([sre, ci]);
    expect(Object.keys(three.byPrincipal).sort()).toEqual([ci, ops, sre].sort());
    expect(two.byPrincipal[ci]).toBe(three.byPrincipal[ci]);
    expect(two.byPrincipal[sre]).toBe(three.byPrincipal[sre]);
  });

  it("moves the numbered entries of earlier versions (admin-<index>) to each admin's own", () => {
    const { stack, byPrincipal } = adminsOf([ops, ci]);
    const moved = movedBlocks(stack).filter((m) => m.from.startsWith("aws_eks_access_entry."));
    expect(moved.map((m) => [m.from.replace(/_[0-9A-F]{8}$/, ""), m.to])).toEqual([
      ["aws_eks_access_entry.admins_admin-0-entry", `aws_eks_access_entry.${byPrincipal[ops]}`],
      ["aws_eks_access_entry.admins_admin-1-entry", `aws_eks_access_entry.${byPrincipal[ci]}`],
    ]);
  });

  it("with formerDeployerEntry, moves the deployer entry of earlier versions to that admin instead of recreating it", () => {
    const { stack, byPrincipal } = adminsOf([ops, ci], ci);
    // The address earlier versions gave the deployer's entry and its policy association.
    expect(movedBlocks(stack)).toEqual(
      expect.arrayContaining([
        { from: "aws_eks_access_entry.admins_deployer-entry_4756ED44", to: `aws_eks_access_entry.${byPrincipal[ci]}` },
        {
          from: "aws_eks_access_policy_association.admins_deployer-admin_C4D6AF94",
          to: expect.stringMatching(
            /^aws_eks_access_policy_association\.admins_admin-111122223333-role-ci-deployer-admin_/,
          ),
        },
      ]),
    );
    expect(movedBlocks(stack).some((m) => m.from.includes("admin-1-"))).toBe(false);
  });

  it("lets EKS make the creator an admin only when bootstrapCreatorAdmin says so", () => {
    const text = edited("demo", (d) => {
      d.cluster.adminPrincipals = [];
      d.cluster.bootstrapCreatorAdmin = true;
    });
    const synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("creator-admin", text) });
    const stack = synth.stack("cluster");
    synth.cleanup();
    const [, cluster] = only<EksCluster>(stack, "aws_eks_cluster");
    expect(cluster.access_config.bootstrap_cluster_creator_admin_permissions).toBe(true);
    expect(resources(stack, "aws_eks_access_entry")).toEqual({});
  }, 30_000);
});

describe("README: importing a log group left by an older cluster", () => {
  it.each(environmentNames())("%s: the address the README imports into is the cluster stack's log group", (name) => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const address = /terraform import (aws_cloudwatch_log_group\.[\w-]+) \/aws\/eks\/<cluster>\/cluster/.exec(
      readme,
    )![1];
    const [id] = only(synthNamed(name).stack("cluster"), "aws_cloudwatch_log_group");
    expect(address).toBe(`aws_cloudwatch_log_group.${id}`);
  });
});

describe("cluster stack, an environment deployed with IRSA (cluster.podIdentity off, the default)", () => {
  let synth: Synthesized;
  beforeAll(() => (synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("demo", environmentText("demo")) })));
  afterAll(() => synth.cleanup());

  it("registers the cluster's OIDC issuer with IAM for IRSA, without a thumbprint, and outputs its ARN", () => {
    const stack = synth.stack("cluster");
    const [clusterId] = only(stack, "aws_eks_cluster");
    const [oidcId, oidc] = only<{ url: string; client_id_list: string[]; thumbprint_list?: string[] }>(
      stack,
      "aws_iam_openid_connect_provider",
    );
    expect(oidc.url).toBe(`\${aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer}`);
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.thumbprint_list).toBeUndefined();
    expect(stack.output!.oidc_provider_arn.value).toBe(ref("aws_iam_openid_connect_provider", oidcId, "arn"));
  });

  it("gives the cluster role no AmazonEKSVPCResourceController without security groups for pods", () => {
    const stack = synth.stack("cluster");
    const policies = Object.values(resources<Attachment>(stack, "aws_iam_role_policy_attachment")).map((a) =>
      a.policy_arn.split("/").pop(),
    );
    expect(policies).not.toContain("AmazonEKSVPCResourceController");
  });
});
