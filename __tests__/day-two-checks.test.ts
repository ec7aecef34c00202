/**
 * The checks that keep a second deploy right: who may reach the cluster, how Terraform authenticates
 * there, which AMI each node group boots, the node group names Terraform generates, and the sample's
 * image. Rejections go through the synth path and leave nothing written (see `rejection`).
 */
import type { Problem } from "../modules/environment/problems";
import { edited, load, rejection, type Editable } from "./support/environments";

const demo = (edit: (d: Editable) => void) => edited("demo", edit);
/**
 * Room for the pods of another node group: demo's /24 pod subnets reserve 14 /28 blocks for prefixes,
 * and its own group takes 8 of them (7 for 110 pods and a warm one).
 */
const widerPodSubnets = (d: Editable) => {
  d.network.zones["us-east-1a"].pod = "172.16.12.0/22";
  d.network.zones["us-east-1b"].pod = "172.16.16.0/22";
};
const warningsOf = (text: string): Problem[] => load(text).warnings;
const withId = (problems: Problem[], id: string) => problems.filter((p) => p.id === id);

const ops = "arn:aws:iam::111122223333:role/ops";

describe("cluster admins", () => {
  it("refuses two entries naming one principal: EKS allows one access entry each", () => {
    const e = rejection(demo((d) => (d.cluster.adminPrincipals = [ops, "arn:aws:iam::111122223333:role/ci", ops])));
    const problem = e.problems.find((p) => p.path.join(".") === "cluster.adminPrincipals.2")!;
    expect(problem.severity).toBe("error");
    expect(problem.message).toContain(`${ops} is already cluster.adminPrincipals[0]`);
    expect(problem.message).toContain("ResourceInUseException");
    expect(problem.fix).toBe("list the role ops of account 111122223333 once");
    expect(e.report).toMatch(/test\.yaml:\d+: error: cluster\.adminPrincipals\[2\]:/);
  });

  it("refuses the same role written with a path or in other case: IAM names are unique per account", () => {
    const e = rejection(demo((d) => (d.cluster.adminPrincipals = [ops, "arn:aws:iam::111122223333:role/teams/OPS"])));
    const problem = e.problems.find((p) => p.path.join(".") === "cluster.adminPrincipals.1")!;
    expect(problem.message).toContain(`(${ops}: IAM names are unique per account whatever their path or case)`);
  });

  it("accepts one name as a role and as a user, or in two accounts: different principals", () => {
    const text = demo(
      (d) =>
        (d.cluster.adminPrincipals = [ops, "arn:aws:iam::111122223333:user/ops", "arn:aws:iam::444455556666:role/ops"]),
    );
    expect(() => load(text)).not.toThrow();
  });

  it("refuses an empty list when a stack talks to the Kubernetes API, naming the stacks and why", () => {
    const e = rejection(demo((d) => delete d.cluster.adminPrincipals));
    const [problem] = e.problems.filter((p) => p.path.join(".") === "cluster.adminPrincipals");
    expect(problem.severity).toBe("error");
    expect(problem.message).toContain("the workloads (workloads.bootcamp) stack talks to the Kubernetes API");
    expect(problem.fix).toContain("bootstrapCreatorAdmin: true");

    const telco = rejection(edited("telco", (d) => delete d.cluster.adminPrincipals));
    expect(telco.problems.find((p) => p.path.join(".") === "cluster.adminPrincipals")!.message).toContain(
      "the cni (Multus) and workloads (workloads.multusPods) stacks talk to the Kubernetes API",
    );
  });

  it("accepts no admins when no stack uses the Kubernetes API", () => {
    const text = edited("nitro-and-xen", (d) => expect(d.cluster.adminPrincipals).toBeUndefined());
    expect(load(text).env.workloads.bootcamp).toBeUndefined();
  });

  it("accepts bootstrapCreatorAdmin instead of admins, and warns that changing it later replaces the cluster", () => {
    const text = demo((d) => {
      delete d.cluster.adminPrincipals;
      d.cluster.bootstrapCreatorAdmin = true;
    });
    const [warning] = withId(warningsOf(text), "creator-admin-fixed-at-creation");
    expect(warning.path).toEqual(["cluster", "bootstrapCreatorAdmin"]);
    expect(warning.message).toContain("replaces the cluster");
    expect(warning.message).toContain("bootstrap_cluster_creator_admin_permissions forces a new resource");
  });

  it("refuses a formerDeployerEntry that is not one of the admins", () => {
    const e = rejection(demo((d) => (d.cluster.formerDeployerEntry = ops)));
    const problem = e.problems.find((p) => p.path.join(".") === "cluster.formerDeployerEntry")!;
    expect(problem.message).toBe(
      `${ops} is not in cluster.adminPrincipals (arn:aws:iam::111122223333:role/eks-admins): its access entry can only move to an admin's`,
    );
    expect(
      () =>
        load(
          demo((d) => {
            d.cluster.adminPrincipals.push(ops);
            d.cluster.formerDeployerEntry = ops;
          }),
        ).env,
    ).not.toThrow();
  });
});

describe("Kubernetes authentication with HCP Terraform", () => {
  const cloud = (executionMode: string | undefined, auth?: string) =>
    edited("production", (d) => {
      if (executionMode === undefined) delete d.backend.executionMode;
      else d.backend.executionMode = executionMode;
      if (auth) d.cluster.kubernetesAuth = auth;
    });

  it("warns when exec authentication would run on HCP Terraform's remote runners (the default mode)", () => {
    const [warning] = withId(warningsOf(cloud(undefined)), "exec-auth-on-remote-runs");
    expect(warning.severity).toBe("warning");
    expect(warning.path).toEqual(["backend", "executionMode"]);
    expect(warning.message).toContain(
      "runners without the AWS CLI: the workloads stack would fail to reach the cluster",
    );
    expect(warning.fix).toContain("execution mode to local");
    expect(withId(warningsOf(cloud("remote")), "exec-auth-on-remote-runs")).toHaveLength(1);
  });

  it("is quiet when the runs execute where the AWS CLI is, or when token is chosen", () => {
    for (const text of [cloud("local"), cloud("agent"), cloud("remote", "token")])
      expect(withId(warningsOf(text), "exec-auth-on-remote-runs")).toEqual([]);
  });

  it("refuses an execution mode HCP Terraform does not have", () => {
    const e = rejection(cloud("serverless"));
    expect(e.report).toContain("backend.executionMode");
  });
});

describe("AMIs of accelerated instance types", () => {
  const group = (instanceType: string, release?: string) =>
    demo((d) => {
      widerPodSubnets(d);
      d.nodeGroups.push({ name: "accel", instanceType, desiredSize: 1, minSize: 1, maxSize: 1 });
      if (release) d.cluster.nodeAmiRelease = release;
    });

  it("refuses a GPU type no AL2023 variant has drivers for, with the reason and the families that work", () => {
    const e = rejection(group("g4ad.xlarge"));
    const problem = e.problems.find((p) => p.path.join(".") === "nodeGroups.1.instanceType")!;
    expect(problem.severity).toBe("error");
    expect(problem.message).toContain("accel: g4ad.xlarge carries AMD Radeon Pro V520 GPUs");
    expect(problem.message).toContain("no AL2023 EKS AMI has drivers for them");
    expect(problem.message).toMatch(/the x86_64 nvidia variant supports [^;]*g6e?, [^;]*g5, g4dn/);
    expect(problem.message).toContain("the neuron variant supports inf1, inf2, trn1, trn1n, trn2");
    expect(problem.fix).toContain("pick an instance type");
  });

  it("accepts the NVIDIA and Neuron families of each architecture", () => {
    for (const type of ["p5.48xlarge", "g6.xlarge", "g5g.xlarge", "inf2.xlarge", "trn1.32xlarge", "g7e.2xlarge"])
      expect([type, load(group(type)).warnings.filter((w) => w.path[0] === "nodeGroups")]).toEqual([type, []]);
  });

  it("refuses a pinned release older than the one that drives the type's GPUs", () => {
    const e = rejection(group("g7e.2xlarge", "v20260714"));
    expect(e.problems.find((p) => p.path.join(".") === "nodeGroups.1.instanceType")!.message).toBe(
      "accel: g7e.2xlarge needs the AL2023 nvidia AMI of release v20260917 or later to drive its devices, but cluster.nodeAmiRelease pins v20260714",
    );
    expect(() => load(group("g7e.2xlarge", "v20260917"))).not.toThrow();
    expect(() => load(group("g5g.xlarge", "v20250403"))).not.toThrow();
    expect(rejection(group("g5g.xlarge", "v20250320")).report).toContain("v20250403 or later");
  });

  it("warns that other accelerators (FPGAs, Gaudi, ...) stay unusable on the standard AMI", () => {
    const [warning] = withId(warningsOf(group("f2.6xlarge")), "accelerator-without-drivers");
    expect(warning.path).toEqual(["nodeGroups", 1, "instanceType"]);
    expect(warning.message).toContain("f2.6xlarge boots the standard AL2023 AMI, which has no drivers for its FPGAs");
  });

  it("takes a pinned release only in the form AWS names them", () => {
    for (const bad of ["20260714", "v2026071", "v20261314", "1.35.6-20260714", "newest"])
      expect(rejection(demo((d) => (d.cluster.nodeAmiRelease = bad))).report).toContain(
        `cluster.nodeAmiRelease: string "${bad}" must be "latest" or an AL2023 EKS AMI release such as v20260714`,
      );
  });
});

describe("node group names Terraform generates", () => {
  it("refuses a managed node group name that leaves no room for Terraform's 26-character suffix", () => {
    const name = "n".repeat(37);
    const e = rejection(demo((d) => (d.nodeGroups[0].name = name)));
    const problem = e.problems.find((p) => p.message.includes("EKS (node group names"))!;
    expect(problem.path).toEqual(["nodeGroups", 0, "name"]);
    expect(problem.message).toContain(`"${name}-", 64 characters with what is appended, over the 63`);
    expect(() => load(demo((d) => (d.nodeGroups[0].name = "n".repeat(36))))).not.toThrow();
  });
});

describe("the sample workload's image", () => {
  it("warns about the article's image on Kubernetes 1.34+ (containerd 2) and on arm64 node groups", () => {
    const text = demo((d) => {
      d.workloads.bootcamp.image = "gcr.io/google-samples/kubernetes-bootcamp:v1";
      widerPodSubnets(d);
      d.nodeGroups.push({ name: "graviton", instanceType: "m7g.xlarge", desiredSize: 1, minSize: 1, maxSize: 1 });
    });
    const [warning] = withId(warningsOf(text), "article-sample-image");
    expect(warning.path).toEqual(["workloads", "bootcamp", "image"]);
    expect(warning.message).toContain("containerd 2 (on the AL2023 nodes of Kubernetes 1.35) refuses to pull");
    expect(warning.message).toContain("built for amd64 only, and node group graviton runs arm64");
    expect(warning.fix).toContain("registry.k8s.io/e2e-test-images/agnhost:2.53");
  });

  it("accepts the article's image quietly where it runs: amd64 nodes with containerd 1.7 (Kubernetes 1.33)", () => {
    const text = demo((d) => {
      d.workloads.bootcamp.image = "gcr.io/google-samples/kubernetes-bootcamp:v1";
      d.cluster.version = "1.33";
    });
    expect(withId(warningsOf(text), "article-sample-image")).toEqual([]);
  });
});

describe("warnings added for day two", () => {
  it("each carries a stable id", () => {
    const texts = [
      demo((d) => (d.cluster.bootstrapCreatorAdmin = true)),
      edited("production", (d) => delete d.backend.executionMode),
      demo((d) => {
        widerPodSubnets(d);
        d.nodeGroups.push({ name: "fpga", instanceType: "f2.6xlarge", desiredSize: 1, minSize: 1, maxSize: 1 });
      }),
      demo((d) => (d.workloads.bootcamp.image = "gcr.io/google-samples/kubernetes-bootcamp:v1")),
    ];
    const ids = texts.flatMap((t) => warningsOf(t).map((w) => w.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        "creator-admin-fixed-at-creation",
        "exec-auth-on-remote-runs",
        "accelerator-without-drivers",
        "article-sample-image",
      ]),
    );
  });
});
