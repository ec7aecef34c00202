/**
 * Where the team's shared reference data (AWS-published tables and schemas) is: `../shared/reference`
 * beside the repository. A clean clone elsewhere (CI clones into a temporary directory) finds it
 * beside the repository it was cloned from; EKS_REFERENCE_DIR overrides both. Tests only: the product
 * ships its own copies of what it needs.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

const REPO = resolve(__dirname, "../..");

function originRepository(): string | undefined {
  try {
    const url = execFileSync("git", ["config", "--get", "remote.origin.url"], { cwd: REPO, encoding: "utf8" }).trim();
    const path = url.startsWith("file://") ? url.slice("file://".length) : url;
    return isAbsolute(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function findReferenceDir(): string {
  const candidates = [
    process.env.EKS_REFERENCE_DIR,
    join(REPO, "../shared/reference"),
    originRepository() && join(originRepository()!, "../shared/reference"),
  ];
  const found = candidates.find((dir): dir is string => !!dir && existsSync(join(dir, "README.md")));
  if (!found) {
    throw new Error(
      `shared reference data not found (tried ${candidates.filter(Boolean).join(", ")}); set EKS_REFERENCE_DIR to the shared/reference directory`,
    );
  }
  return found;
}

export const REFERENCE_DIR = findReferenceDir();

export const referenceFile = (name: string): string => join(REFERENCE_DIR, name);
