/**
 * Stacks an environment no longer plans whose state still holds resources. Only the `karpenter`
 * stack is optional (it exists with a `karpenter` section): removing the section removes the stack
 * from the app, and cdktf then has no stack to destroy its resources from. The controller, its
 * nodes, its queue and roles would keep running, and a destroy of the stacks below it would pull the
 * cluster, node group and subnets from under them. Readable here for local state only; with S3 or
 * HCP Terraform the README's "Removing Karpenter" says what to do.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { localStatePath, STACKS, stacksOf, type StackName } from "../plan/names";
import { PROJECT_ROOT } from "./identity";
import type { LoadedEnvironment } from "./load";

export interface OrphanedStack {
  readonly stack: StackName;
  /** Its state file. */
  readonly file: string;
  /** The managed resources the state still records. */
  readonly resources: number;
  /** The stacks it was deployed on (those before it in the deploy order). */
  readonly dependsOn: readonly StackName[];
}

/** How many managed resources a Terraform state file records (0 for a missing or unreadable one). */
function managedResources(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as { resources?: Array<{ mode?: string }> };
    return (state.resources ?? []).filter((r) => r.mode === "managed").length;
  } catch {
    return 0;
  }
}

export function orphanedStacks(environment: LoadedEnvironment): OrphanedStack[] {
  const { backend } = environment.env;
  if (backend.type !== "local") return [];
  const planned = stacksOf(environment.env);
  return STACKS.filter((stack) => !planned.includes(stack)).flatMap((stack): OrphanedStack[] => {
    const file = resolve(PROJECT_ROOT, localStatePath(backend.directory, environment.name, stack));
    const resources = managedResources(file);
    return resources === 0 ? [] : [{ stack, file, resources, dependsOn: STACKS.slice(0, STACKS.indexOf(stack)) }];
  });
}
