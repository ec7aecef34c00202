/**
 * The layers, as import rules (npm run lint runs them). Dependencies point one way:
 *
 *   environment (the file's shape and types)
 *     <- plan (every number and name, pure)
 *       <- checks (judge the plan)  <- load (file -> validated environment)
 *       <- report (ip-plan, diagram)
 *       <- k8s (Kubernetes objects and node user data, pure builders)
 *         <- constructs (cdktf)  <- stacks  <- main.ts, scripts
 *       <- verify (a recorded live state judged against the plan, pure: no I/O)
 *       <- live (the readers of the live cluster and EC2; the only users of the AWS SDK)
 *
 * spelling (edit distance) is a leaf anyone may use; hcl (cdktf expression helpers) is used by
 * constructs and stacks. __tests__/layer-rules.test.ts proves each rule can fail.
 */
const layer = (name) => `^modules/${name}/`;
const pure = ["environment", "plan", "checks", "load", "report", "k8s", "spelling", "verify", "live"];

/** from -> the folders of ours it must not import */
const forbidden = {
  environment: ["plan", "checks", "load", "report", "k8s", "constructs", "hcl", "verify", "live"],
  plan: ["checks", "load", "report", "k8s", "constructs", "hcl", "verify", "live"],
  checks: ["load", "report", "k8s", "constructs", "hcl", "verify", "live"],
  load: ["report", "k8s", "constructs", "hcl", "verify", "live"],
  report: ["k8s", "constructs", "hcl", "verify", "live"],
  k8s: ["checks", "load", "report", "constructs", "hcl", "verify", "live"],
  constructs: ["checks", "load", "report", "verify", "live"],
  hcl: ["environment", "plan", "checks", "load", "report", "k8s", "constructs", "verify", "live"],
  spelling: ["environment", "plan", "checks", "load", "report", "k8s", "constructs", "hcl", "verify", "live"],
  // verify judges a state it is given: it reads the plan (and k8s's builders, to compare with what
  // they configure), never the cluster, the files or the synthesized output.
  verify: ["checks", "load", "report", "constructs", "hcl", "live"],
  live: ["checks", "load", "report", "k8s", "constructs", "hcl", "verify"],
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
      comment: "scripts are entry points (main.ts, the app, runs scripts/synth.ts)",
      severity: "error",
      from: { pathNot: "^(scripts|__tests__)/|^main\\.ts$" },
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
      name: "verify-does-no-io",
      comment:
        "modules/verify compares a given state with the plan: files, network and processes are the live readers' and the command's",
      severity: "error",
      from: { path: "^modules/verify/" },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|http|https|http2|net|tls|dgram|dns|child_process)$",
      },
    },
    {
      name: "aws-sdk-only-in-live",
      comment: "the AWS SDK is loaded by the live readers alone, so every other path stays fast",
      severity: "error",
      from: { pathNot: "^(modules/live|__tests__)/" },
      to: { path: "node_modules/(@aws-sdk|@smithy)/" },
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
