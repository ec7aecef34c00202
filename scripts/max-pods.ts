/**
 * Offline counterpart of AWS's max-pods-calculator.sh: same flags, one number on stdout.
 * Exit 0 on success, 1 for an unknown instance type, 2 for usage errors. Logic: modules/plan/max-pods.ts.
 */
import { loadEnvironment } from "../modules/load/load";
import { UnknownInstanceTypeError, maxPodsFor } from "../modules/plan/max-pods";
import { nodePoolMaxPods } from "../modules/plan/node-pools";
import { UsageError, parseFlags, runCommand } from "./command";

const USAGE = `usage: npm run max-pods -- --instance-type TYPE [options]
       [EKS_ENV=name | EKS_ENV_FILE=path] npm run max-pods -- --node-pool NAME
Prints the maxPods value for kubelet, as AWS's max-pods-calculator.sh does, without AWS calls.
  --node-pool NAME                   a Karpenter node pool of the environment: each instance type it
                                     allows with its max pods under the environment's CNI settings
                                     (the EC2NodeClass's kubelet maxPods with prefix delegation, else
                                     Karpenter's own count); takes no other flag
  --instance-type TYPE               EC2 instance type (required without --node-pool)
  --cni-custom-networking-enabled    custom networking: the primary ENI hosts no pods
  --cni-subnet-discovery-enabled     enhanced subnet discovery (VPC CNI >= 1.18.0; not a flag of AWS's
                                     script): the primary ENI keeps serving pods, so the figure is as
                                     without custom networking, which takes precedence if both are given
  --cni-prefix-delegation-enabled    prefix delegation (applies on Nitro types, VPC CNI >= 1.9.0)
  --cni-max-eni N                    use at most N ENIs
  --cni-version X.Y.Z                VPC CNI version (default: assume one with prefix delegation)
  --cni-pod-security-groups-enabled  security groups for pods (ENABLE_POD_ENI): one ENI is the trunk and
                                     hosts no pods (not a flag of AWS's script, which counts the trunk)
  --show-max-allowed                 print the uncapped value instead of the recommended one
  -h, --help                         print this help
`;

function parse(argv: string[]) {
  const values = parseFlags(argv, {
    "instance-type": { type: "string" },
    "node-pool": { type: "string" },
    "cni-custom-networking-enabled": { type: "boolean" },
    "cni-subnet-discovery-enabled": { type: "boolean" },
    "cni-prefix-delegation-enabled": { type: "boolean" },
    "cni-max-eni": { type: "string" },
    "cni-version": { type: "string" },
    "show-max-allowed": { type: "boolean" },
    "cni-pod-security-groups-enabled": { type: "boolean" },
  });
  const maxEniText = values["cni-max-eni"];
  if (maxEniText !== undefined && !/^[1-9]\d*$/.test(maxEniText)) {
    throw new UsageError(`--cni-max-eni takes a whole number of at least 1, got "${maxEniText}"`);
  }
  return { ...values, maxEni: maxEniText === undefined ? undefined : Number(maxEniText) };
}

export function run(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  vars: NodeJS.ProcessEnv = process.env,
): number {
  return runCommand(
    {
      name: "max-pods",
      usage: USAGE,
      onInvalidEnvironment: "no figure",
      body: () => {
        const args = parse(argv);
        if (args.help) {
          out.write(USAGE);
          return 0;
        }
        const poolName = args["node-pool"];
        if (poolName !== undefined) {
          const others = Object.keys(args).filter((k) => !["node-pool", "help", "maxEni"].includes(k));
          if (others.length > 0) throw new UsageError(`--node-pool takes no other flag (got --${others.join(", --")})`);
          out.write(nodePoolTable(poolName, vars));
          return 0;
        }
        const instanceType = args["instance-type"];
        if (!instanceType) throw new UsageError("--instance-type (or --node-pool) is required");
        let result;
        try {
          result = maxPodsFor(instanceType, {
            customNetworking: args["cni-custom-networking-enabled"] ?? false,
            subnetDiscovery: args["cni-subnet-discovery-enabled"] ?? false,
            prefixDelegation: args["cni-prefix-delegation-enabled"] ?? false,
            maxEni: args.maxEni,
            cniVersion: args["cni-version"],
            podSecurityGroups: args["cni-pod-security-groups-enabled"] ?? false,
          });
        } catch (error) {
          // RangeError: a setting maxPodsFor rejects (e.g. --cni-version that is not a version).
          if (error instanceof RangeError) throw new UsageError(error.message);
          throw error;
        }
        for (const note of result.notes) err.write(`max-pods: note: ${note}\n`);
        out.write(`${args["show-max-allowed"] ? result.uncapped : result.recommended}\n`);
        return 0;
      },
      explain: (error) => (error instanceof UnknownInstanceTypeError ? error.message : undefined),
    },
    { out, err },
  );
}

/** The pool's instance types with their max pods, one a line; the environment is the one EKS_ENV names. */
function nodePoolTable(poolName: string, vars: NodeJS.ProcessEnv): string {
  const { env, name } = loadEnvironment(vars);
  const pools = env.karpenter?.nodePools ?? [];
  const pool = pools.find((p) => p.name === poolName);
  if (!pool) {
    throw new UsageError(
      pools.length === 0
        ? `${name} has no karpenter node pools`
        : `${name} has no node pool ${poolName}; its pools are ${pools.map((p) => p.name).join(", ")}`,
    );
  }
  const { kubeletMaxPods, types } = nodePoolMaxPods(pool, env);
  const width = Math.max(...types.map((t) => t.instanceType.length), "INSTANCE TYPE".length);
  const source =
    kubeletMaxPods === undefined
      ? "Karpenter's count per type (RESERVED_ENIS as the plan sets it)"
      : `the EC2NodeClass's kubelet maxPods ${kubeletMaxPods}, the smallest recommended value`;
  return [
    `# ${name}: node pool ${pool.name}, max pods from ${source}; RECOMMENDED is AWS's calculator's value`,
    `${"INSTANCE TYPE".padEnd(width)}  MAX PODS  RECOMMENDED`,
    ...types.map(
      (t) =>
        `${t.instanceType.padEnd(width)}  ${String(t.maxPods).padStart(8)}  ${String(t.computed.recommended).padStart(11)}`,
    ),
    "",
  ].join("\n");
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
