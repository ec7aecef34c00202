/**
 * Offline counterpart of AWS's max-pods-calculator.sh: same flags, one number on stdout.
 * Exit 0 on success, 1 for an unknown instance type, 2 for usage errors. Logic: modules/plan/max-pods.ts.
 */
import { UnknownInstanceTypeError, maxPodsFor } from "../modules/plan/max-pods";
import { UsageError, parseFlags, runCommand } from "./command";

const USAGE = `usage: npm run max-pods -- --instance-type TYPE [options]
Prints the maxPods value for kubelet, as AWS's max-pods-calculator.sh does, without AWS calls.
  --instance-type TYPE               EC2 instance type (required)
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
        const instanceType = args["instance-type"];
        if (!instanceType) throw new UsageError("--instance-type is required");
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

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
