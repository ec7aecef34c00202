/**
 * Writes environments/environment.schema.json from the zod schema, for editors (the YAML language
 * server reads the `$schema` comment at the top of each environment file). A test keeps it current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ENVIRONMENTS_DIR } from "../modules/load/load";
import { environmentJsonSchema } from "../modules/environment/json-schema";
import { parseFlags, runCommand } from "./command";

export const SCHEMA_FILE = join(ENVIRONMENTS_DIR, "environment.schema.json");

const USAGE = `usage: npm run schema [-- --check]
Writes environments/environment.schema.json, the JSON Schema of environment files, from the schema in
modules/environment/schema.ts.
  --check     write nothing; exit 1 when the file is out of date
  -h, --help  print this help
`;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  return runCommand(
    {
      name: "schema",
      usage: USAGE,
      onInvalidEnvironment: "nothing written",
      body: () => {
        const values = parseFlags(argv, { check: { type: "boolean" } });
        if (values.help) {
          out.write(USAGE);
          return 0;
        }
        const schema = environmentJsonSchema();
        const shown = relative(process.cwd(), SCHEMA_FILE);
        if (values.check) {
          if (readFileSync(SCHEMA_FILE, "utf8") === schema) return 0;
          err.write(`${shown} is out of date; run npm run schema\n`);
          return 1;
        }
        writeFileSync(SCHEMA_FILE, schema);
        out.write(`wrote ${shown}\n`);
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
