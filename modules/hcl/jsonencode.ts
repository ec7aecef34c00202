import { Fn } from "cdktf";

/**
 * cdktf 0.21 writes the string literals inside Fn.jsonencode(...) into the Terraform expression
 * escaping only newlines and "${" (TFExpression.escapeString): a double quote would end the HCL
 * string and a backslash would start an HCL escape, and "%{" would open a template directive. Keys
 * and values are escaped here first, so Terraform reads back exactly our text (a CNI config that is
 * itself JSON, a script in a ConfigMap). Terraform references (cdktf tokens) contain none of these
 * characters and pass unchanged.
 */
export function escapeHclLiterals<T>(value: T): T {
  if (typeof value === "string") return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%\{/g, "%%{") as T;
  if (Array.isArray(value)) return value.map((v) => escapeHclLiterals(v)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeHclLiterals(k), escapeHclLiterals(v)])) as T;
  }
  return value;
}

/** Fn.jsonencode for values with arbitrary strings: the JSON Terraform produces holds them verbatim. */
export const jsonencode = (value: unknown): string => Fn.jsonencode(escapeHclLiterals(value));
