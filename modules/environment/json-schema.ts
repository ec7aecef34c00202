import { z } from "zod";
import { NetworksSchema } from "./networks-schema";
import { EnvironmentSchema } from "./schema";

/** The environment schema as JSON Schema (draft 7, what YAML editors support), describing input: defaults are optional. */
export function environmentJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(EnvironmentSchema, { io: "input", target: "draft-7" }), null, 2) + "\n";
}

/** The networks file's schema (networks/networks.schema.json), likewise. */
export function networksJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(NetworksSchema, { io: "input", target: "draft-7" }), null, 2) + "\n";
}
