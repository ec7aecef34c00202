/**
 * Finds, reads and validates an environment file. Nothing downstream runs on an invalid plan: all
 * problems are collected and thrown together, before any cdktf object exists.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from "yaml";
import { checkEnvironment } from "../checks/index";
import { checkNetworkForm } from "../checks/network-form";
import {
  addressLockFile,
  formatAddressLock,
  parseAddressLock,
  updatedAddressLock,
  updatedMultusLock,
  type AddressLock,
} from "../environment/address-lock";
import {
  error,
  formatProblem,
  InvalidEnvironmentError,
  unacknowledgedWarnings,
  type FieldPath,
  type Locator,
  type Problem,
} from "../environment/problems";
import { EnvironmentSchema, type Environment } from "../environment/schema";
import { schemaProblems } from "../environment/schema-problems";
import { multusLockRecords } from "../plan/multus-public-ips";
import { publicAddresses } from "../plan/public-addresses";
import { resolveEnvironment } from "./network-owner";
import { closest } from "../spelling/edit-distance";

export const ENVIRONMENTS_DIR = resolve(__dirname, "../../environments");
export const DEFAULT_ENVIRONMENT = "demo";

/** EKS_ENV or EKS_ENV_FILE names no file. */
export class EnvironmentSelectionError extends Error {
  name = "EnvironmentSelectionError";
}

export interface LoadedEnvironment {
  /** The environment's name: its `name` field, else its file name without `.yaml`. */
  name: string;
  /** The file, relative to the working directory when inside it. */
  file: string;
  /** The file's absolute path. */
  path: string;
  env: Environment;
  /** Where the environment's address lock is (or will be written): beside the file. */
  addressLockPath: string;
  /** The address lock as it was read, when the file exists. */
  addressLock?: AddressLock;
  /** Its warnings, acknowledged ones included (marked so). */
  warnings: Problem[];
  /** The warnings, formatted like errors are. */
  report: string;
  /** The line of a field of the file (the cross-environment checks name both lines). */
  locate: Locator;
  /** With `network.from`: the environment whose network this one uses, loaded and checked. */
  networkOwner?: LoadedEnvironment;
}

export interface LoadOptions {
  /** Fail on any warning the file does not acknowledge. Default: EKS_STRICT (1 or true) in the variables. */
  strict?: boolean;
}

/** EKS_STRICT=1 (or true): strict mode, as --strict. */
export const strictFrom = (vars: NodeJS.ProcessEnv): boolean => /^(1|true|yes)$/i.test(vars.EKS_STRICT ?? "");

export function environmentNames(dir = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => extname(f) === ".yaml")
    .map((f) => basename(f, ".yaml"))
    .sort();
}

/**
 * `EKS_ENV_FILE` (a path) wins over `EKS_ENV` (a name in environments/), which defaults to demo. A
 * relative EKS_ENV_FILE is taken from the directory the command was started in: npm runs scripts in
 * the package root and says where it was started in INIT_CWD.
 */
export function environmentFile(vars: NodeJS.ProcessEnv = process.env): string {
  if (vars.EKS_ENV_FILE) {
    const from = vars.INIT_CWD || process.cwd();
    const file = resolve(from, vars.EKS_ENV_FILE);
    if (!existsSync(file)) {
      const relativeNote = isAbsolute(vars.EKS_ENV_FILE)
        ? ""
        : ` (a relative path is taken from ${from}, where the command was started)`;
      throw new EnvironmentSelectionError(`EKS_ENV_FILE=${vars.EKS_ENV_FILE}: there is no file ${file}${relativeNote}`);
    }
    return file;
  }
  const name = vars.EKS_ENV || DEFAULT_ENVIRONMENT;
  const file = join(ENVIRONMENTS_DIR, `${name}.yaml`);
  if (!existsSync(file)) {
    const names = environmentNames();
    const guess = closest(name, names) ?? names.find((n) => n.startsWith(name));
    throw new EnvironmentSelectionError(
      `EKS_ENV=${name}: there is no ${file}.${guess ? ` Did you mean EKS_ENV=${guess}?` : ""} Environments: ${names.join(", ")}. Or point EKS_ENV_FILE at a file.`,
    );
  }
  return file;
}

export function loadEnvironment(vars: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): LoadedEnvironment {
  const file = environmentFile(vars);
  return parseEnvironment(readFileSync(file, "utf8"), file, readAddressLock(file), {
    strict: options.strict ?? strictFrom(vars),
  });
}

/** The address lock beside an environment file, or undefined when there is none. */
export function readAddressLock(environmentFile: string): AddressLock | undefined {
  const path = addressLockFile(environmentFile);
  return existsSync(path) ? parseAddressLock(readFileSync(path, "utf8"), displayPath(path)) : undefined;
}

/**
 * Records the addresses a valid environment plans in its address lock (environment/address-lock.ts):
 * new names are added, released ones marked, nothing is removed; the public-IP pods' addresses and
 * those of pods on public Multus networks alike. Run by synth after validation, so an invalid
 * environment writes nothing. Returns whether the file changed.
 */
export function recordAddressLock(loaded: LoadedEnvironment): boolean {
  const planned = publicAddresses(loaded.env);
  const locked = loaded.addressLock?.addresses ?? new Map();
  const lockedMultus = loaded.addressLock?.multus ?? new Map();
  const multus = multusLockRecords(loaded.env, lockedMultus);
  if (planned.length === 0 && locked.size === 0 && multus.length === 0 && lockedMultus.size === 0) return false;
  const text = formatAddressLock(
    basename(loaded.file),
    updatedAddressLock(locked, planned),
    updatedMultusLock(lockedMultus, multus),
  );
  const path = loaded.addressLockPath;
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  writeFileSync(path, text);
  return true;
}

/**
 * Validates the text of an environment file; `file` names it in messages and gives its default name,
 * and `addressLock` is the lock file beside it (the checks refuse a plan that lost a locked name).
 */
export function parseEnvironment(
  text: string,
  file: string,
  addressLock?: AddressLock,
  options: LoadOptions = {},
): LoadedEnvironment {
  const shown = displayPath(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = yamlProblems(text, doc.errors, lineCounter);
    throw new InvalidEnvironmentError(shown, problems, problems.map((p) => formatProblem(shown, p)).join("\n"));
  }
  const locate = locator(doc, lineCounter);
  const input: unknown = doc.toJS() ?? {};
  const shape = EnvironmentSchema.safeParse(input);
  const name = (shape.success ? shape.data.name : undefined) ?? basename(file, extname(file));
  let env: Environment | undefined;
  let networkOwner: LoadedEnvironment | undefined;
  let problems: Problem[];
  if (!shape.success) problems = schemaProblems(EnvironmentSchema, shape.error.issues, input);
  else {
    // The network's form first: only a well-formed network can be resolved (and its owner loaded).
    problems = checkNetworkForm(shape.data.network);
    if (!problems.some((p) => p.severity === "error")) {
      const resolved = resolveEnvironment(shape.data, file, (ownerText, ownerFile) =>
        parseEnvironment(ownerText, ownerFile, readAddressLock(ownerFile)),
      );
      ({ env, owner: networkOwner } = resolved);
      problems = [...resolved.problems, ...(env ? checkEnvironment(env, { environmentName: name, addressLock }) : [])];
    }
  }
  // Errors first, then in file order, so the report reads top to bottom.
  const rank = (p: Problem) => (p.severity === "error" ? 0 : 1e9) + (locate(p.path) ?? 0);
  const ordered = [...problems].sort((a, b) => rank(a) - rank(b));
  const report = ordered.map((p) => formatProblem(shown, p, locate)).join("\n");
  if (!env || ordered.some((p) => p.severity === "error")) throw new InvalidEnvironmentError(shown, ordered, report);
  if (options.strict && unacknowledgedWarnings(ordered).length > 0) {
    const hint =
      "strict mode fails on every warning the file does not acknowledge: fix each, or acknowledge it by its id in acknowledgedWarnings (id: why)";
    throw new InvalidEnvironmentError(shown, ordered, `${report}\n${hint}`, true);
  }
  return {
    name,
    file: shown,
    path: resolve(file),
    env,
    addressLockPath: addressLockFile(resolve(file)),
    ...(addressLock ? { addressLock } : {}),
    warnings: ordered,
    report,
    locate,
    ...(networkOwner ? { networkOwner } : {}),
  };
}

/**
 * YAML syntax errors, each once. A tab in the indentation makes the parser report the same line
 * several times over (tab, compact mapping, implicit key...), and after the first syntax error the
 * rest of the document no longer parses as written: so each indenting tab is one error, else the first
 * syntax error is reported, with duplicate keys (which leave the document readable) besides.
 */
function yamlProblems(text: string, errors: readonly YAMLError[], lines: LineCounter): Problem[] {
  const tabLines = text.split("\n").flatMap((line, i) => (/^[ ]*\t/.test(line) && line.trim() !== "" ? [i + 1] : []));
  const syntax = (line: number, message: string, fix: string): Problem => ({ ...error([], message, fix), line });
  if (tabLines.length > 0)
    return tabLines.map((line) =>
      syntax(
        line,
        "YAML syntax: a tab in the indentation (YAML indents with spaces only)",
        "indent this line with spaces",
      ),
    );
  const lineOf = (e: YAMLError) => lines.linePos(e.pos[0]).line;
  const duplicates = errors.filter((e) => e.code === "DUPLICATE_KEY");
  const first = errors.find((e) => e.code !== "DUPLICATE_KEY");
  return [
    ...(first
      ? [
          syntax(
            lineOf(first),
            `YAML syntax: ${first.message.split("\n")[0]}`,
            "correct the YAML at this line (what follows it is checked once it parses)",
          ),
        ]
      : []),
    ...duplicates.map((e) =>
      syntax(lineOf(e), `YAML syntax: ${e.message.split("\n")[0]}`, "give each key once in its mapping"),
    ),
  ].sort((a, b) => a.line! - b.line!);
}

/** Line of the deepest node along the path that exists in the document (the key's parent if the key is missing). */
export function locator(doc: Document, lines: LineCounter): Locator {
  return (path: FieldPath) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      const pairKey = depth > 0 ? keyNode(doc, path.slice(0, depth)) : undefined;
      const offset = pairKey?.range?.[0] ?? node?.range?.[0];
      if (offset !== undefined) return lines.linePos(offset).line;
    }
    return undefined;
  };
}

function keyNode(doc: Document, path: FieldPath): { range?: [number, number, number] } | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
    return (pair?.key as { range?: [number, number, number] } | undefined) ?? undefined;
  }
  if (isSeq(parent) && typeof last === "number")
    return parent.items[last] as { range?: [number, number, number] } | undefined;
  return undefined;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}
