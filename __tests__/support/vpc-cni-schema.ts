import Ajv from "ajv";
import draft06 from "ajv/dist/refs/json-schema-draft-06.json";
import { readFileSync } from "node:fs";
import { referenceFile } from "./reference";

/** The vpc-cni add-on's published configuration schema (shared reference data, read by tests only). */
export const VPC_CNI_SCHEMA_FILE = referenceFile("vpc-cni-addon-configuration-schema.v1.15.1-eksbuild.1.json");

/**
 * A validator for configuration_values. The schema marks string values with format "boolean" or
 * "integer"; those formats are enforced here the way the add-on reads them.
 */
export function vpcCniConfigurationValidator() {
  const published = JSON.parse(readFileSync(VPC_CNI_SCHEMA_FILE, "utf8"));
  const schema =
    typeof published.configurationSchema === "string"
      ? JSON.parse(published.configurationSchema)
      : published.configurationSchema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(draft06);
  ajv.addFormat("boolean", /^(true|false)$/);
  ajv.addFormat("integer", /^\d+$/);
  return ajv.compile(schema);
}
