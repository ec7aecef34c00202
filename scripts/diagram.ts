/**
 * Draws the network plan of every environment in environments/ to docs/<env>.svg; with --all, the
 * whole address space of every environment and the networks file to docs/all.svg. With --check it
 * writes nothing and exits 1 listing the diagrams that are missing or differ from what the
 * environments give. Exit 1 too when an environment is invalid (or, with --all, the plan across
 * environments has errors), 2 for usage errors.
 * Logic: modules/report/diagram/network-diagram.ts and address-space-diagram.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ENVIRONMENTS_DIR, environmentNames, parseEnvironment } from "../modules/load/load";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import type { LoadedAddressPlan } from "../modules/load/address-plan";
import { addressPlanReport } from "../modules/report/address-plan-report";
import { renderAddressSpace } from "../modules/report/diagram/address-space-diagram";
import { ADDRESS_PLAN_OPTIONS, ADDRESS_PLAN_USAGE, addressPlanFromFlags } from "./address-plan-flags";
import { CommandFailure, parseFlags, runCommand, UsageError } from "./command";

export const DOCS_DIR = resolve(__dirname, "../docs");

const USAGE = `usage: npm run diagram [-- --check]
       npm run diagram -- --all [--check] [--dir DIR --networks FILE --output FILE]
Writes docs/<env>.svg, the network diagram of each environment in environments/; with --all,
docs/all.svg instead: the whole address space, every environment and the networks file together.
  --check           write nothing; exit 1 listing diagrams that are missing or out of date
${ADDRESS_PLAN_USAGE}
  --output FILE     with --all: where to write (required with --dir or --networks; default docs/all.svg)
  -h, --help        print this help
`;

/** The picture of the whole address space (diagram --all) of the shipped environments and networks file. */
export const ALL_DIAGRAM = "all.svg";

/** docs/all.svg as `npm run diagram -- --all` draws it; throws CommandFailure when the plan has errors. */
export function allDiagramTarget(plan: LoadedAddressPlan, file: string): DiagramTarget {
  const report = addressPlanReport(plan);
  if (report.result !== "ok")
    throw new CommandFailure(
      1,
      `the plan across environments has errors; no picture written (ip-plan -- --all shows the whole plan):\n${report.problems
        .filter((p) => p.severity === "error")
        .map((p) => p.text)
        .join("\n")}`,
    );
  return { environment: "(all)", file, svg: renderAddressSpace(report) };
}

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
  vars: NodeJS.ProcessEnv = process.env,
): number {
  return runCommand(
    {
      name: "diagram",
      usage: USAGE,
      onInvalidEnvironment: "no diagram written",
      body: () => {
        const args = parseFlags(argv, {
          check: { type: "boolean" },
          output: { type: "string" },
          ...ADDRESS_PLAN_OPTIONS,
        });
        if (args.help) {
          out.write(USAGE);
          return 0;
        }
        if (!args.all && args.output !== undefined) throw new UsageError("--output goes with --all");
        if (args.all && (args.dir !== undefined || args.networks !== undefined) && args.output === undefined)
          throw new UsageError(
            `--dir and --networks draw another plan: give --output (docs/${ALL_DIAGRAM} is the shipped one's)`,
          );
        const plan = addressPlanFromFlags(args, vars);
        const targets = plan
          ? [
              allDiagramTarget(
                plan,
                args.output === undefined
                  ? join(dirs.docs ?? DOCS_DIR, ALL_DIAGRAM)
                  : resolve(vars.INIT_CWD || process.cwd(), args.output),
              ),
            ]
          : diagramTargets(dirs.environments, dirs.docs);
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
