/**
 * Draws the network plan of every environment in environments/ to docs/<env>.svg. With --check it
 * writes nothing and exits 1 listing the diagrams that are missing or differ from what the
 * environments give. Exit 1 too when an environment is invalid, 2 for usage errors.
 * Logic: modules/report/diagram/network-diagram.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ENVIRONMENTS_DIR, environmentNames, parseEnvironment } from "../modules/load/load";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import { parseFlags, runCommand } from "./command";

export const DOCS_DIR = resolve(__dirname, "../docs");

const USAGE = `usage: npm run diagram [-- --check]
Writes docs/<env>.svg, the network diagram of each environment in environments/.
  --check     write nothing; exit 1 listing diagrams that are missing or out of date
  -h, --help  print this help
`;

export interface DiagramTarget {
  environment: string;
  file: string;
  svg: string;
}

/** The diagram every environment in `environmentsDir` should have in `docsDir`. Throws InvalidEnvironmentError. */
export function diagramTargets(environmentsDir = ENVIRONMENTS_DIR, docsDir = DOCS_DIR): DiagramTarget[] {
  return environmentNames(environmentsDir).map((name) => {
    const source = join(environmentsDir, `${name}.yaml`);
    return {
      environment: name,
      file: join(docsDir, `${name}.svg`),
      svg: networkDiagramSvg(parseEnvironment(readFileSync(source, "utf8"), source)),
    };
  });
}

export const isStale = (t: DiagramTarget): boolean => !existsSync(t.file) || readFileSync(t.file, "utf8") !== t.svg;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  dirs: { environments?: string; docs?: string } = {},
): number {
  return runCommand(
    {
      name: "diagram",
      usage: USAGE,
      onInvalidEnvironment: "no diagram written",
      body: () => {
        const args = parseFlags(argv, { check: { type: "boolean" } });
        if (args.help) {
          out.write(USAGE);
          return 0;
        }
        const targets = diagramTargets(dirs.environments, dirs.docs);
        const stale = targets.filter(isStale);
        const shown = (t: DiagramTarget) => relative(process.cwd(), t.file);
        if (args.check) {
          if (stale.length === 0) return 0;
          err.write(`diagram: out of date (run npm run diagram): ${stale.map(shown).join(", ")}\n`);
          return 1;
        }
        for (const t of stale) {
          mkdirSync(join(t.file, ".."), { recursive: true });
          writeFileSync(t.file, t.svg);
        }
        for (const t of targets) out.write(`${shown(t)}${stale.includes(t) ? " written" : " up to date"}\n`);
        return 0;
      },
    },
    { out, err },
  );
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
