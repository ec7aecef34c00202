import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import type { EC2NodeClass, NodePool } from "../modules/k8s/karpenter";
import { loadEnvironment } from "../modules/load/load";
import { SUBNET_ROLE_TAG } from "../modules/plan/labels";
import { KARPENTER_INTERRUPTION_EVENTS, nodePoolInstanceTypes } from "../modules/plan/node-pools";
import { edited, writeEnvironmentFile } from "./support/environments";
import type { KubernetesObject } from "../modules/k8s/kubernetes-object";
import { customResourceSchemaError, type CrdDocument } from "./support/kubernetes";
import {
  dataSources,
  decodeJsonencode,
  only,
  policyStatements,
  resolveCrossStack,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";

const crd = (file: string) =>
  parse(readFileSync(join(__dirname, "fixtures", "karpenter", file), "utf8")) as CrdDocument;
const EC2_NODE_CLASS_CRD = crd("karpenter.k8s.aws_ec2nodeclasses.yaml");
const NODE_POOL_CRD = crd("karpenter.sh_nodepools.yaml");

type Condition = { test: string; variable: string; values: string[] };
type Release = {
  name: string;
  namespace: string;
  repository?: string;
  chart: string;
  version?: string;
  skip_crds?: boolean;
  values?: string[];
  depends_on?: string[];
  wait?: boolean;
  timeout?: number;
};

function karpenterObjects(json: TfJson): { classes: EC2NodeClass[]; pools: NodePool[] } {
  const [, release] = only<Release>(json, "helm_release", (r) => r.name === "karpenter-node-pools");
  const { objects } = decodeJsonencode(release.values![0]) as { objects: KubernetesObject[] };
  return {
    classes: objects.filter((o): o is EC2NodeClass => o.kind === "EC2NodeClass"),
    pools: objects.filter((o): o is NodePool => o.kind === "NodePool"),
  };
}

/**
 * The EC2NodeClass with its Terraform references as Terraform will resolve them (the CRD checks the
 * security group id's form), after proving they are the references they must be.
 */
function resolved(c: EC2NodeClass, synth: Synthesized): EC2NodeClass {
  const [term] = c.spec.securityGroupSelectorTerms;
  expect(c.spec.securityGroupSelectorTerms).toHaveLength(1);
  const origin = resolveCrossStack(synth, term.id!);
  expect([origin.stack, origin.type, origin.attribute]).toEqual([
    "cluster",
    "aws_eks_cluster",
    "vpc_config[0].cluster_security_group_id",
  ]);
  expect(c.spec.instanceProfile).toMatch(/^\$\{aws_iam_instance_profile\.node-role_instance-profile_\w+\.name\}$/);
  return {
    ...c,
    spec: {
      ...c.spec,
      securityGroupSelectorTerms: [{ id: "sg-0123456789abcdef0" }],
      instanceProfile: "prod-eu-karpenter-node",
    },
  };
}

describe("karpenter stack, production", () => {
  let synth: Synthesized;
  let karpenter: TfJson;
  beforeAll(() => {
    synth = synthNamed("production");
    karpenter = synth.stack("karpenter");
  });
  afterAll(() => synth.cleanup());

  it("comes after nodes and before workloads", () => {
    expect(synth.stacks).toContain("karpenter");
    expect(synth.manifest.stacks.karpenter.dependencies).toEqual(expect.arrayContaining(["nodes", "cluster"]));
    expect(synth.manifest.stacks.workloads.dependencies).toContain("karpenter");
    // For the order only: workloads reads nothing from karpenter's state, so karpenter can be
    // destroyed without it (README, "Removing Karpenter").
    const remoteStates = Object.keys(synth.stack("workloads").data?.terraform_remote_state ?? {});
    expect(remoteStates.length).toBeGreaterThan(0);
    expect(remoteStates.filter((name) => name.includes("karpenter"))).toEqual([]);
  });

  it("installs Karpenter's CRD chart and controller chart from its public OCI registry, pinned, CRDs first", () => {
    const releases = resources<Release>(karpenter, "helm_release");
    const [crdsId, crds] = Object.entries(releases).find(([, r]) => r.chart === "karpenter-crd")!;
    const [, controller] = Object.entries(releases).find(([, r]) => r.chart === "karpenter")!;
    for (const r of [crds, controller]) {
      expect(r).toMatchObject({
        repository: "oci://public.ecr.aws/karpenter",
        version: "1.14.1",
        namespace: "kube-system",
      });
    }
    expect(controller.name).toBe("karpenter");
    // Helm installs a chart's crds/ folder once and never upgrades it: the CRDs come from karpenter-crd.
    expect(controller.skip_crds).toBe(true);
    expect(controller.depends_on).toContain(`helm_release.${crdsId}`);
  });

  it("on destroy, removes the pools while the controller runs and waits for their nodes: one release holds the EC2NodeClasses (whose finalizer holds until their NodeClaims are gone) and the NodePools, waits, and goes before the controller", () => {
    const releases = resources<Release>(karpenter, "helm_release");
    const [controllerId] = Object.entries(releases).find(([, r]) => r.chart === "karpenter")!;
    const [, pools] = only<Release>(karpenter, "helm_release", (r) => r.name === "karpenter-node-pools");
    // helm_release's delete runs helm uninstall with Wait and Timeout from these (provider 3.1.1).
    expect(pools.wait).toBe(true);
    expect(pools.timeout).toBeGreaterThanOrEqual(600);
    expect(pools.depends_on).toContain(`helm_release.${controllerId}`);
    const { classes, pools: nodePools } = karpenterObjects(karpenter);
    expect(classes.length).toBeGreaterThan(0);
    expect(nodePools.length).toBeGreaterThan(0);
  });

  it("runs the controller on the managed node group only, with the interruption queue and no reserved ENI (prefix delegation)", () => {
    const [, controller] = only<Release>(karpenter, "helm_release", (r) => r.chart === "karpenter");
    const values = decodeJsonencode(controller.values![0]) as Record<string, any>;
    const [queueId] = only(karpenter, "aws_sqs_queue");
    expect(values.settings).toEqual({
      clusterName: "prod-eu",
      interruptionQueue: `\${aws_sqs_queue.${queueId}.name}`,
      reservedENIs: "0",
    });
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "karpenter.sh/nodepool", operator: "DoesNotExist" },
          { key: "eks.amazonaws.com/nodegroup", operator: "In", values: ["general"] },
        ],
      },
    ]);
    expect(values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: "kubernetes.io/hostname" },
    ]);
  });

  it("has an encrypted interruption queue that only EventBridge writes to, over TLS, and a rule per interruption event", () => {
    const [queueId, queue] = only<Record<string, unknown>>(karpenter, "aws_sqs_queue");
    expect(queue).toMatchObject({
      name: "prod-eu-karpenter",
      message_retention_seconds: 300,
      sqs_managed_sse_enabled: true,
    });
    const statements = policyStatements(karpenter).filter((s) => s.source.includes("interruption"));
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "sqs.amazonaws.com"] }],
        }),
        expect.objectContaining({
          effect: "Deny",
          actions: ["sqs:*"],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }),
      ]),
    );
    const [, queuePolicy] = only<Record<string, string>>(karpenter, "aws_sqs_queue_policy");
    expect(queuePolicy.queue_url).toBe(`\${aws_sqs_queue.${queueId}.url}`);
    const rules = Object.entries(
      resources<{ name: string; event_pattern: string }>(karpenter, "aws_cloudwatch_event_rule"),
    );
    const targets = Object.values(resources<{ rule: string; arn: string }>(karpenter, "aws_cloudwatch_event_target"));
    const byDetail = (a: { "detail-type": string[] }, b: { "detail-type": string[] }) =>
      a["detail-type"][0] < b["detail-type"][0] ? -1 : 1;
    expect(rules.map(([, r]) => JSON.parse(r.event_pattern)).sort(byDetail)).toEqual(
      KARPENTER_INTERRUPTION_EVENTS.map((e) => ({ source: [e.source], "detail-type": [e.detailType] })).sort(byDetail),
    );
    for (const [id] of rules) {
      expect(targets.filter((t) => t.rule === `\${aws_cloudwatch_event_rule.${id}.name}`)).toEqual([
        expect.objectContaining({ arn: `\${aws_sqs_queue.${queueId}.arn}` }),
      ]);
    }
  });

  it("gives the controller a Pod Identity role whose policies name this cluster and hold EC2 actions to its tags", () => {
    const roles = resources<{ name: string; assume_role_policy: string }>(karpenter, "aws_iam_role");
    const controller = Object.entries(roles).find(([, r]) => r.name === "prod-eu-karpenter")!;
    const trustSource = /data\.aws_iam_policy_document\.([\w-]+)\.json/.exec(controller[1].assume_role_policy)![1];
    const trust = dataSources<{ statement: Array<Record<string, any>> }>(karpenter, "aws_iam_policy_document")[
      trustSource
    ];
    // The session's cluster tag is the cluster's name, read from the cluster stack.
    const clusterNameRef = trust.statement[0].condition[0].values[0];
    const origin = resolveCrossStack(synth, clusterNameRef);
    expect([origin.type, origin.attribute, origin.resource.name]).toEqual(["aws_eks_cluster", "name", "prod-eu"]);
    expect(trust.statement).toEqual([
      expect.objectContaining({
        actions: ["sts:AssumeRole", "sts:TagSession"],
        principals: [{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }],
        condition: [
          { test: "StringEquals", variable: "aws:RequestTag/eks-cluster-name", values: [clusterNameRef] },
          { test: "StringEquals", variable: "aws:RequestTag/kubernetes-namespace", values: ["kube-system"] },
          { test: "StringEquals", variable: "aws:RequestTag/kubernetes-service-account", values: ["karpenter"] },
        ],
      }),
    ]);
    const [, association] = only<Record<string, string>>(karpenter, "aws_eks_pod_identity_association");
    expect(association).toMatchObject({ namespace: "kube-system", service_account: "karpenter" });
    // The Pod Identity agent is the cni stack's, deployed before nodes, which this stack follows.
    expect(
      Object.values(resources<{ addon_name: string }>(synth.stack("cni"), "aws_eks_addon")).map((a) => a.addon_name),
    ).toContain("eks-pod-identity-agent");
    expect(resources(karpenter, "aws_eks_addon")).toEqual({});
    // Five policies, each attached to the controller's role.
    const policies = resources<{ name: string }>(karpenter, "aws_iam_policy");
    expect(
      Object.values(policies)
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      ["eks-integration", "iam-integration", "interruption", "node-lifecycle", "resource-discovery"].map(
        (p) => `prod-eu-karpenter-${p}`,
      ),
    );
    const statements = policyStatements(karpenter).filter((s) => s.source.startsWith("controller-policies"));
    const text = JSON.stringify(statements);
    expect(text).toContain("cluster/prod-eu");
    const conditionsOf = (st: Record<string, any>) =>
      Object.fromEntries(((st.condition ?? []) as Condition[]).map((c) => [c.variable, c.values]));
    // Every action that launches, tags or deletes is held to this cluster's tags.
    for (const st of statements as Array<Record<string, any>>) {
      const mutating = (st.actions as string[]).some((a) =>
        /^ec2:(CreateTags|TerminateInstances|DeleteLaunchTemplate|CreateLaunchTemplate)$/.test(a),
      );
      if (!mutating) continue;
      const conditions = conditionsOf(st);
      const owned =
        conditions["aws:ResourceTag/kubernetes.io/cluster/prod-eu"] ??
        conditions["aws:RequestTag/kubernetes.io/cluster/prod-eu"];
      expect([st.sid, owned]).toEqual([st.sid, ["owned"]]);
    }
    const launching = statements.find((st) => (st as any).sid === "AllowScopedEC2InstanceActionsWithTags")!;
    expect(conditionsOf(launching)["aws:RequestTag/eks:eks-cluster-name"]).toEqual(["prod-eu"]);
    // Only read-only actions are granted on every resource.
    expect(
      statements
        .filter((st) => st.resources?.includes("*"))
        .flatMap((st) => st.actions ?? [])
        .filter((a) => !/^(ec2:Describe|iam:List|pricing:Get)/.test(a)),
    ).toEqual([]);
    // Terraform owns the instance profile: no instance-profile management, no wildcard PassRole.
    expect(text).not.toMatch(
      /iam:(CreateInstanceProfile|DeleteInstanceProfile|AddRoleToInstanceProfile|TagInstanceProfile)/,
    );
    const passRole = statements.find((s) => s.actions?.includes("iam:PassRole"))!;
    expect(passRole.resources).toEqual([expect.stringMatching(/^\$\{aws_iam_role\.node-role_node_role_\w+\.arn\}$/)]);
  });

  it("gives Karpenter's nodes a role with an EC2_LINUX access entry and an instance profile", () => {
    const [, entry] = only<Record<string, string>>(karpenter, "aws_eks_access_entry");
    expect(entry.type).toBe("EC2_LINUX");
    const [, profile] = only<Record<string, string>>(karpenter, "aws_iam_instance_profile");
    expect(profile.name).toBe("prod-eu-karpenter-node");
    const [roleId, role] = Object.entries(resources<{ name: string }>(karpenter, "aws_iam_role")).find(
      ([, r]) => r.name === "prod-eu-karpenter-node",
    )!;
    expect(entry.principal_arn).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(profile.role).toBe(`\${aws_iam_role.${roleId}.name}`);
    expect(role).toBeDefined();
  });

  it("writes an EC2NodeClass and a NodePool per pool that Karpenter's CRDs accept", () => {
    const { classes, pools } = karpenterObjects(karpenter);
    expect(classes.map((c) => c.metadata.name)).toEqual(["batch"]);
    expect(pools.map((p) => p.metadata.name)).toEqual(["batch"]);
    for (const c of classes) expect(customResourceSchemaError(resolved(c, synth), EC2_NODE_CLASS_CRD)).toBeUndefined();
    for (const p of pools) expect(customResourceSchemaError(p, NODE_POOL_CRD)).toBeUndefined();
  });

  it("EC2NodeClass: AL2023 by alias, IMDSv2 hop limit 1, encrypted gp3, the cluster security group, kubelet maxPods 110", () => {
    const [c] = karpenterObjects(karpenter).classes;
    expect(c.spec.amiSelectorTerms).toEqual([{ alias: "al2023@latest" }]);
    expect(c.spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(c.spec.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        rootVolume: true,
        ebs: { volumeSize: "100Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true },
      },
    ]);
    expect(c.spec.securityGroupSelectorTerms).toEqual([
      { id: expect.stringMatching(/cross-stack-reference-input-cluster.*cluster_security_group_id|vpc_config/) },
    ]);
    expect(c.spec.kubelet).toEqual({ maxPods: 110 });
    expect(c.spec.instanceProfile).toMatch(/aws_iam_instance_profile\./);
    // CEL rules of the CRD the objects touch: alias alone in amiSelectorTerms; no reserved tag keys.
    expect(Object.keys(c.spec.amiSelectorTerms[0])).toEqual(["alias"]);
    expect(
      Object.keys(c.spec.tags).filter((k) => /^(kubernetes\.io\/cluster|eks:eks-cluster-name|karpenter\.)/.test(k)),
    ).toEqual([]);
    expect(c.spec.tags).toMatchObject({ Environment: "production", Cluster: "prod-eu", "cost-center": "platform" });
  });

  it("EC2NodeClass: its subnet selector matches exactly the plan's node subnets, never a pod subnet", () => {
    const [c] = karpenterObjects(karpenter).classes;
    // A subnet's tags: its own, and the ones aws_ec2_tag puts on it (the per-cluster tag, so that
    // clusters sharing the network each tag it).
    const network = synth.stack("network");
    const extra = Object.values(resources<{ resource_id: string; key: string; value: string }>(network, "aws_ec2_tag"));
    const subnets = Object.entries(
      resources<{ tags: Record<string, string>; cidr_block: string }>(network, "aws_subnet"),
    ).map(([id, subnet]) => ({
      cidr_block: subnet.cidr_block,
      tags: {
        ...subnet.tags,
        ...Object.fromEntries(
          extra.filter((t) => t.resource_id === `\${aws_subnet.${id}.id}`).map((t) => [t.key, t.value]),
        ),
      },
    }));
    const matches = (tags: Record<string, string>) =>
      c.spec.subnetSelectorTerms.some((term) => Object.entries(term.tags ?? {}).every(([k, v]) => tags[k] === v));
    const selected = subnets.filter((s) => matches(s.tags));
    expect(selected.map((s) => s.tags[SUBNET_ROLE_TAG])).toEqual(["node", "node", "node"]);
    expect(selected.map((s) => s.cidr_block).sort()).toEqual(["10.20.0.0/23", "10.20.2.0/23", "10.20.4.0/23"]);
    expect(subnets.filter((s) => s.tags[SUBNET_ROLE_TAG] === "pod" && matches(s.tags))).toEqual([]);
  });

  it("NodePool: the file's requirements, the plan's exact instance types, limits, taints and disruption", () => {
    const [p] = karpenterObjects(karpenter).pools;
    const env = loadEnvironment({ EKS_ENV: "production" }).env;
    const req = Object.fromEntries(p.spec.template.spec.requirements.map((r) => [r.key, r.values]));
    expect(req).toEqual({
      "karpenter.k8s.aws/instance-family": ["c6i", "c6a", "c7i"],
      "karpenter.k8s.aws/instance-size": ["xlarge", "2xlarge", "4xlarge"],
      "kubernetes.io/arch": ["amd64"],
      "kubernetes.io/os": ["linux"],
      "karpenter.sh/capacity-type": ["spot", "on-demand"],
      "topology.kubernetes.io/zone": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      "node.kubernetes.io/instance-type": nodePoolInstanceTypes(env.karpenter!.nodePools[0], env),
    });
    expect(req["node.kubernetes.io/instance-type"]).toHaveLength(9);
    expect(p.spec.limits).toEqual({ cpu: "96", memory: "192Gi" });
    expect(p.spec.template.spec.taints).toEqual([{ key: "workload", value: "batch", effect: "NoSchedule" }]);
    expect(p.spec.template.metadata.labels).toEqual({ role: "batch" });
    expect(p.spec.template.spec.nodeClassRef).toEqual({
      group: "karpenter.k8s.aws",
      kind: "EC2NodeClass",
      name: "batch",
    });
    expect(p.spec.disruption).toEqual({
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: "5m",
      budgets: [{ nodes: "10%" }],
    });
  });
});

describe("karpenter in another environment's network (network.from)", () => {
  let consumer: Synthesized;
  let owner: Synthesized;
  beforeAll(() => {
    const file = writeEnvironmentFile(
      "second",
      edited("public-pods", (d) => {
        d.network = { from: "./demo.yaml" };
        d.karpenter = {
          version: "1.14.1",
          nodePools: [
            {
              name: "batch",
              families: ["c6i"],
              sizes: ["xlarge"],
              subnet: "public",
              limits: { cpu: 8, memory: "16Gi" },
            },
          ],
        };
      }),
    );
    writeFileSync(
      join(dirname(file), "demo.yaml"),
      edited("demo", () => undefined),
    );
    consumer = synthEnvironment({ EKS_ENV_FILE: file });
    owner = synthEnvironment({ EKS_ENV_FILE: join(dirname(file), "demo.yaml") });
  });
  afterAll(() => {
    consumer.cleanup();
    owner.cleanup();
  });

  it("EC2NodeClass: selects the owner's public subnets that this cluster tags, and no other subnet", () => {
    const [c] = karpenterObjects(consumer.stack("karpenter")).classes;
    // The owner's subnets with their own tags, plus the cluster tag this environment's network stack
    // puts on the ones it uses (aws_ec2_tag on the owner's subnet_ids output, by role and AZ).
    type Tag = { resource_id: string; key: string; value: string };
    const consumerTags = Object.values(resources<Tag>(consumer.stack("network"), "aws_ec2_tag")).map((t) => {
      const [, role, az] = /subnet_ids\.(\w+)\["([^"]+)"\]/.exec(t.resource_id)!;
      return { role, az, key: t.key, value: t.value };
    });
    expect(consumerTags.length).toBeGreaterThan(0);
    const subnets = Object.values(
      resources<{ tags: Record<string, string>; cidr_block: string; availability_zone: string }>(
        owner.stack("network"),
        "aws_subnet",
      ),
    ).map((subnet) => ({
      cidr_block: subnet.cidr_block,
      tags: {
        ...subnet.tags,
        ...Object.fromEntries(
          consumerTags
            .filter((t) => t.role === subnet.tags[SUBNET_ROLE_TAG] && t.az === subnet.availability_zone)
            .map((t) => [t.key, t.value]),
        ),
      },
    }));
    const matches = (tags: Record<string, string>) =>
      c.spec.subnetSelectorTerms.some((term) => Object.entries(term.tags ?? {}).every(([k, v]) => tags[k] === v));
    const selected = subnets.filter((s) => matches(s.tags));
    expect(selected.map((s) => s.tags[SUBNET_ROLE_TAG])).toEqual(["public", "public"]);
    expect(selected.map((s) => s.cidr_block).sort()).toEqual(["172.16.100.0/24", "172.16.101.0/24"]);
  });
});

describe("karpenter stack, custom networking without prefix delegation", () => {
  let synth: Synthesized;
  beforeAll(() => {
    const text = edited("karpenter", (doc) => {
      doc.cni.prefixDelegation = false;
      delete doc.cni.warmPrefixTarget;
      doc.karpenter.nodePools[0].limits.nodes = 20;
    });
    synth = synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("karpenter-secondary-ips", text) });
  });
  afterAll(() => synth.cleanup());

  it("leaves max pods to Karpenter with RESERVED_ENIS=1 (the primary ENI serves no pods), and passes limits.nodes on", () => {
    const json = synth.stack("karpenter");
    const [c] = karpenterObjects(json).classes;
    expect(c.spec.kubelet).toBeUndefined();
    const [, controller] = only<Release>(json, "helm_release", (r) => r.chart === "karpenter");
    const values = decodeJsonencode(controller.values![0]) as any;
    expect(values.settings.reservedENIs).toBe("1");
    // This fixture's cluster gives pods IRSA: the chart's service account names the role.
    const [roleId] = Object.entries(resources<{ name: string }>(json, "aws_iam_role")).find(
      ([, r]) => r.name === "prod-eu-karpenter",
    )!;
    expect(values.serviceAccount).toEqual({
      annotations: { "eks.amazonaws.com/role-arn": `\${aws_iam_role.${roleId}.arn}` },
    });
    expect(resources(json, "aws_eks_pod_identity_association")).toEqual({});
    const [p] = karpenterObjects(json).pools;
    expect(p.spec.limits).toEqual({ cpu: "96", memory: "192Gi", nodes: "20" });
    expect(customResourceSchemaError(p, NODE_POOL_CRD)).toBeUndefined();
    expect(customResourceSchemaError(resolved(c, synth), EC2_NODE_CLASS_CRD)).toBeUndefined();
  });
});

describe("environments without karpenter", () => {
  it("have no karpenter stack", () => {
    const synth = synthNamed("demo");
    try {
      expect(synth.stacks).not.toContain("karpenter");
    } finally {
      synth.cleanup();
    }
  });
});
