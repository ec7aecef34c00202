import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { run } from "../scripts/max-pods";

const ROOT = join(__dirname, "..");

/** The command's entry point, in process: exit code and what it wrote to each stream. */
function maxPods(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (text: string) => sink.push(text) }) as unknown as NodeJS.WritableStream;
  const code = run(args, stream(out), stream(err));
  return { code, stdout: out.join(""), stderr: err.join("") };
}

// Figures from AWS's EKS docs and eni-max-pods.txt; m5.xlarge has 4 ENIs of 15 IPv4 addresses.
describe("npm run max-pods (as a process)", () => {
  const npm = (...args: string[]) =>
    spawnSync("npm", ["run", "--silent", "max-pods", "--", ...args], { cwd: ROOT, encoding: "utf8" });

  it("prints 110 for m5.xlarge with custom networking and prefix delegation, and nothing else", () => {
    const result = npm(
      "--instance-type",
      "m5.xlarge",
      "--cni-custom-networking-enabled",
      "--cni-prefix-delegation-enabled",
    );
    expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: "110\n",
      stderr: "",
    });
  });

  it("exits non-zero for an unknown instance type, naming close matches", () => {
    const result = npm("--instance-type", "m5.xlarg");
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("m5.xlarge");
  });
});

describe("scripts/max-pods.ts", () => {
  it("prints the recommended value for custom networking with prefix delegation", () => {
    expect(
      maxPods("--instance-type", "m5.xlarge", "--cni-custom-networking-enabled", "--cni-prefix-delegation-enabled"),
    ).toEqual({
      code: 0,
      stdout: "110\n",
      stderr: "",
    });
  });

  it("prints the default-mode value", () => {
    expect(maxPods("--instance-type", "m5.large")).toMatchObject({ code: 0, stdout: "29\n" });
  });

  it("--cni-pod-security-groups-enabled: the trunk ENI takes one pod ENI, so m5.large's uncapped 29 becomes 20", () => {
    const flags = ["--instance-type", "m5.large", "--show-max-allowed"];
    expect(maxPods(...flags)).toEqual({ code: 0, stdout: "29\n", stderr: "" });
    expect(maxPods(...flags, "--cni-pod-security-groups-enabled")).toEqual({ code: 0, stdout: "20\n", stderr: "" });
    // A type that takes no trunk keeps every ENI, and the note says why.
    expect(maxPods("--instance-type", "t3.large", "--cni-pod-security-groups-enabled")).toEqual({
      code: 0,
      stdout: "35\n",
      stderr: "max-pods: note: t3.large takes no trunk ENI: pods with security groups of their own cannot run on it\n",
    });
  });

  it("--show-max-allowed prints the uncapped value", () => {
    expect(maxPods("--instance-type", "m5.8xlarge", "--show-max-allowed")).toMatchObject({ code: 0, stdout: "234\n" });
    expect(
      maxPods(
        "--instance-type",
        "m5.xlarge",
        "--cni-custom-networking-enabled",
        "--cni-prefix-delegation-enabled",
        "--show-max-allowed",
      ),
    ).toMatchObject({ code: 0, stdout: `${3 * (14 * 16) + 2}\n` });
  });

  it("honours --cni-max-eni and --cni-version", () => {
    expect(maxPods("--instance-type", "m5.xlarge", "--cni-max-eni", "2")).toMatchObject({
      code: 0,
      stdout: `${2 * 14 + 2}\n`,
    });
    const old = maxPods("--instance-type", "m5.large", "--cni-prefix-delegation-enabled", "--cni-version", "1.8.0");
    expect(old).toMatchObject({ code: 0, stdout: "29\n" });
    expect(old.stderr).toMatch(/not applied/);
  });

  it("exits 1 for an unknown instance type, naming close matches on stderr", () => {
    const result = maxPods("--instance-type", "m5.xlarg");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("m5.xlarge");
  });

  it.each([
    ["a missing --instance-type", []],
    ["--instance-type without a value", ["--instance-type"]],
    ["an unknown flag", ["--instance-type", "m5.large", "--bogus"]],
    ["a positional argument", ["m5.large"]],
    ["a bad --cni-max-eni", ["--instance-type", "m5.large", "--cni-max-eni", "two"]],
    ["a zero --cni-max-eni", ["--instance-type", "m5.large", "--cni-max-eni", "0"]],
    ["a bad --cni-version", ["--instance-type", "m5.large", "--cni-version", "latest"]],
  ])("exits 2 with usage on stderr for %s", (_case, args) => {
    const result = maxPods(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/usage:.*--instance-type/s);
  });

  it("--help prints usage on stdout", () => {
    const result = maxPods("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/usage:/);
    for (const flag of [
      "--instance-type",
      "--cni-custom-networking-enabled",
      "--cni-prefix-delegation-enabled",
      "--cni-max-eni",
      "--cni-version",
      "--show-max-allowed",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});
