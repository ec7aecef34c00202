/**
 * The checks that keep a second deploy right: who may reach the cluster, and how Terraform
 * authenticates there. Rejections go through the synth path and leave nothing written (see `rejection`).
 */
import type { Problem } from "../modules/environment/problems";
import { edited, load, rejection, type Editable } from "./support/environments";

const demo = (edit: (d: Editable) => void) => edited("demo", edit);
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
