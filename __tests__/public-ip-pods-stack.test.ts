/**
 * public-pods' workloads stack as synthesized: one Elastic IP per listed address, whatever replicas
 * says; nothing that reads a pod; the StatefulSet's pods carry the eip-associator sidecar, whose
 * role alone has AWS credentials and may move only this workload's addresses. Each of issue 15's
 * faults of the former design (Terraform associating addresses with pod addresses read at plan time)
 * has its regression test here, in public-addresses.test.ts or in eip-associator.test.ts.
 */
import { readFileSync } from "node:fs";
import { EIP_ASSOCIATOR_ACTIONS } from "../modules/constructs/workloads/eip-associator-role";
import { EIP_ASSOCIATOR_SCRIPT_FILE } from "../modules/k8s/eip-associator";
import type { KubernetesObject } from "../modules/k8s/kubernetes-object";
import { POD_TAG, PUBLIC_IP_WORKLOAD_TAG, SKIP_CONTAINERS_ANNOTATION } from "../modules/plan/labels";
import { edited, writeEnvironmentFile, type Editable } from "./support/environments";
import { kubernetesSchemaError, manifestReleases } from "./support/kubernetes";
import {
  dataSources,
  only,
  policyStatements,
  ref,
  resolveSharedNetwork,
  resources,
  synthEnvironment,
  synthNamed,
  type Synthesized,
  type TfJson,
} from "./support/synth";

type Eip = {
  domain: string;
  tags: Record<string, string>;
  lifecycle: { prevent_destroy: boolean };
  depends_on?: string[];
};
type Container = {
  name: string;
  image: string;
  restartPolicy?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  startupProbe?: { exec: { command: string[] } };
  securityContext?: Record<string, unknown>;
};
type PodSpec = {
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  terminationGracePeriodSeconds: number;
  initContainers: Container[];
  containers: Container[];
  volumes: Array<{ name: string; configMap?: { name: string } }>;
};
type StatefulSet = KubernetesObject & {
  spec: { replicas: number; template: { metadata: { annotations: Record<string, string> }; spec: PodSpec } };
};

const eips = (stack: TfJson) => resources<Eip>(stack, "aws_eip");
const statefulSetOf = (stack: TfJson) =>
  manifestReleases(stack)[0].objects.find((o) => o.kind === "StatefulSet") as StatefulSet;

/** public-pods (the test fixture) with an explicit address list and an edit, synthesized. */
function synthFixture(edit: (d: Editable) => void): Synthesized {
  const text = edited("public-pods", (d) => {
    d.workloads.publicIpPods[0].addresses = ["shop-egress-0", "shop-egress-1", "shop-egress-2"];
    d.workloads.publicIpPods[0].replicas = 3;
    edit(d);
  });
  return synthEnvironment({ EKS_ENV_FILE: writeEnvironmentFile("public-pods", text) });
}

describe("workloads stack, public-pods", () => {
  let synth: Synthesized;
  let stack: TfJson;
  beforeAll(() => {
    synth = synthNamed("public-pods");
    stack = synth.stack("workloads");
  });
  afterAll(() => synth.cleanup());

  it("runs the pods as a StatefulSet of 2 on the public node group, every object valid against the Kubernetes schema", () => {
    const [{ release, objects }] = manifestReleases(stack);
    expect(release).toMatchObject({ name: "shop-egress", namespace: "shop" });
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "ConfigMap", "Service", "StatefulSet"]);
    const statefulSet = statefulSetOf(stack);
    expect(statefulSet.spec.replicas).toBe(2);
    expect(objects.find((o) => o.kind === "Service")).toMatchObject({ spec: { clusterIP: "None" } });
    expect(JSON.stringify(statefulSet.spec.template.spec)).toContain('"values":["ng-public"]');
    for (const o of objects) expect([o.kind, kubernetesSchemaError(o)]).toEqual([o.kind, undefined]);
  });

  it("keeps one Elastic IP per listed address, tagged with its pod and workload, protected from destruction, at the Terraform address it was first deployed at", () => {
    expect(
      Object.entries(eips(stack)).map(([id, e]) => [
        id,
        e.domain,
        e.tags.Name,
        e.tags[POD_TAG],
        e.tags[PUBLIC_IP_WORKLOAD_TAG],
        e.lifecycle.prevent_destroy,
      ]),
    ).toEqual([
      ["eip-shop-shop-egress-0_eip_2973BDD4", "vpc", "shop-egress-0", "shop/shop-egress-0", "shop/shop-egress", true],
      ["eip-shop-shop-egress-1_eip_70DD6CFF", "vpc", "shop-egress-1", "shop/shop-egress-1", "shop/shop-egress", true],
    ]);
  });

  it("fault 2: reads no pod and no network interface, so a missing, Pending or restarting pod cannot fail a plan", () => {
    expect(dataSources(stack, "kubernetes_resource")).toEqual({});
    expect(dataSources(stack, "kubernetes_pod_v1")).toEqual({});
    expect(dataSources(stack, "aws_network_interface")).toEqual({});
    // Every data source left reads the cluster's connection, the role's policy or other stacks' state.
    const allowed = ["aws_eks_cluster_auth", "aws_iam_policy_document", "aws_partition", "terraform_remote_state"];
    expect(Object.keys(stack.data ?? {}).filter((type) => !allowed.includes(type))).toEqual([]);
    // Nor does the release wait for the pods: a pod that cannot start fails no deploy.
    expect(manifestReleases(stack)[0].release).toMatchObject({ wait: false, atomic: false });
  });

  it("fault 3: a change of the release touches no address (no aws_eip depends on or refers to it, and there is no association left to replace)", () => {
    const [releaseId] = Object.keys(resources(stack, "helm_release"));
    for (const eip of Object.values(eips(stack))) {
      expect(eip.depends_on ?? []).toEqual([]);
      expect(JSON.stringify(eip)).not.toContain("helm_release");
    }
    expect(resources(stack, "aws_eip_association")).toEqual({});
    expect(releaseId).toBe("public-ip-shop-egress_release_E57E6F5E");
  });

  it("forgets the former aws_eip_associations (removed, destroy = false) rather than disassociating addresses pods use", () => {
    expect((stack as { removed?: unknown }).removed).toEqual([
      {
        from: "aws_eip_association.eip-shop-shop-egress-0_association_6D011AE7",
        lifecycle: { destroy: false },
      },
      {
        from: "aws_eip_association.eip-shop-shop-egress-1_association_26D4D812",
        lifecycle: { destroy: false },
      },
    ]);
  });

  it("runs the eip-associator as a native sidecar in the pinned AWS CLI image, holding the app back until the address is associated", () => {
    const pod = statefulSetOf(stack).spec.template.spec;
    const [sidecar] = pod.initContainers;
    expect(pod.initContainers).toHaveLength(1);
    expect(sidecar).toMatchObject({
      name: "eip-associator",
      image: "public.ecr.aws/aws-cli/aws-cli:2.32.9",
      restartPolicy: "Always",
      command: ["/bin/sh", "/etc/eip-associator/eip-associator.sh"],
      startupProbe: { exec: { command: ["test", "-f", "/tmp/eip-associator/started"] } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    });
    const env = Object.fromEntries(sidecar.env!.map((e) => [e.name, e.value ?? e.valueFrom!.fieldRef.fieldPath]));
    expect(env).toMatchObject({
      AWS_REGION: "us-east-1",
      CLUSTER_NAME: "cluster-demo-2",
      POD_TAG_KEY: POD_TAG,
      POD_NAME: "metadata.name",
      POD_NAMESPACE: "metadata.namespace",
      POD_IP: "status.podIP",
      HOST_IP: "status.hostIP",
    });
    // The VPC it looks the node up in is the network stack's: demo's, which public-pods runs in.
    expect(resolveSharedNetwork(synth, synthNamed("demo"), env.VPC_ID).type).toBe("aws_vpc");
    // The app starts after it, and has time to stop before it lets the address go.
    expect(pod.containers.map((c) => c.name)).toEqual(["shop-egress"]);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
  });

  it("hands the sidecar the shipped script unchanged, in the workload's ConfigMap", () => {
    const config = manifestReleases(stack)[0].objects.find((o) => o.kind === "ConfigMap") as KubernetesObject & {
      data: Record<string, string>;
    };
    expect(config.metadata!.name).toBe("shop-egress-eip-associator");
    expect(config.data).toEqual({ "eip-associator.sh": readFileSync(EIP_ASSOCIATOR_SCRIPT_FILE, "utf8") });
    const pod = statefulSetOf(stack).spec.template.spec;
    expect(pod.volumes.find((v) => v.name === "eip-associator")).toEqual({
      name: "eip-associator",
      configMap: { name: "shop-egress-eip-associator" },
    });
  });

  it("gives the app container no AWS credentials and no Kubernetes token", () => {
    const statefulSet = statefulSetOf(stack);
    const pod = statefulSet.spec.template.spec;
    // IRSA's webhook skips the containers named here: only the sidecar gets the role.
    expect(statefulSet.spec.template.metadata.annotations[SKIP_CONTAINERS_ANNOTATION]).toBe("shop-egress");
    expect(pod.automountServiceAccountToken).toBe(false);
    const [app] = pod.containers;
    expect(app.env).toBeUndefined();
    expect(app.volumeMounts).toBeUndefined();
    const account = manifestReleases(stack)[0].objects.find((o) => o.kind === "ServiceAccount") as KubernetesObject & {
      automountServiceAccountToken: boolean;
    };
    expect(account.metadata!.name).toBe(pod.serviceAccountName);
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it("gives the sidecar a role of its own (Pod Identity) that may associate and disassociate only this workload's addresses of this cluster, and interfaces of this VPC", () => {
    const [roleId, role] = only<{ name: string }>(stack, "aws_iam_role");
    expect(role.name).toBe("cluster-demo-2-shop-egress-eip-associator");
    // Pod Identity: an association names the service account, which carries no IRSA annotation.
    const account = manifestReleases(stack)[0].objects.find((o) => o.kind === "ServiceAccount")!;
    expect(account.metadata!.annotations).toBeUndefined();
    const [, association] = only<{ namespace: string; service_account: string; role_arn: string }>(
      stack,
      "aws_eks_pod_identity_association",
    );
    expect(association).toMatchObject({
      namespace: "shop",
      service_account: "shop-egress-eip-associator",
      role_arn: ref("aws_iam_role", roleId, "arn"),
    });
    const statements = policyStatements(stack) as unknown as Array<{
      sid?: string;
      actions: string[];
      resources: string[];
      principals?: Array<{ type: string; identifiers: string[] }>;
      condition?: Array<{ test: string; variable: string; values: string[] }>;
    }>;
    const isTrust = (s: { actions: string[] }) => s.actions.some((a) => a.startsWith("sts:"));
    const [trust] = statements.filter(isTrust);
    expect(statements.filter(isTrust)).toHaveLength(1);
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["pods.eks.amazonaws.com"] }]);
    const tags = Object.fromEntries(trust.condition!.map((c) => [c.variable, c.values[0]]));
    expect(tags["aws:RequestTag/kubernetes-namespace"]).toBe("shop");
    expect(tags["aws:RequestTag/kubernetes-service-account"]).toBe("shop-egress-eip-associator");
    const allowed = statements.filter((s) => !isTrust(s));
    const associating = allowed.filter((s) => s.actions.includes("ec2:AssociateAddress"));
    expect(EIP_ASSOCIATOR_ACTIONS).toEqual(["ec2:AssociateAddress", "ec2:DisassociateAddress"]);
    // On Elastic IPs: only under the workload's and the cluster's tags.
    const onAddresses = associating.find((s) => s.resources.some((r) => r.includes(":elastic-ip/")))!;
    expect(onAddresses.resources).toEqual(["arn:*:ec2:us-east-1:*:elastic-ip/*"]);
    expect(onAddresses.condition).toEqual([
      { test: "StringEquals", variable: `aws:ResourceTag/${PUBLIC_IP_WORKLOAD_TAG}`, values: ["shop/shop-egress"] },
      { test: "StringEquals", variable: "aws:ResourceTag/Cluster", values: ["cluster-demo-2"] },
    ]);
    // On interfaces: those of this environment's VPC.
    const onInterfaces = associating.find((s) => s !== onAddresses)!;
    expect(onInterfaces.resources).toEqual(["arn:*:ec2:us-east-1:*:network-interface/*"]);
    const [vpcCondition] = onInterfaces.condition!;
    expect(vpcCondition).toMatchObject({ test: "ArnLike", variable: "ec2:Vpc" });
    const vpcId = /vpc\/(.*)$/.exec(vpcCondition.values[0])![1];
    expect(resolveSharedNetwork(synth, synthNamed("demo"), vpcId).type).toBe("aws_vpc");
    expect(associating).toHaveLength(2);
    // Every other grant is a read, which EC2 cannot scope by resource: held to the region.
    const reads = allowed.filter((s) => !associating.includes(s));
    expect(reads).toEqual([
      expect.objectContaining({
        actions: ["ec2:DescribeAddresses", "ec2:DescribeNetworkInterfaces"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["us-east-1"] }],
      }),
    ]);
    expect(resources(stack, "aws_iam_role_policy_attachment")).toEqual({});
  });

  it("installs the pods once the sidecar's permissions and Pod Identity association exist", () => {
    const [policyId] = Object.keys(resources(stack, "aws_iam_role_policy"));
    const [associationId] = Object.keys(resources(stack, "aws_eks_pod_identity_association"));
    expect(manifestReleases(stack)[0].release.depends_on!.sort()).toEqual(
      [`aws_iam_role_policy.${policyId}`, `aws_eks_pod_identity_association.${associationId}`].sort(),
    );
  });

  it("with IRSA (an environment deployed before Pod Identity): the role annotation, trusted for exactly the sidecar's account", () => {
    const irsa = synthFixture(() => undefined);
    try {
      const workloads = irsa.stack("workloads");
      const [roleId] = only<{ name: string }>(workloads, "aws_iam_role");
      const account = manifestReleases(workloads)[0].objects.find((o) => o.kind === "ServiceAccount")!;
      expect(account.metadata!.annotations).toEqual({
        "eks.amazonaws.com/role-arn": ref("aws_iam_role", roleId, "arn"),
      });
      const trust = (
        policyStatements(workloads) as unknown as Array<{
          actions: string[];
          condition?: Array<{ variable: string; values: string[] }>;
        }>
      ).find((s) => s.actions.includes("sts:AssumeRoleWithWebIdentity"))!;
      expect(trust.condition!.find((c) => c.variable.endsWith(":sub"))!.values).toEqual([
        "system:serviceaccount:shop:shop-egress-eip-associator",
      ]);
      expect(resources(workloads, "aws_eks_pod_identity_association")).toEqual({});
    } finally {
      irsa.cleanup();
    }
  }, 30_000);

  it("outputs pod -> network -> public IP, eth0 for the pod's own address", () => {
    expect(stack.output!.pod_public_ips.value).toEqual({
      "shop/shop-egress-0": { eth0: ref("aws_eip", "eip-shop-shop-egress-0_eip_2973BDD4", "public_ip") },
      "shop/shop-egress-1": { eth0: ref("aws_eip", "eip-shop-shop-egress-1_eip_70DD6CFF", "public_ip") },
    });
  });

  it("deploys after the nodes stack", () => {
    expect(synth.manifest.stacks.workloads.dependencies).toContain("nodes");
  });
});

describe("fault 4: addresses follow the address list, not replicas", () => {
  const synths: Synthesized[] = [];
  const synthWith = (edit: (d: Editable) => void) => {
    const s = synthFixture(edit);
    synths.push(s);
    return s.stack("workloads");
  };
  afterAll(() => synths.forEach((s) => s.cleanup()));

  let three: TfJson;
  beforeAll(() => (three = synthWith(() => undefined)));

  it("synthesizes the same aws_eip set with 3, 1 or 0 replicas, spares included in the output", () => {
    const one = synthWith((d) => (d.workloads.publicIpPods[0].replicas = 1));
    const none = synthWith((d) => (d.workloads.publicIpPods[0].replicas = 0));
    expect(Object.keys(eips(three))).toHaveLength(3);
    expect(eips(one)).toEqual(eips(three));
    expect(eips(none)).toEqual(eips(three));
    expect(statefulSetOf(one).spec.replicas).toBe(1);
    expect(Object.keys(one.output!.pod_public_ips.value as object)).toEqual([
      "shop/shop-egress-0",
      "shop/shop-egress-1",
      "shop/shop-egress-2",
    ]);
  });

  it("drops exactly the released address's block, and every kept one stays protected", () => {
    const released = synthWith((d) => {
      d.workloads.publicIpPods[0].replicas = 2;
      d.workloads.publicIpPods[0].addresses[2] = { name: "shop-egress-2", release: true };
    });
    expect(Object.values(eips(released)).map((e) => [e.tags.Name, e.lifecycle.prevent_destroy])).toEqual([
      ["shop-egress-0", true],
      ["shop-egress-1", true],
    ]);
  });

  it("a change of the app's image changes no aws_eip (fault 3)", () => {
    const after = synthWith(
      (d) => (d.workloads.publicIpPods[0].image = "public.ecr.aws/nginx/nginx-unprivileged:1.28-alpine"),
    );
    expect(eips(after)).toEqual(eips(three));
    expect(JSON.stringify(statefulSetOf(after))).toContain("nginx-unprivileged:1.28-alpine");
  });

  it("prefix delegation with public-IP pods synthesizes (fault 5): the pods, their sidecar and addresses as without it", () => {
    const delegated = synthWith((d) => (d.cni.prefixDelegation = true));
    expect(Object.keys(eips(delegated))).toHaveLength(3);
    expect(statefulSetOf(delegated).spec.template.spec.initContainers[0].name).toBe("eip-associator");
  });
});
