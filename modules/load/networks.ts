/**
 * Reads and validates the networks file (the organisation's blocks and the external networks).
 * Unlike an environment, a bad networks file does not throw: the plan across environments reports
 * its problems with the environments' and exits 1.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { checkNetworksFile } from "../checks/networks-file";
import { error, type Locator, type Problem } from "../environment/problems";
import { NetworksSchema, type NetworksFile } from "../environment/networks-schema";
import { schemaProblems } from "../environment/schema-problems";
import { displayPath, locator } from "./load";

/** The shipped networks file, read unless another is given. */
export const NETWORKS_FILE = resolve(__dirname, "../../networks/external.yaml");

export interface LoadedNetworks {
  /** As shown in messages. */
  file: string;
  /** Undefined when the file is missing or invalid; `problems` then say why. */
  networks?: NetworksFile;
  problems: Problem[];
  locate: Locator;
}

export function loadNetworks(path: string): LoadedNetworks {
  const file = displayPath(path);
  if (!existsSync(path))
    return {
      file,
      problems: [error([], `there is no networks file ${path}`, "give an existing file with --networks")],
      locate: () => undefined,
    };
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, "utf8"), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locate = locator(doc, lines);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = lines.linePos(first.pos[0]).line;
    return {
      file,
      problems: [error([], `YAML syntax at line ${line}: ${first.message.split("\n")[0]}`, "correct the YAML there")],
      locate,
    };
  }
  const input: unknown = doc.toJS() ?? {};
  const shape = NetworksSchema.safeParse(input);
  if (!shape.success) return { file, problems: schemaProblems(NetworksSchema, shape.error.issues, input), locate };
  const problems = checkNetworksFile(shape.data);
  return problems.length > 0 ? { file, problems, locate } : { file, networks: shape.data, problems: [], locate };
}
