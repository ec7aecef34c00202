/**
 * Turns schema (zod) issues into problems a person can act on: the field, what was found, and the
 * fix, including "did you mean" for misspelled keys.
 */
import type { z } from "zod";
import { closest } from "../spelling/edit-distance";
import { error, type FieldPath, type Problem } from "./problems";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Walks the schema along a path to the object schema there, through optional/default/array/record/union wrappers. */
function schemaAt(schema: AnySchema, path: FieldPath, value: unknown): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
    case "pipe":
    case "readonly":
    case "prefault":
      return schemaAt((def.innerType ?? def.in) as AnySchema, path, value);
    case "union": {
      const options = def.options as AnySchema[];
      return options.flatMap((o) => schemaAt(o, path, value));
    }
    default:
      break;
  }
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  const child = (value as Record<string | number, unknown> | undefined)?.[head];
  if (def.type === "object") {
    const shape = def.shape as Record<string, AnySchema>;
    // A discriminated union member only applies when its literal matches the value.
    const inner = shape[String(head)];
    return inner ? schemaAt(inner, rest, child) : [];
  }
  if (def.type === "array") return schemaAt(def.element as AnySchema, rest, child);
  if (def.type === "record") return schemaAt(def.valueType as AnySchema, rest, child);
  return [];
}

function knownKeys(root: AnySchema, path: FieldPath, input: unknown): string[] {
  const value = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], input);
  const keys = new Set<string>();
  for (const schema of schemaAt(root, path, input)) {
    const def = schema._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
    if (def.type !== "object" || !def.shape) continue;
    // For discriminated unions, keep only the member whose literal fields match.
    const literalsMatch = Object.entries(def.shape).every(([k, s]) => {
      const d = s._zod.def as unknown as { type: string; values?: unknown[] };
      return d.type !== "literal" || d.values?.includes((value as Record<string, unknown> | undefined)?.[k]);
    });
    if (literalsMatch) Object.keys(def.shape).forEach((k) => keys.add(k));
  }
  return [...keys];
}

const describe = (value: unknown): string =>
  value === undefined
    ? "nothing"
    : value === null
      ? "null"
      : Array.isArray(value)
        ? "a list"
        : typeof value === "object"
          ? "a mapping"
          : `${typeof value} ${JSON.stringify(value)}`;

export function schemaProblems(root: AnySchema, issues: readonly Issue[], input: unknown): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = issue.path as FieldPath;
    const found = path.reduce<unknown>(
      (v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string],
      input,
    );
    switch (issue.code) {
      case "unrecognized_keys": {
        const known = knownKeys(root, path, input);
        return issue.keys.map((key) => {
          const guess = closest(key, known);
          return error(
            [...path, key],
            `unknown key "${key}"`,
            guess
              ? `did you mean "${guess}"? Known keys here: ${known.join(", ")}`
              : `remove it; known keys here: ${known.join(", ")}`,
          );
        });
      }
      case "invalid_type":
        return [
          found === undefined
            ? error(path, `is required (expected ${issue.expected})`, `add ${path[path.length - 1]} here`)
            : error(
                path,
                `expected ${issue.expected}, found ${describe(found)}`,
                `write a ${issue.expected}${issue.expected === "string" ? ' (quote values such as "1.30")' : ""}`,
              ),
        ];
      case "invalid_value":
        return [
          error(
            path,
            `${describe(found)} is not allowed`,
            `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
          ),
        ];
      case "invalid_union": {
        const discriminator = (issue as { note?: string }).note;
        return [
          error(
            path,
            `${describe(found)} does not match any allowed form${discriminator ? ` (${discriminator})` : ""}`,
            "see environments/environment.schema.json for the forms this field takes",
          ),
        ];
      }
      case "too_small":
        return [
          error(
            path,
            `${describe(found)} is too small: ${issue.message}`,
            `use at least ${issue.minimum}${issue.origin === "array" ? " entries" : ""}`,
          ),
        ];
      case "too_big":
        return [error(path, `${describe(found)} is too big: ${issue.message}`, `use at most ${issue.maximum}`)];
      case "custom":
      case "invalid_element":
      case "invalid_format":
      case "invalid_key":
      case "not_multiple_of":
      default:
        return [error(path, `${describe(found)} ${issue.message}`, "correct the value as described")];
    }
  });
}
