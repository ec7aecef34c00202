import Ajv from "ajv";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { parse } from "yaml";
import { environmentJsonSchema } from "../modules/environment/json-schema";
import { ENVIRONMENTS_DIR, environmentFile, environmentNames, loadEnvironment } from "../modules/load/load";
import { PROJECT_ROOT } from "../modules/constructs/backend/state-backend";
import { edited, environmentText, writeEnvironmentFile } from "./support/environments";

describe("the shipped environments", () => {
  it("are demo, public-pods and production at least", () => {
    expect(environmentNames()).toEqual(expect.arrayContaining(["demo", "public-pods", "production"]));
  });

  it.each(environmentNames())("%s passes every check", (name) => {
    const loaded = loadEnvironment({ EKS_ENV: name });
    expect(loaded.name).toBe(name);
    expect(loaded.warnings.filter((w) => w.severity === "error")).toEqual([]);
  });

  it("demo is exactly the article's plan", () => {
    const { env } = loadEnvironment({ EKS_ENV: "demo" });
    expect(env.region).toBe("us-east-1");
    expect(env.network.vpcCidr).toBe("172.16.0.0/16");
    expect(env.network.zones).toEqual({
      "us-east-1a": { node: "172.16.1.0/24", pod: "172.16.10.0/24", public: "172.16.100.0/24" },
      "us-east-1b": { node: "172.16.2.0/24", pod: "172.16.11.0/24", public: "172.16.101.0/24" },
    });
    expect(env.cluster).toMatchObject({ name: "cluster-demo", serviceCidr: "172.17.0.0/24" });
    expect(env.cni).toMatchObject({ customNetworking: true, prefixDelegation: true, warmPrefixTarget: 1 });
    expect(env.nodeGroups).toEqual([
      expect.objectContaining({
        name: "ng-2-workers",
        instanceType: "m5.xlarge",
        desiredSize: 2,
        diskSizeGiB: 80,
        subnet: "node",
        maxPods: 110,
        labels: { role: "workers" },
      }),
    ]);
    expect(env.backend.type).toBe("local");
  });

  it("public-pods is the article's second cluster: public nodes, external SNAT, no custom networking", () => {
    const { env } = loadEnvironment({ EKS_ENV: "public-pods" });
    expect(env.cluster.name).toBe("cluster-demo-2");
    expect(env.network.vpcCidr).toBe("172.16.0.0/16");
    expect(env.cni).toMatchObject({ customNetworking: false, externalSnat: true });
    expect(env.nodeGroups.every((g) => g.subnet === "public")).toBe(true);
    expect(env.workloads.publicIpPods.length).toBeGreaterThan(0);
  });

  it("production spans three AZs with a secondary pod range, NAT per AZ and HCP Terraform state", () => {
    const { env } = loadEnvironment({ EKS_ENV: "production" });
    expect(Object.keys(env.network.zones)).toHaveLength(3);
    expect(env.network.secondaryCidrs).toEqual(["100.64.0.0/16"]);
    expect(env.network.natGateways).toBe("perAz");
    expect(Object.values(env.network.zones).every((z) => z.pod?.startsWith("100.64."))).toBe(true);
    expect(env.backend.type).toBe("cloud");
  });
});

describe("choosing the environment", () => {
  it("defaults to demo", () => {
    expect(environmentFile({})).toBe(join(ENVIRONMENTS_DIR, "demo.yaml"));
  });

  it("takes EKS_ENV as a name in environments/", () => {
    expect(environmentFile({ EKS_ENV: "production" })).toBe(join(ENVIRONMENTS_DIR, "production.yaml"));
  });

  it("takes EKS_ENV_FILE as a path anywhere, named after the file", () => {
    const file = writeEnvironmentFile(
      "staging",
      edited("demo", (d) => (d.cluster.name = "staging")),
    );
    const loaded = loadEnvironment({ EKS_ENV_FILE: file, EKS_ENV: "production" });
    expect(loaded.name).toBe("staging");
    expect(loaded.env.cluster.name).toBe("staging");
  });

  it("lists the environments when EKS_ENV names none, with the one it probably meant", () => {
    expect(() => environmentFile({ EKS_ENV: "prod" })).toThrow(
      /EKS_ENV=prod: there is no .*prod\.yaml\. Did you mean EKS_ENV=production\? Environments: demo, .*production/,
    );
    expect(() => environmentFile({ EKS_ENV: "telko" })).toThrow(/Did you mean EKS_ENV=telco\?/);
    expect(() => environmentFile({ EKS_ENV: "zzzzzz" })).toThrow(/there is no .*zzzzzz\.yaml\. Environments:/);
  });

  it("takes a relative EKS_ENV_FILE from where the command was started (npm's INIT_CWD), not the package root", () => {
    const file = writeEnvironmentFile("staging", environmentText("demo"));
    const [dir, name] = [dirname(file), basename(file)];
    expect(environmentFile({ EKS_ENV_FILE: name, INIT_CWD: dir })).toBe(file);
    expect(environmentFile({ EKS_ENV_FILE: `../${basename(dir)}/${name}`, INIT_CWD: dir })).toBe(file);
  });

  it("names the full path it tried when EKS_ENV_FILE names no file", () => {
    expect(() => environmentFile({ EKS_ENV_FILE: "plans/staging.yaml", INIT_CWD: "/srv/work" })).toThrow(
      "EKS_ENV_FILE=plans/staging.yaml: there is no file /srv/work/plans/staging.yaml (a relative path is taken from /srv/work, where the command was started)",
    );
  });
});

describe("the JSON Schema for editors", () => {
  const file = join(ENVIRONMENTS_DIR, "environment.schema.json");

  it("is current with the zod schema (npm run schema regenerates it)", () => {
    expect(readFileSync(file, "utf8")).toBe(environmentJsonSchema());
  });

  it.each(environmentNames())("accepts %s.yaml", (name) => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(file, "utf8")));
    const ok = validate(parse(readFileSync(join(ENVIRONMENTS_DIR, `${name}.yaml`), "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("rejects an unknown key, as the loader does", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(file, "utf8")));
    expect(validate(parse(edited("demo", (d) => (d.network.natGateway = "single"))))).toBe(false);
  });
});

describe("the app process", () => {
  it("synthesizes with nothing but Node: no terraform on the PATH", () => {
    const outdir = mkdtempSync(join(tmpdir(), "eks-node-only-"));
    const run = spawnSync(process.execPath, ["-r", "./scripts/typescript-loader.js", "main.ts"], {
      cwd: PROJECT_ROOT,
      env: { PATH: "", EKS_ENV: "production", CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    for (const stack of ["network", "cluster", "cni", "nodes", "workloads"])
      expect(existsSync(join(outdir, "stacks", stack, "cdk.tf.json"))).toBe(true);
    rmSync(outdir, { recursive: true, force: true });
  });

  it("exits 1 on an invalid environment, prints the field, and writes no cdktf.out", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-main-"));
    const file = writeEnvironmentFile(
      "bad",
      edited("demo", (d) => (d.cluster.serviceCidr = "172.16.0.0/24")),
    );
    const outdir = join(dir, "cdktf.out");
    const run = spawnSync(process.execPath, ["-r", "./scripts/typescript-loader.js", "main.ts"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, EKS_ENV_FILE: file, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cluster.serviceCidr: 172.16.0.0/24 overlaps the VPC CIDR network.vpcCidr");
    expect(run.stdout).toBe("");
    expect(existsSync(outdir)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
