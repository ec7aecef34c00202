/**
 * Where the team's shared reference data (AWS-published tables and schemas) is: `../shared/reference`
 * beside the repository. A clean clone elsewhere (CI clones into a temporary directory) finds it
 * beside the repository it was cloned from; EKS_REFERENCE_DIR overrides both. Tests only: the product
 * ships its own copies of what it needs.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

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

/** The main checkout a repository (or a git worktree of it) belongs to. */
function mainCheckout(repository: string): string | undefined {
  try {
    const args = ["rev-parse", "--path-format=absolute", "--git-common-dir"];
    return dirname(execFileSync("git", args, { cwd: repository, encoding: "utf8" }).trim());
  } catch {
    return undefined;
  }
}

function findReferenceDir(): string {
  const origin = originRepository();
  const beside = (dir: string | undefined) => dir && join(dir, "../shared/reference");
  // Beside this checkout; beside the one a clean clone came from; beside the main checkout of a git
  // worktree (of either).
  const candidates = [
    process.env.EKS_REFERENCE_DIR,
    beside(REPO),
    beside(origin),
    beside(mainCheckout(REPO)),
    beside(origin && mainCheckout(origin)),
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
