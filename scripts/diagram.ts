/**
 * Draws the network plan of an environment as SVG. Like every command it takes the environment
 * choice (EKS_ENV / EKS_ENV_FILE, default demo); --shipped redraws docs/<env>.svg for every
 * environment in environments/ (what the README shows); --all draws the whole address space of every
 * environment and the networks file, checked together (docs/all.svg). With --check it writes nothing
 * and exits 1 listing the diagrams that are missing or differ from what the environments give. Exit 1
 * too when an environment is invalid (or, with --all, the plan across environments has errors), 2
 * for usage errors.
 * Logic: modules/report/diagram/network-diagram.ts and address-space-diagram.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import {
  ENVIRONMENTS_DIR,
  environmentFile,
  environmentNames,
  parseEnvironment,
  readAddressLock,
  strictFrom,
} from "../modules/load/load";
import type { LoadedAddressPlan } from "../modules/load/address-plan";
import { addressPlanReport } from "../modules/report/address-plan-report";
import { renderAddressSpace } from "../modules/report/diagram/address-space-diagram";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import { ADDRESS_PLAN_OPTIONS, ADDRESS_PLAN_USAGE, addressPlanFromFlags } from "./address-plan-flags";
import { CommandFailure, runFlagCommand, UsageError } from "./command";

export const DOCS_DIR = resolve(__dirname, "../docs");

const USAGE = `usage: [EKS_ENV=name | EKS_ENV_FILE=path] npm run diagram [-- --output FILE] [--check]
       npm run diagram -- --shipped [--check]
       npm run diagram -- --all [--dir DIR --networks FILE --output FILE] [--check]
Draws the network diagram (SVG) of the environment (default: demo): an environment of environments/
to docs/<env>.svg, any other file beside it (<file>.svg), or to --output FILE (- for stdout).
  --shipped         every environment of environments/, each to docs/<env>.svg (what the README shows)
${ADDRESS_PLAN_USAGE}
                    drawn as one picture of the whole address space, to docs/all.svg or --output FILE
                    (required with --dir or --networks)
  --output FILE     where to write the one diagram (relative to where you are; - for stdout)
  --check           write nothing; exit 1 naming the diagrams that are missing or out of date
  -h, --help        print this help
`;

/** The picture of the whole address space (diagram --all) of the shipped environments and networks file. */
export const ALL_DIAGRAM = "all.svg";

export interface DiagramTarget {
  environment: string;
  file: string;
  svg: string;
}

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

const draw = (source: string, vars: NodeJS.ProcessEnv = {}) =>
  networkDiagramSvg(
    parseEnvironment(readFileSync(source, "utf8"), source, readAddressLock(source), { strict: strictFrom(vars) }),
  );

/** The diagram every environment in `environmentsDir` should have in `docsDir`. Throws InvalidEnvironmentError. */
export function diagramTargets(environmentsDir = ENVIRONMENTS_DIR, docsDir = DOCS_DIR): DiagramTarget[] {
  return environmentNames(environmentsDir).map((name) => ({
    environment: name,
    file: join(docsDir, `${name}.svg`),
    svg: draw(join(environmentsDir, `${name}.yaml`)),
  }));
}

export const isStale = (t: DiagramTarget): boolean => !existsSync(t.file) || readFileSync(t.file, "utf8") !== t.svg;

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  dirs: { environments?: string; docs?: string } = {},
  vars: NodeJS.ProcessEnv = process.env,
): number {
  return runFlagCommand(
    argv,
    {
      name: "diagram",
      usage: USAGE,
      onInvalidEnvironment: "no diagram written",
      flags: {
        check: { type: "boolean" },
        shipped: { type: "boolean" },
        output: { type: "string" },
        ...ADDRESS_PLAN_OPTIONS,
      },
      body: (args) => {
        if (args.shipped && args.all) throw new UsageError("--shipped and --all draw different things; give one");
        if (args.shipped && args.output)
          throw new UsageError("--shipped writes docs/<env>.svg; --output does not apply");
        if (args.all && (args.dir !== undefined || args.networks !== undefined) && args.output === undefined)
          throw new UsageError(
            `--dir and --networks draw another plan: give --output (docs/${ALL_DIAGRAM} is the shipped one's)`,
          );
        const environmentsDir = dirs.environments ?? ENVIRONMENTS_DIR;
        const docsDir = dirs.docs ?? DOCS_DIR;
        const outputFile = (output: string) => resolve(vars.INIT_CWD || process.cwd(), output);
        const plan = addressPlanFromFlags(args, vars);

        let targets: DiagramTarget[];
        if (args.shipped) targets = diagramTargets(environmentsDir, docsDir);
        else if (plan) {
          const target = allDiagramTarget(
            plan,
            args.output === undefined ? join(docsDir, ALL_DIAGRAM) : outputFile(args.output),
          );
          if (args.output === "-") {
            if (args.check) throw new UsageError("--check needs a file to compare, not stdout");
            out.write(target.svg);
            return 0;
          }
          targets = [target];
        } else {
          const source = environmentFile(vars);
          const name = basename(source, extname(source));
          const svg = draw(source, vars);
          if (args.output === "-") {
            if (args.check) throw new UsageError("--check needs a file to compare, not stdout");
            out.write(svg);
            return 0;
          }
          const file = args.output
            ? outputFile(args.output)
            : resolve(dirname(source)) === resolve(environmentsDir)
              ? join(docsDir, `${name}.svg`)
              : join(dirname(source), `${name}.svg`);
          targets = [{ environment: name, file, svg }];
        }
        const stale = targets.filter(isStale);
        const shown = (t: DiagramTarget) => relative(process.cwd(), t.file);
        if (args.check) {
          if (stale.length === 0) return 0;
          const flag = args.shipped ? " -- --shipped" : plan ? " -- --all" : "";
          err.write(`diagram: out of date (run npm run diagram${flag}): ${stale.map(shown).join(", ")}\n`);
          return 1;
        }
        for (const t of stale) {
          mkdirSync(dirname(t.file), { recursive: true });
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
