/**
 * The IP plan checks: every CIDR well formed, subnets inside the VPC and apart from each other, a
 * service range Kubernetes and EKS accept, AZs of the region. Pure: no cdktf, no AWS calls.
 */
import { cidr, contains, overlaps, parseCidr, type CidrBlock } from "../plan/cidr";
import { plannedSubnets, vpcCidrs, type PlannedSubnet } from "../plan/subnets";
import { error, formatPath, warning, type FieldPath, type Problem } from "../environment/problems";
import { isZoneOf, KNOWN_REGIONS, LAST_ZONE_LETTER, REGION_PATTERN } from "./regions";
import type { Environment } from "../environment/schema";

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(cidr);
/** AWS never lets a VPC take this range as a secondary block. */
const NEVER_SECONDARY = cidr("198.19.0.0/16");

/** Parses a CIDR field, reporting malformed values and host bits. */
function parsed(problems: Problem[], path: FieldPath, text: string): CidrBlock | undefined {
  const result = parseCidr(text);
  if (result.ok) return result.block;
  problems.push(
    error(
      path,
      result.reason,
      result.suggestion
        ? `write ${result.suggestion}`
        : "write the network address and a prefix length, e.g. 10.0.0.0/16",
    ),
  );
  return undefined;
}

export function checkRegionAndZones(env: Environment): Problem[] {
  const problems: Problem[] = [];
  if (!REGION_PATTERN.test(env.region)) {
    problems.push(
      error(["region"], `"${env.region}" is not an AWS region name`, "use a region such as us-east-1 or eu-west-1"),
    );
    return problems;
  }
  if (!KNOWN_REGIONS.includes(env.region)) {
    problems.push(
      warning(
        ["region"],
        `${env.region} is not a region this tool knows`,
        "check the spelling; if AWS opened it recently, add it to modules/checks/regions.ts",
        "unknown-region",
      ),
    );
  }
  const last = LAST_ZONE_LETTER[env.region];
  for (const az of Object.keys(env.network.zones)) {
    if (!isZoneOf(az, env.region)) {
      problems.push(
        error(
          ["network", "zones", az],
          `availability zone ${az} is not in region ${env.region}`,
          `name the AZs of ${env.region}: ${env.region}a, ${env.region}b, ...`,
        ),
      );
    } else if (last && az.slice(-1) > last) {
      problems.push(
        warning(
          ["network", "zones", az],
          `${env.region} has zones ${env.region}a to ${env.region}${last} as AWS has published them; ${az} is past them, and a subnet there would fail at apply`,
          `use a zone of ${env.region} (aws ec2 describe-availability-zones --region ${env.region} lists your account's); if AWS has opened ${az}, add it to modules/checks/regions.ts`,
          "unknown-zone-letter",
        ),
      );
    }
  }
  return problems;
}

export function checkVpcCidrs(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const blocks = vpcCidrs(env.network).flatMap(({ cidr: text, path }) => {
    const block = parsed(problems, path, text);
    return block ? [{ block, path }] : [];
  });
  for (const { block, path } of blocks) {
    if (block.prefix < 16 || block.prefix > 28) {
      problems.push(
        error(
          path,
          `${block.text} is a /${block.prefix}; a VPC CIDR block must be /16 to /28`,
          "use a block between /16 and /28",
        ),
      );
    }
  }
  blocks.forEach((a, i) =>
    blocks.slice(i + 1).forEach((b) => {
      if (overlaps(a.block, b.block)) {
        problems.push(
          error(
            b.path,
            `${b.block.text} overlaps ${formatPath(a.path)} (${a.block.text})`,
            "give each VPC CIDR block its own range",
          ),
        );
      }
    }),
  );
  const primary = blocks.find((b) => b.path.length === 2);
  const primaryRange = primary && RFC1918.find((r) => contains(r, primary.block));
  for (const secondary of blocks.filter((b) => b !== primary)) {
    const range = RFC1918.find((r) => contains(r, secondary.block));
    if (overlaps(secondary.block, NEVER_SECONDARY)) {
      problems.push(
        error(
          secondary.path,
          `${secondary.block.text} is in 198.19.0.0/16, which AWS never associates as a secondary CIDR`,
          "use 100.64.0.0/10 (RFC 6598) for extra pod addresses",
        ),
      );
    } else if (range && range !== primaryRange) {
      problems.push(
        error(
          secondary.path,
          `${secondary.block.text} is in RFC 1918 range ${range.text}, but the primary CIDR ${primary?.block.text} is ${primaryRange ? `in ${primaryRange.text}` : "not in RFC 1918 space"}; AWS rejects a secondary block from another RFC 1918 range`,
          `take the secondary block from ${primaryRange ? primaryRange.text + " or " : ""}100.64.0.0/10 (RFC 6598)`,
        ),
      );
    }
  }
  return problems;
}

export function checkSubnets(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const vpc = vpcCidrs(env.network).flatMap(({ cidr: text }) => {
    const result = parseCidr(text);
    return result.ok ? [result.block] : [];
  });
  const subnets: Array<{ subnet: PlannedSubnet; block: CidrBlock }> = [];
  for (const subnet of plannedSubnets(env.network)) {
    const block = parsed(problems, subnet.path, subnet.cidr);
    if (!block) continue;
    subnets.push({ subnet, block });
    if (block.prefix < 16 || block.prefix > 28) {
      problems.push(
        error(
          subnet.path,
          `${block.text} is a /${block.prefix}; an AWS subnet must be /16 to /28`,
          "use a block between /16 and /28",
        ),
      );
    }
    if (vpc.length > 0 && !vpc.some((v) => contains(v, block))) {
      problems.push(
        error(
          subnet.path,
          `${block.text} is outside every VPC CIDR block (${vpc.map((v) => v.text).join(", ")})`,
          "move the subnet inside network.vpcCidr, or add a block that holds it to network.secondaryCidrs",
        ),
      );
    }
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (overlaps(a.block, b.block)) {
        problems.push(
          error(
            b.subnet.path,
            `${b.block.text} overlaps ${formatPath(a.subnet.path)} (${a.block.text})`,
            "give every subnet its own range; no address may belong to two subnets",
          ),
        );
      }
    }),
  );
  return problems;
}

/** EKS accepts a service range only in RFC 1918 space, /12 to /24, apart from the VPC. */
export function checkServiceCidr(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const path = ["cluster", "serviceCidr"];
  const block = parsed(problems, path, env.cluster.serviceCidr);
  if (!block) return problems;
  if (!RFC1918.some((r) => contains(r, block))) {
    problems.push(
      error(
        path,
        `${block.text} is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
        "choose a private (RFC 1918) range outside the VPC, e.g. 172.17.0.0/24 or 10.100.0.0/16",
      ),
    );
  }
  if (block.prefix > 24) {
    problems.push(
      error(
        path,
        `${block.text} is a /${block.prefix}, smaller than the /24 EKS requires at least`,
        "use a /24 or larger block (/12 to /24)",
      ),
    );
  }
  if (block.prefix < 12) {
    problems.push(
      error(
        path,
        `${block.text} is a /${block.prefix}, larger than the /12 EKS accepts at most`,
        "use a /12 or smaller block (/12 to /24)",
      ),
    );
  }
  for (const { cidr: text, path: vpcPath } of vpcCidrs(env.network)) {
    const result = parseCidr(text);
    if (result.ok && overlaps(result.block, block)) {
      problems.push(
        error(
          path,
          `${block.text} overlaps the VPC CIDR ${formatPath(vpcPath)} (${result.block.text}); Service and VPC addresses would collide`,
          "choose a service range outside every VPC CIDR block, e.g. 172.17.0.0/24 next to a 172.16.0.0/16 VPC",
        ),
      );
    }
  }
  return problems;
}

export function checkPublicAccessCidrs(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const { publicAccess, publicAccessCidrs } = env.cluster.endpoint;
  publicAccessCidrs.forEach((text, i) => parsed(problems, ["cluster", "endpoint", "publicAccessCidrs", i], text));
  if (publicAccess && publicAccessCidrs.length === 0) {
    problems.push(
      warning(
        ["cluster", "endpoint", "publicAccessCidrs"],
        "the Kubernetes API endpoint is public and publicAccessCidrs is empty: EKS then admits any address (0.0.0.0/0), which is what is deployed",
        "list the ranges of your offices and CI runners, or set publicAccess: false and deploy from inside the VPC",
        "open-api-endpoint",
      ),
    );
  } else if (publicAccess && publicAccessCidrs.includes("0.0.0.0/0")) {
    problems.push(
      warning(
        ["cluster", "endpoint", "publicAccessCidrs"],
        "the Kubernetes API endpoint is reachable from any address (0.0.0.0/0)",
        "list the ranges of your offices and CI runners, or set publicAccess: false and deploy from inside the VPC",
        "open-api-endpoint",
      ),
    );
  }
  return problems;
}
