/**
 * Writes environments/environment.schema.json and networks/networks.schema.json from the zod
 * schemas, for editors (the YAML language server reads the `$schema` comment at the top of each
 * file). A test keeps both current.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ENVIRONMENTS_DIR } from "../modules/load/load";
import { NETWORKS_FILE } from "../modules/load/networks";
import { environmentJsonSchema, networksJsonSchema } from "../modules/environment/json-schema";

for (const [file, schema] of [
  [join(ENVIRONMENTS_DIR, "environment.schema.json"), environmentJsonSchema()],
  [join(dirname(NETWORKS_FILE), "networks.schema.json"), networksJsonSchema()],
]) {
  writeFileSync(file, schema);
  console.log(`wrote ${file}`);
}
