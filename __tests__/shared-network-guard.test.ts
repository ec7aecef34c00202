/**
 * Destroying a VPC other environments still run in is refused: the guard of an own VPC's network
 * stack is destroyed first (it depends on every resource of the stack) and its destroy-time script
 * fails while another cluster's tag is on the VPC's subnets. The script runs here under /bin/sh with a
 * fake `aws` that answers as EC2 would and records how it was called.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DESTROY_OVERRIDE_VARIABLE, GUARD_SCRIPT } from "../modules/constructs/network/shared-network-guard";
import { resources, synthNamed, type Synthesized, type TfJson } from "./support/synth";

type Guard = {
  input: { vpc_id: string };
  triggers_replace: { vpc_id: string };
  depends_on: string[];
  provisioner: Array<{
    "local-exec": {
      command: string;
      when: string;
      interpreter: string[];
      environment: Record<string, string>;
    };
  }>;
};

const guardsOf = (net: TfJson) => Object.values(resources<Guard>(net, "terraform_data"));

describe("the network stack of an environment that creates its VPC", () => {
  let demo: Synthesized;
  let net: TfJson;
  beforeAll(() => {
    demo = synthNamed("demo");
    net = demo.stack("network");
  });

  it("has one guard, destroyed before any resource of the network: it depends on all of them", () => {
    const [guard, ...more] = guardsOf(net);
    expect(more).toEqual([]);
    const everyResource = Object.entries(net.resource ?? {})
      .filter(([type]) => type !== "terraform_data")
      .flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`));
    expect(everyResource.length).toBeGreaterThan(20);
    expect([...guard.depends_on].sort()).toEqual([...everyResource].sort());
    expect(guard.input.vpc_id).toMatch(/^\$\{aws_vpc\.vpc_[0-9A-F]+\.id\}$/);
  });

  it("is replaced with its VPC, so replacing the VPC runs the destroy-time check as destroying it does", () => {
    const [guard] = guardsOf(net);
    expect(guard.triggers_replace).toEqual({ vpc_id: guard.input.vpc_id });
  });

  it("runs its script at destroy only, with the VPC from its own state and demo's cluster tag as its own", () => {
    const [exec] = guardsOf(net)[0].provisioner.map((p) => p["local-exec"]);
    expect(exec).toMatchObject({
      when: "destroy",
      interpreter: ["/bin/sh", "-c"],
      command: GUARD_SCRIPT,
      environment: {
        VPC_ID: "${self.input.vpc_id}",
        REGION: "us-east-1",
        OWN_TAG: "kubernetes.io/cluster/cluster-demo",
      },
    });
    // Terraform would interpolate these in the command.
    expect(exec.command).not.toMatch(/\$\{|%\{/);
    // One line: cdktf's HCL rendering cannot write a quoted string over several (npm run synth:hcl).
    expect(exec.command).not.toContain("\n");
    expect(exec.command).not.toContain("\\");
  });

  it("public-pods, in demo's network, has no guard: it destroys nothing of the network", () => {
    expect(guardsOf(synthNamed("public-pods").stack("network"))).toEqual([]);
  });
});

describe("the guard's destroy-time script", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "eks-guard-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake aws CLI printing `answer` (exit `code`) and recording its arguments, one a line. */
  const fakeAws = (answer: string, code = 0) => {
    writeFileSync(
      join(dir, "aws"),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args"\nprintf '%s' '${answer}'\nexit ${code}\n`,
    );
    chmodSync(join(dir, "aws"), 0o755);
  };
  const run = (extra: Record<string, string> = {}) => {
    const r = spawnSync("/bin/sh", ["-c", GUARD_SCRIPT], {
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        VPC_ID: "vpc-0123",
        REGION: "us-east-1",
        OWN_TAG: "kubernetes.io/cluster/cluster-demo",
        ...extra,
      },
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const args = () => readFileSync(join(dir, "args"), "utf8").trim().split("\n");

  it("refuses while another cluster tags the VPC's subnets, naming each cluster once", () => {
    // --output text: tab-separated, a line per list where the CLI makes several.
    fakeAws(
      "kubernetes.io/cluster/cluster-demo-2\tkubernetes.io/cluster/cluster-demo-2\nkubernetes.io/cluster/team-b\n",
    );
    const r = run();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "Refusing to destroy vpc-0123: other clusters still run in it (their kubernetes.io/cluster/ tags are on its subnets): cluster-demo-2 team-b.",
    );
    expect(r.stderr).toContain("Destroy their environments first");
    expect(r.stderr).toContain("Nothing of the network has been destroyed.");
  });

  it("asks EC2 for the VPC's subnets in its region, leaving out the owner's own cluster tag", () => {
    fakeAws("");
    run();
    expect(args()).toEqual([
      "ec2",
      "describe-subnets",
      "--region",
      "us-east-1",
      "--filters",
      "Name=vpc-id,Values=vpc-0123",
      "--query",
      "Subnets[].Tags[?starts_with(Key, 'kubernetes.io/cluster/') && Key != 'kubernetes.io/cluster/cluster-demo'].Key[]",
      "--output",
      "text",
    ]);
  });

  it("lets the destroy go on when no other cluster is left (an empty list, or None)", () => {
    for (const answer of ["", "\n", "None\n"]) {
      fakeAws(answer);
      expect([answer, run().code]).toEqual([answer, 0]);
    }
    expect(run().stdout).toContain("No other cluster tags the subnets of vpc-0123: destroying it");
  });

  it("refuses when the subnets cannot be read, or the AWS CLI is missing", () => {
    fakeAws("", 255);
    const unread = run();
    expect(unread.code).toBe(1);
    expect(unread.stderr).toContain("its subnets could not be read");
    expect(unread.stderr).toContain(`${DESTROY_OVERRIDE_VARIABLE}=vpc-0123`);

    // Only the fake's folder on the PATH, without the fake: the script stops before any other tool.
    rmSync(join(dir, "aws"));
    const missing = run({ PATH: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("the AWS CLI, which looks for other clusters in its subnets, is not on the PATH");
  });

  it("goes on without asking when the override names this VPC, and only this one", () => {
    fakeAws("kubernetes.io/cluster/cluster-demo-2\n");
    expect(run({ [DESTROY_OVERRIDE_VARIABLE]: "vpc-0123" }).code).toBe(0);
    expect(run({ [DESTROY_OVERRIDE_VARIABLE]: "vpc-other" }).code).toBe(1);
  });
});
