/**
 * What the environment checks report. Every problem names the field (as a path into the file), the
 * values involved and what to do, so a reader can fix the file without reading our code.
 */
export type FieldPath = ReadonlyArray<string | number>;

export interface Problem {
  severity: "error" | "warning";
  /** Where in the environment file, e.g. ["network", "zones", "us-east-1a", "pod"]. */
  path: FieldPath;
  /** What is wrong, with the values involved. */
  message: string;
  /** What to do about it. */
  fix: string;
  /**
   * A warning's stable name (kebab-case, e.g. "open-api-endpoint", listed in warnings.ts), by which an
   * environment file acknowledges it for strict mode. Every warning has one; errors have none.
   */
  id?: string;
  /** A line of the file, for problems found before there are fields (YAML syntax); else the locator finds it. */
  line?: number;
  /** Set on a warning the environment file acknowledges (acknowledgedWarnings): the reason it gives. */
  acknowledged?: string;
}

export const error = (path: FieldPath, message: string, fix: string): Problem => ({
  severity: "error",
  path,
  message,
  fix,
});
/** A warning; `id` is its stable name (see Problem.id and warnings.ts), required. */
export const warning = (path: FieldPath, message: string, fix: string, id: string): Problem => ({
  severity: "warning",
  path,
  message,
  fix,
  id,
});

/** `network.zones.us-east-1a.pod`, `nodeGroups[0].maxPods`. */
export function formatPath(path: FieldPath): string {
  return (
    path.reduce<string>(
      (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : part),
      "",
    ) || "(top level)"
  );
}

/** Resolves a field path to a line in the file; undefined when the field is absent. */
export type Locator = (path: FieldPath) => number | undefined;

export function formatProblem(file: string, problem: Problem, locate?: Locator): string {
  const line = problem.line ?? locate?.(problem.path);
  const where = line === undefined ? file : `${file}:${line}`;
  const tag =
    problem.id === undefined ? "" : ` [${problem.id}${problem.acknowledged === undefined ? "" : ", acknowledged"}]`;
  // A problem found by line (YAML syntax) has no field to name.
  const field = problem.path.length === 0 && problem.line !== undefined ? "" : `${formatPath(problem.path)}: `;
  const head = `${where}: ${problem.severity}: ${field}${problem.message}${tag}`;
  return problem.acknowledged === undefined
    ? `${head}\n  fix: ${problem.fix}`
    : `${head}\n  acknowledged: ${problem.acknowledged}`;
}

/** Warnings the environment file does not acknowledge: what strict mode fails on. */
export const unacknowledgedWarnings = (problems: readonly Problem[]): Problem[] =>
  problems.filter((p) => p.severity === "warning" && p.acknowledged === undefined);

/**
 * Thrown when an environment has errors, or, in strict mode, warnings it does not acknowledge;
 * carries all of them, already formatted.
 */
export class InvalidEnvironmentError extends Error {
  /** The problems that made it fail: its errors, and in strict mode its unacknowledged warnings. */
  readonly failures: number;
  /** "3 errors", "1 unacknowledged warning, in strict mode". */
  readonly summary: string;

  constructor(
    readonly file: string,
    readonly problems: Problem[],
    readonly report: string,
    readonly strict = false,
  ) {
    const errors = problems.filter((p) => p.severity === "error").length;
    const warnings = strict ? unacknowledgedWarnings(problems).length : 0;
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    const counts = [
      errors > 0 || warnings === 0 ? plural(errors, "error") : "",
      warnings > 0 ? plural(warnings, "unacknowledged warning") : "",
    ].filter(Boolean);
    const strictNote = warnings > 0 ? ", in strict mode" : "";
    super(`${file}: ${counts.join(" and ")} in the environment${strictNote}; nothing was synthesized.\n${report}`);
    const summary = `${counts.join(" and ")}${strictNote}`;
    this.name = "InvalidEnvironmentError";
    this.failures = errors + warnings;
    this.summary = summary;
  }
}
