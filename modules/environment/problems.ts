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
   * A warning's stable name (kebab-case, e.g. "open-api-endpoint"), by which an environment file can
   * acknowledge it for strict mode. Every warning should have one.
   */
  id?: string;
}

export const error = (path: FieldPath, message: string, fix: string): Problem => ({
  severity: "error",
  path,
  message,
  fix,
});
/** A warning; `id` is its stable name (see Problem.id). */
export const warning = (path: FieldPath, message: string, fix: string, id?: string): Problem => ({
  severity: "warning",
  path,
  message,
  fix,
  ...(id === undefined ? {} : { id }),
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
  const line = locate?.(problem.path);
  const where = line === undefined ? file : `${file}:${line}`;
  return `${where}: ${problem.severity}: ${formatPath(problem.path)}: ${problem.message}\n  fix: ${problem.fix}`;
}

/** Thrown when an environment has errors; carries all of them, already formatted. */
export class InvalidEnvironmentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
    readonly report: string,
  ) {
    const errors = problems.filter((p) => p.severity === "error").length;
    super(`${file}: ${errors} error${errors === 1 ? "" : "s"} in the environment; nothing was synthesized.\n${report}`);
    this.name = "InvalidEnvironmentError";
  }
}
