import { DataResource, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { clusterSubnetTag } from "../../plan/subnet-tags";
import { CLUSTER_TAG_PREFIX } from "../../plan/labels";

export interface SharedNetworkGuardProps {
  readonly vpcId: string;
  readonly region: string;
  /** The cluster of the environment that creates the VPC: its own tag does not count as another's. */
  readonly clusterName: string;
  /** Every resource of the network: none is destroyed before the guard has let the destroy go on. */
  readonly guarded: readonly ITerraformDependable[];
}

/** Set to the VPC's id to destroy it although another cluster still tags its subnets. */
export const DESTROY_OVERRIDE_VARIABLE = "EKS_DESTROY_SHARED_VPC";

/**
 * Run by the guard's destroy-time local-exec (sh), with VPC_ID, REGION and OWN_TAG in its environment.
 * Another cluster's kubernetes.io/cluster/<name> tag on a subnet of the VPC means that cluster's
 * environment (a `network.from` consumer, an environment naming the VPC by id, or a cluster made
 * outside this tool) still runs in it: each keeps its tag (aws_ec2_tag) until its own network stack is
 * destroyed. No `${` or `%{` here: Terraform would read them as interpolation; no backslash, which
 * HCL and JSON would read alike but a reader of the exported HCL might not. Every line ends a
 * command or opens a block, so the lines can be joined into one.
 */
export const GUARD_SCRIPT = [
  `if [ "$${DESTROY_OVERRIDE_VARIABLE}" = "$VPC_ID" ]; then`,
  `echo "${DESTROY_OVERRIDE_VARIABLE}=$VPC_ID: destroying $VPC_ID without looking for other clusters in it"; exit 0;`,
  "fi;",
  "if ! command -v aws >/dev/null 2>&1; then",
  `echo "Refusing to destroy $VPC_ID: the AWS CLI, which looks for other clusters in its subnets, is not on the PATH. Install it (the cluster stacks need it too), or set ${DESTROY_OVERRIDE_VARIABLE}=$VPC_ID once you know no other environment runs in this VPC." >&2; exit 1;`,
  "fi;",
  `query="Subnets[].Tags[?starts_with(Key, '${CLUSTER_TAG_PREFIX}') && Key != '$OWN_TAG'].Key[]";`,
  `if ! found=$(aws ec2 describe-subnets --region "$REGION" --filters "Name=vpc-id,Values=$VPC_ID" --query "$query" --output text); then`,
  `echo "Refusing to destroy $VPC_ID: its subnets could not be read (above) to look for other clusters in it. Fix the credentials (ec2:DescribeSubnets), or set ${DESTROY_OVERRIDE_VARIABLE}=$VPC_ID once you know no other environment runs in this VPC." >&2; exit 1;`,
  "fi;",
  // Word splitting (no globbing) separates the keys, whichever of tab or newline the CLI printed.
  `others=$(set -f; for key in $found; do [ "$key" = None ] || echo "$key"; done | sed 's|^${CLUSTER_TAG_PREFIX}||' | sort -u | paste -s -d ' ' -);`,
  `if [ -n "$others" ]; then`,
  `echo "Refusing to destroy $VPC_ID: other clusters still run in it (their kubernetes.io/cluster/ tags are on its subnets): $others. Destroy their environments first (each one's network stack last; npm run --silent ip-plan -- --all shows which environments share this network), then this one. Nothing of the network has been destroyed." >&2; exit 1;`,
  "fi;",
  `echo "No other cluster tags the subnets of $VPC_ID: destroying it"`,
  // One line: cdktf's HCL rendering cannot write a quoted string over several lines (npm run synth:hcl).
].join(" ");

/**
 * Refuses to destroy a VPC other environments still run in. A `terraform_data` that depends on every
 * resource of the network, so Terraform destroys it first and destroys nothing else when its
 * destroy-time provisioner fails (on_failure defaults to fail): the NAT gateway, routes and subnets
 * stay for the clusters still in the VPC. Without it, the destroy removes the NAT gateway and routes
 * under them, then hangs on subnets that still hold their interfaces (DependencyViolation).
 * The same runs when the VPC is replaced (its id triggers the guard's replacement), which the
 * clusters in it would not survive either. It needs the AWS CLI where Terraform runs, as the cluster stacks do.
 */
export class SharedNetworkGuard extends Construct {
  constructor(scope: Construct, id: string, props: SharedNetworkGuardProps) {
    super(scope, id);
    new DataResource(this, "guard", {
      input: { vpc_id: props.vpcId },
      // A new VPC id replaces the guard, so a replacement of the VPC runs the destroy-time check too
      // (a change of `input` alone would only update it in place).
      triggersReplace: { vpc_id: props.vpcId },
      dependsOn: [...props.guarded],
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          interpreter: ["/bin/sh", "-c"],
          command: GUARD_SCRIPT,
          environment: {
            // A destroy-time provisioner may refer to self only.
            VPC_ID: "${self.input.vpc_id}",
            REGION: props.region,
            OWN_TAG: clusterSubnetTag(props.clusterName).key,
          },
        },
      ],
    });
  }
}
