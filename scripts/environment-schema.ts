/**
 * Writes environments/environment.schema.json and networks/networks.schema.json from the zod
 * schemas, for editors (the YAML language server reads the `$schema` comment at the top of each
 * file). A test keeps both current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ENVIRONMENTS_DIR } from "../modules/load/load";
import { NETWORKS_FILE } from "../modules/load/networks";
import { environmentJsonSchema, networksJsonSchema } from "../modules/environment/json-schema";
import { runFlagCommand } from "./command";

export const SCHEMA_FILE = join(ENVIRONMENTS_DIR, "environment.schema.json");
export const NETWORKS_SCHEMA_FILE = join(dirname(NETWORKS_FILE), "networks.schema.json");

const USAGE = `usage: npm run schema [-- --check]
Writes environments/environment.schema.json, the JSON Schema of environment files, from the schema in
modules/environment/schema.ts, and networks/networks.schema.json, the JSON Schema of the networks
file, from modules/environment/networks-schema.ts.
  --check     write nothing; exit 1 when a file is out of date
  -h, --help  print this help
`;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  return runFlagCommand(
    argv,
    {
      name: "schema",
      usage: USAGE,
      onInvalidEnvironment: "nothing written",
      flags: { check: { type: "boolean" } },
      body: (values) => {
        const files: Array<[string, string]> = [
          [SCHEMA_FILE, environmentJsonSchema()],
          [NETWORKS_SCHEMA_FILE, networksJsonSchema()],
        ];
        if (values.check) {
          const stale = files.filter(([file, schema]) => readFileSync(file, "utf8") !== schema);
          for (const [file] of stale)
            err.write(`${relative(process.cwd(), file)} is out of date; run npm run schema\n`);
          return stale.length > 0 ? 1 : 0;
        }
        for (const [file, schema] of files) {
          writeFileSync(file, schema);
          out.write(`wrote ${relative(process.cwd(), file)}\n`);
        }
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
