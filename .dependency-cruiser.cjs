/**
 * The layers, as import rules (npm run lint runs them). Dependencies point one way:
 *
 *   environment (the file's shape and types)
 *     <- plan (every number and name, pure)
 *       <- checks (judge the plan)  <- load (file -> validated environment)
 *       <- report (ip-plan, diagram)
 *       <- k8s (Kubernetes objects and node user data, pure builders)
 *         <- constructs (cdktf)  <- stacks  <- main.ts, scripts
 *
 * spelling (edit distance) is a leaf anyone may use; hcl (cdktf expression helpers) is used by
 * constructs and stacks. __tests__/layer-rules.test.ts proves each rule can fail.
 */
const layer = (name) => `^modules/${name}/`;
const pure = ["environment", "plan", "checks", "load", "report", "k8s", "spelling"];

/** from -> the folders of ours it must not import */
const forbidden = {
  environment: ["plan", "checks", "load", "report", "k8s", "constructs", "hcl"],
  plan: ["checks", "load", "report", "k8s", "constructs", "hcl"],
  checks: ["load", "report", "k8s", "constructs", "hcl"],
  load: ["report", "k8s", "constructs", "hcl"],
  report: ["k8s", "constructs", "hcl"],
  k8s: ["checks", "load", "report", "constructs", "hcl"],
  constructs: ["checks", "load", "report"],
  hcl: ["environment", "plan", "checks", "load", "report", "k8s", "constructs"],
  spelling: ["environment", "plan", "checks", "load", "report", "k8s", "constructs", "hcl"],
};

module.exports = {
  forbidden: [
    ...Object.entries(forbidden).map(([from, targets]) => ({
      name: `${from}-layer`,
      comment: `modules/${from} must not depend on ${targets.join(", ")}`,
      severity: "error",
      from: { path: layer(from) },
      to: { path: `^modules/(${targets.join("|")})/` },
    })),
    {
      name: "stacks-never-import-checks",
      comment: "stacks read the plan; only the loader runs the checks",
      severity: "error",
      from: { path: "^stacks/" },
      to: { path: `^modules/(checks|report)/` },
    },
    {
      name: "nothing-imports-stacks",
      comment: "only main.ts, the scripts and other stacks compose stacks",
      severity: "error",
      from: { path: "^modules/" },
      to: { path: "^stacks/" },
    },
    {
      name: "nothing-imports-scripts",
      comment: "scripts are entry points",
      severity: "error",
      from: { pathNot: "^(scripts|__tests__)/" },
      to: { path: "^scripts/" },
    },
    {
      name: "pure-layers-have-no-cdktf",
      comment: "the plan, checks, reports and builders run without cdktf, so they are tested and used alone",
      severity: "error",
      from: { path: `^modules/(${pure.join("|")})/` },
      to: { path: "node_modules/(cdktf|constructs|@cdktf)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|cdktf\\.out|hcl)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
