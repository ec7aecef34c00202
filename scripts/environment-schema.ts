/**
 * Writes environments/environment.schema.json from the zod schema, for editors (the YAML language
 * server reads the `$schema` comment at the top of each environment file). A test keeps it current.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS_DIR } from "../modules/load/load";
import { environmentJsonSchema } from "../modules/environment/json-schema";

const file = join(ENVIRONMENTS_DIR, "environment.schema.json");
writeFileSync(file, environmentJsonSchema());
console.log(`wrote ${file}`);
