import { z } from "zod";
import { EnvironmentSchema } from "./schema";

/** The environment schema as JSON Schema (draft 7, what YAML editors support), describing input: defaults are optional. */
export function environmentJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(EnvironmentSchema, { io: "input", target: "draft-7" }), null, 2) + "\n";
}
