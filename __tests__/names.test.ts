/**
 * Every name the plan gives a thing is listed (plan/planned-names.ts) and judged against its
 * service's rules before anything is synthesized (checks/names.ts).
 */
import { plannedNames } from "../modules/plan/planned-names";
import { edited, load, rejection, shippedEnvironmentText, type Editable } from "./support/environments";
import { environmentNames } from "../modules/load/load";
import { resources, synthNamed } from "./support/synth";

const demo = (edit: (d: Editable) => void) => edited("demo", edit);

describe("names the plan would give are checked before synthesis", () => {
  it("refuses a 60-character cluster name, naming cluster.name, the longest name it would make and IAM's limit", () => {
    const name = "c".repeat(60);
    const e = rejection(demo((d) => (d.cluster.name = name)));
    const problem = e.problems.find(
      (p) => p.path.join(".") === "cluster.name" && p.message.includes("IAM (role names)"),
    )!;
    expect(problem.severity).toBe("error");
    // <name>-cluster and <name>-vpc-cni are the longest role names (68 characters).
    expect(problem.message).toContain(`"${name}-cluster", 68 characters, over the 64 IAM (role names) allows`);
    expect(problem.message).toContain(`"${name}-vpc-cni"`);
    expect(problem.message).toContain("made of cluster.name");
    expect(problem.fix).toBe("shorten cluster.name by at least 4 characters in all");
    expect(e.report).toMatch(/test\.yaml:\d+: error: cluster\.name: the IAM role of the EKS control plane would be/);
  });

  it("accepts the longest cluster name that fits every name (56 characters: <name>-cluster is 64)", () => {
    expect(() => load(demo((d) => (d.cluster.name = "c".repeat(56))))).not.toThrow();
    expect(rejection(demo((d) => (d.cluster.name = "c".repeat(57)))).problems[0].fix).toBe(
      "shorten cluster.name by at least 1 character in all",
    );
  });

  it("refuses an HCP Terraform workspace name with a space (a file named 'cloud env.yaml')", () => {
    const text = demo((d) => (d.backend = { type: "cloud", organization: "acme", workspacePrefix: "eksnet" }));
    const e = rejection(text, "cloud env");
    const problem = e.problems.find((p) => p.path.join(".") === "backend.workspacePrefix")!;
    expect(problem.message).toContain(
      `"eksnet-cloud env-network", which HCP Terraform (workspace names) refuses: it takes letters, digits, - and _`,
    );
    expect(problem.message).toContain(
      "made of backend.workspacePrefix and the file name (the environment's name while `name` is not set)",
    );
  });

  it("refuses a workload name that makes its StatefulSet's pods unschedulable (over 52 characters)", () => {
    const text = edited("public-pods", (d) => (d.workloads.publicIpPods[0].name = "s".repeat(53)));
    const e = rejection(text);
    const problem = e.problems.find((p) => p.message.includes("StatefulSet"))!;
    expect(problem.path).toEqual(["workloads", "publicIpPods", 0, "name"]);
    expect(problem.message).toContain("53 characters, over the 52 Kubernetes (StatefulSet names");
  });

  it("refuses a Service name that starts with a digit, which DNS-1035 does not allow", () => {
    const e = rejection(edited("public-pods", (d) => (d.workloads.publicIpPods[0].name = "1shop")));
    expect(
      e.problems.some((p) => p.message.includes('"1shop", which Kubernetes (Service names, DNS-1035 labels) refuses')),
    ).toBe(true);
  });
});

describe.each(environmentNames())("every name in %s's synthesized output is a planned one", (env) => {
  const synth = synthNamed(env);
  const loaded = load(shippedEnvironmentText(env), `environments/${env}.yaml`);
  const planned = new Set(plannedNames(loaded.env, loaded.name).map((n) => `${n.kind} ${n.value}`));
  const all = (type: string, attribute: string) =>
    synth.stacks.flatMap((stack) =>
      Object.values(resources<Record<string, string>>(synth.stack(stack), type)).map((r) => r[attribute]),
    );

  it("IAM roles and instance profiles", () => {
    for (const name of all("aws_iam_role", "name")) expect(planned).toContain(`iamRole ${name}`);
    for (const name of all("aws_iam_instance_profile", "name")) expect(planned).toContain(`instanceProfile ${name}`);
  });

  it("security groups and the Name tags of pods' Elastic IPs on public Multus networks", () => {
    for (const name of all("aws_security_group", "name")) expect(planned).toContain(`securityGroup ${name}`);
    const multusEips = synth.stacks.flatMap((stack) =>
      Object.values(resources<{ tags: Record<string, string> }>(synth.stack(stack), "aws_eip")).filter(
        (e) => e.tags["eks-custom-networking/multus-network"],
      ),
    );
    for (const eip of multusEips) expect(planned).toContain(`nameTag ${eip.tags.Name}`);
  });

  it("launch templates, KMS aliases and log groups", () => {
    for (const prefix of all("aws_launch_template", "name_prefix"))
      expect(planned).toContain(`launchTemplateName ${prefix.replace(/-$/, "")}`);
    for (const name of all("aws_kms_alias", "name")) expect(planned).toContain(`kmsAlias ${name}`);
    for (const name of all("aws_cloudwatch_log_group", "name")) expect(planned).toContain(`logGroup ${name}`);
  });

  it("security groups", () => {
    for (const name of all("aws_security_group", "name")) expect(planned).toContain(`securityGroup ${name}`);
  });

  it("helm releases and their namespaces", () => {
    for (const name of all("helm_release", "name")) expect(planned).toContain(`helmRelease ${name}`);
    for (const namespace of all("helm_release", "namespace")) {
      if (namespace !== "kube-system") expect(planned).toContain(`kubernetesNamespace ${namespace}`);
    }
  });

  it("state: workspaces, S3 keys or local paths", () => {
    for (const stack of synth.stacks) {
      const terraform = synth.stack(stack).terraform as {
        cloud?: { workspaces: { name: string } };
        backend?: { s3?: { key: string } };
      };
      if (terraform.cloud) expect(planned).toContain(`hcpWorkspace ${terraform.cloud.workspaces.name}`);
      if (terraform.backend?.s3) expect(planned).toContain(`s3Key ${terraform.backend.s3.key}`);
    }
  });
});
