/**
 * Full app synths for tests: the same `synthesize` main.ts runs, into a temporary directory, so the
 * JSON read here is what `cdktf.out/stacks/<stack>/cdk.tf.json` holds, cross-stack rewriting included.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../modules/constructs/backend/state-backend";
import { synthesize } from "../../stacks/app";

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
  locals?: Record<string, unknown>;
};

export interface Synthesized {
  outdir: string;
  stacks: string[];
  /** The stack's cdk.tf.json, with machine-specific paths replaced by <project> and <outdir>. */
  stack(name: string): TfJson;
  manifest: {
    stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string; workingDirectory: string }>;
  };
  cleanup(): void;
}

export function normalise(text: string, outdir: string): string {
  return text.split(outdir).join("<outdir>").split(PROJECT_ROOT).join("<project>");
}

export function synthEnvironment(vars: Record<string, string>): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "eks-synth-"));
  synthesize(vars, outdir);
  return readSynthesized(outdir, () => rmSync(outdir, { recursive: true, force: true }));
}

function readSynthesized(outdir: string, cleanup: () => void): Synthesized {
  const read = (file: string) => JSON.parse(normalise(readFileSync(join(outdir, file), "utf8"), outdir));
  const manifest = read("manifest.json");
  const cache = new Map<string, TfJson>();
  return {
    outdir,
    stacks: Object.keys(manifest.stacks),
    manifest,
    stack(name) {
      if (!cache.has(name)) cache.set(name, read(`stacks/${name}/cdk.tf.json`));
      return cache.get(name)!;
    },
    cleanup,
  };
}

/**
 * A shipped environment, fully synthesized: read from the run's shared synth (global-setup.ts) when
 * there is one, else synthesized here.
 */
export function synthNamed(name: string): Synthesized {
  const shared = process.env.EKS_TEST_SYNTH_DIR && join(process.env.EKS_TEST_SYNTH_DIR, name);
  if (shared && existsSync(join(shared, "manifest.json"))) return readSynthesized(shared, () => undefined);
  return synthEnvironment({ EKS_ENV: name });
}

/** The resources of one type in a stack, by logical id. */
export function resources<T = Record<string, unknown>>(json: TfJson, type: string): Record<string, T> {
  return (json.resource?.[type] ?? {}) as Record<string, T>;
}

export function dataSources<T = Record<string, unknown>>(json: TfJson, type: string): Record<string, T> {
  return (json.data?.[type] ?? {}) as Record<string, T>;
}

/** The single resource of a type whose attributes satisfy the predicate; fails loudly otherwise. */
export function only<T = Record<string, unknown>>(
  json: TfJson,
  type: string,
  where: (r: T) => boolean = () => true,
): [string, T] {
  const matches = Object.entries(resources<T>(json, type)).filter(([, r]) => where(r));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching, found ${matches.length}`);
  return matches[0];
}

/** `${aws_subnet.x.id}` for a resource's logical id. */
export const ref = (type: string, id: string, attribute = "id") => `\${${type}.${id}.${attribute}}`;

export interface ResolvedReference {
  stack: string;
  type: string;
  id: string;
  attribute: string;
  resource: Record<string, unknown>;
}

/**
 * Follows a cross-stack reference (`${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<name>}`)
 * to the output of the origin stack and the resource that output reads, proving where a value comes from.
 */
export function resolveCrossStack(synth: Synthesized, expression: string): ResolvedReference {
  const input = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)\}$/.exec(
    expression,
  );
  if (!input) throw new Error(`not a cross-stack reference: ${expression}`);
  const [, stack, output] = input;
  const value = synth.stack(stack).output?.[output]?.value;
  const origin = typeof value === "string" ? /^\$\{(?:(data)\.)?([\w]+)\.([\w-]+)\.([\w.[\]]+)\}$/.exec(value) : null;
  if (!origin) throw new Error(`output ${output} of ${stack} is ${JSON.stringify(value)}, not a resource attribute`);
  const [, data, type, id, attribute] = origin;
  const resource = (data ? synth.stack(stack).data : synth.stack(stack).resource)?.[type]?.[id];
  if (!resource) throw new Error(`${stack} has no ${type}.${id}`);
  return { stack, type, id, attribute, resource };
}

/** Every IAM policy statement a stack declares through aws_iam_policy_document data sources. */
export function policyStatements(
  json: TfJson,
): Array<{ source: string; effect?: string; actions?: string[]; resources?: string[]; principals?: unknown }> {
  return Object.entries(
    dataSources<{ statement?: Array<Record<string, unknown>> }>(json, "aws_iam_policy_document"),
  ).flatMap(([source, doc]) => (doc.statement ?? []).map((s) => ({ source, ...(s as object) })));
}

/**
 * Reads back the value of a `${jsonencode({...})}` attribute as cdktf renders it (an HCL object
 * literal), with each Terraform reference kept as a `${...}` string, so tests can check the JSON the
 * resource will get and follow its references.
 */
export function decodeJsonencode(expression: string): unknown {
  const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression)?.[1];
  if (inner === undefined) throw new Error(`not a jsonencode expression: ${expression.slice(0, 80)}`);
  let json = "";
  // Walk the literal: strings are copied, `=` between a key and its value becomes `:`, and bare
  // references (data.x.y.z, aws_x.y.z) become strings.
  for (let i = 0; i < inner.length;) {
    const c = inner[i];
    if (c === '"') {
      const end = stringEnd(inner, i);
      json += inner.slice(i, end + 1);
      i = end + 1;
    } else if (c === "=") {
      json += ":";
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*/.exec(inner.slice(i))![0];
      json += word === "true" || word === "false" || word === "null" ? word : JSON.stringify(`\${${word}}`);
      i += word.length;
    } else {
      json += c;
      i++;
    }
  }
  // Terraform reads $${ and %%{ in a string literal as the text ${ and %{.
  return unescapeTemplates(JSON.parse(json));
}

function unescapeTemplates(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  if (Array.isArray(value)) return value.map(unescapeTemplates);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeTemplates(v)]));
  return value;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  throw new Error("unterminated string");
}

/** The text inside `${base64encode("...")}`, unescaped; Terraform references stay as `${...}`. */
export function decodeBase64encode(expression: string): string {
  const literal = /^\$\{base64encode\(("(?:[^"\\]|\\.)*")\)\}$/.exec(expression)?.[1];
  if (literal === undefined) throw new Error(`not a base64encode of a string literal: ${expression.slice(0, 80)}`);
  return JSON.parse(literal);
}

/** Every resource address (type.name) of a stack, sorted. */
export function resourceAddresses(json: TfJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** The `moved` blocks of a stack. */
export function movedBlocks(json: TfJson): Array<{ from: string; to: string }> {
  return ((json as { moved?: Array<{ from: string; to: string }> }).moved ?? []).map((m) => ({
    from: m.from,
    to: m.to,
  }));
}

/**
 * Follows a reference of an environment that shares another's network, all the way: from a later
 * stack through its network stack's cross-stack output (or from the network stack itself), to that
 * stack's terraform_remote_state read of the owner's network state, to the owner's `subnet_ids` /
 * `vpc_id` output and the resource it names. `remoteState` is the read (where it looks).
 */
export function resolveSharedNetwork(
  consumer: Synthesized,
  owner: Synthesized,
  expression: string,
): ResolvedReference & { remoteState: Record<string, unknown> } {
  const read = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)((?:\.[\w-]+|\["[^"]+"\])*)\}$/.exec(
    expression,
  );
  if (!read) throw new Error(`not a read of a remote state: ${expression}`);
  const network = consumer.stack("network");
  const rest = read[3];
  let [, stateId, ownerOutput] = read;
  if (stateId === "cross-stack-reference-input-network") {
    // A later stack: the network stack's output passes the read on.
    const value = network.output?.[ownerOutput]?.value;
    const passed =
      typeof value === "string"
        ? /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(value)
        : null;
    if (!passed)
      throw new Error(`network output ${ownerOutput} is ${JSON.stringify(value)}, not a read of another state`);
    [, stateId, ownerOutput] = passed;
  }
  const remoteState = network.data!.terraform_remote_state[stateId];
  const keys = [...rest.matchAll(/\.([\w-]+)|\["([^"]+)"\]/g)].map((m) => m[1] ?? m[2]);
  let target: unknown = owner.stack("network").output?.[ownerOutput]?.value;
  for (const key of keys) target = (target as Record<string, unknown> | undefined)?.[key];
  const origin = typeof target === "string" ? /^\$\{([\w]+)\.([\w-]+)\.([\w.]+)\}$/.exec(target) : null;
  if (!origin)
    throw new Error(`${ownerOutput}${rest} of the owner is ${JSON.stringify(target)}, not a resource attribute`);
  const [, type, id, attribute] = origin;
  const resource = owner.stack("network").resource?.[type]?.[id];
  if (!resource) throw new Error(`the owner's network stack has no ${type}.${id}`);
  return { stack: "network", type, id, attribute, resource, remoteState };
}
