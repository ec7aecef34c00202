/**
 * An environment's identity: `name` (default: the file's base name) picks its state, its HCP
 * Terraform workspaces, its S3 keys and its output folder. Two files that share a base name in
 * different folders never share any of them: they are refused (output folder, local state) until one
 * takes a name of its own, and then nothing of theirs overlaps.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAIM_FILE } from "../modules/load/identity";
import { run as synthCommand } from "../scripts/synth";
import { edited, environmentText, load } from "./support/environments";
import { synthEnvironment } from "./support/synth";

function synth(argv: string[], vars: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
  const code = synthCommand(argv, stream(out), stream(err), vars);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("environment identity", () => {
  let dir: string;
  let state: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "eks-identity-"));
    state = join(dir, "state");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** eu/prod.yaml and us/prod.yaml: one base name, two folders, local state under `state`. */
  function twins(edit: (doc: Record<string, unknown>, region: "eu" | "us") => void = () => undefined) {
    return (["eu", "us"] as const).map((region) => {
      mkdirSync(join(dir, region), { recursive: true });
      const file = join(dir, region, "prod.yaml");
      writeFileSync(
        file,
        edited("demo", (d) => {
          d.backend = { type: "local", directory: state };
          edit(d, region);
        }),
      );
      return file;
    });
  }

  it("is the file's base name, or the name field", () => {
    expect(load(environmentText("demo"), "x/staging.yaml").name).toBe("staging");
    expect(
      load(
        edited("demo", (d) => (d.name = "staging-eu")),
        "x/staging.yaml",
      ).name,
    ).toBe("staging-eu");
  });

  it("names the state, workspaces and keys: with name set, every stack's workspace carries it", () => {
    const file = join(dir, "prod.yaml");
    writeFileSync(
      file,
      edited("production", (d) => (d.name = "prod-eu")),
    );
    const synthesized = synthEnvironment({ EKS_ENV_FILE: file });
    try {
      for (const stack of synthesized.stacks) {
        const cloud = (synthesized.stack(stack).terraform as { cloud: { workspaces: { name: string } } }).cloud;
        expect(cloud.workspaces.name).toBe(`eksnet-prod-eu-${stack}`);
      }
    } finally {
      synthesized.cleanup();
    }
  });

  it("two files with one base name may not share an output folder: the second is refused, naming both", () => {
    const [eu, us] = twins();
    const outdir = join(dir, "out");
    expect(synth(["--output", outdir], { EKS_ENV_FILE: eu }).code).toBe(0);
    const manifest = readFileSync(join(outdir, "manifest.json"), "utf8");
    const refused = synth(["--output", outdir], { EKS_ENV_FILE: us });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`holds the Terraform of another file named prod (${eu}), not of prod (${us})`);
    expect(readFileSync(join(outdir, "manifest.json"), "utf8")).toBe(manifest);
  });

  it("two environments may not share an output folder either (cdktf.out for all, as plain cdktf does)", () => {
    const outdir = join(dir, "cdktf.out");
    expect(synth([], { EKS_ENV: "demo", CDKTF_OUTDIR: outdir }).code).toBe(0);
    const refused = synth([], { EKS_ENV: "telco", CDKTF_OUTDIR: outdir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /holds the Terraform of environment demo \(environments\/demo\.yaml\), not of telco/,
    );
  });

  it("a local state folder remembers the file that deployed it; another file with the same name is refused, with both paths", () => {
    const [eu, us] = twins();
    // A deploy (npm run deploy, or the app under the cdktf CLI) claims the state folder first.
    expect(
      synth([], {
        EKS_ENV_FILE: eu,
        CDKTF_OUTDIR: join(dir, "eu-out"),
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      }).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(state, "prod", CLAIM_FILE), "utf8"))).toEqual({ name: "prod", file: eu });
    const refused = synth(["--output", join(dir, "us-out")], { EKS_ENV_FILE: us });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${join(state, "prod")} holds the Terraform state of ${eu}, and ${us} claims it too`,
    );
    expect(existsSync(join(dir, "us-out"))).toBe(false);
  });

  it("an unclaimed state folder that already holds state is adopted by the first file that synthesizes it", () => {
    const [eu, us] = twins();
    mkdirSync(join(state, "prod"), { recursive: true });
    writeFileSync(join(state, "prod", "network.tfstate"), "{}");
    expect(synth(["--output", join(dir, "a")], { EKS_ENV_FILE: eu }).code).toBe(0);
    expect(synth(["--output", join(dir, "b")], { EKS_ENV_FILE: us }).code).toBe(1);
  });

  it("with a name each, they share nothing: output folders, state folders, state files", () => {
    const [eu, us] = twins((d, region) => (d.name = `prod-${region}`));
    const runs = [eu, us].map((file) =>
      synth([], {
        EKS_ENV_FILE: file,
        CDKTF_OUTDIR: join(dir, `out-${file.includes("/eu/") ? "eu" : "us"}`),
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      }),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const backendPath = (region: string) =>
      (
        JSON.parse(readFileSync(join(dir, `out-${region}`, "stacks", "network", "cdk.tf.json"), "utf8")).terraform
          .backend as { local: { path: string } }
      ).local.path;
    expect(backendPath("eu")).toBe(join(state, "prod-eu", "network.tfstate"));
    expect(backendPath("us")).toBe(join(state, "prod-us", "network.tfstate"));
    expect(JSON.parse(readFileSync(join(state, "prod-us", CLAIM_FILE), "utf8")).file).toBe(us);
  });

  it("remembers a file inside the project by its path in the project, so moving the checkout changes nothing", () => {
    const outdir = join(dir, "out");
    expect(synth(["--output", outdir], { EKS_ENV: "public-pods" }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(outdir, CLAIM_FILE), "utf8"))).toEqual({
      name: "public-pods",
      file: "environments/public-pods.yaml",
    });
  });
});
