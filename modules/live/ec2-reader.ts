/**
 * Reads the four EC2 files of a recorded state with the AWS SDK for JavaScript v3, read-only
 * (Describe*, Get*), with the credentials the AWS CLI would use (the SDK's default chain) and the
 * environment's region (the SDK does not read AWS_DEFAULT_REGION). Each file is written as the AWS
 * CLI prints it: the SDK's output members are the CLI's, pages merged, without NextToken or
 * $metadata. The VPC is the one holding the subnets tagged for the cluster by the plan, or, for an
 * existing VPC (whose subnets carry no role tag of ours), the one the plan names by id.
 *
 * The SDK is loaded here only (a dynamic import from the live path), so `verify --from` and the
 * other commands never pay for it.
 */
import type { Filter } from "@aws-sdk/client-ec2";
import { clusterTag, SUBNET_ROLE_TAG } from "../plan/labels";
import { oneLine, seconds, UnreachableError, type ReadLimits } from "./limits";

export type Ec2File = "subnets.json" | "network-interfaces.json" | "addresses.json" | "subnet-cidr-reservations.json";

export interface Ec2State {
  vpcId?: string;
  files: Record<Ec2File, string>;
}

export async function readEc2(
  want: { region: string; clusterName: string; plannedSubnetCidrs: readonly string[]; vpcId?: string },
  limits: ReadLimits,
): Promise<Ec2State> {
  // The pinned SDK release runs on Node 20; its notice is about releases after January 2027.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const sdk = await import("@aws-sdk/client-ec2");
  const { NodeHttpHandler } = await import("@smithy/node-http-handler");
  const client = new sdk.EC2Client({
    region: want.region,
    maxAttempts: limits.attempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: limits.connectTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    }),
  });
  try {
    const subnetsOf = async (filters: Filter[]) => {
      const subnets = [];
      for await (const page of sdk.paginateDescribeSubnets({ client }, { Filters: filters }))
        subnets.push(...(page.Subnets ?? []));
      return subnets;
    };
    const vpcId =
      want.vpcId ??
      likeliestVpc(
        await subnetsOf([
          { Name: "tag-key", Values: [clusterTag(want.clusterName)] },
          { Name: "tag-key", Values: [SUBNET_ROLE_TAG] },
        ]),
        want.plannedSubnetCidrs,
      );
    const byVpc: Filter[] = [{ Name: "vpc-id", Values: [vpcId ?? "none"] }];
    const subnets = vpcId ? await subnetsOf(byVpc) : [];
    const interfaces = [];
    if (vpcId) {
      const pages = sdk.paginateDescribeNetworkInterfaces({ client, pageSize: 1000 }, { Filters: byVpc });
      for await (const page of pages) interfaces.push(...(page.NetworkInterfaces ?? []));
    }
    // Not paginated: one answer holds every address of the region.
    const addresses = (await client.send(new sdk.DescribeAddressesCommand({}))).Addresses ?? [];
    const reservations = [];
    for (const subnet of subnets.filter((s) => want.plannedSubnetCidrs.includes(s.CidrBlock ?? ""))) {
      // No paginator for this call: follow NextToken by hand.
      let token: string | undefined;
      do {
        const page = await client.send(
          new sdk.GetSubnetCidrReservationsCommand({ SubnetId: subnet.SubnetId, NextToken: token }),
        );
        reservations.push(...(page.SubnetIpv4CidrReservations ?? []));
        token = page.NextToken;
      } while (token);
    }
    return {
      vpcId,
      files: {
        "subnets.json": cli({ Subnets: subnets }),
        "network-interfaces.json": cli({ NetworkInterfaces: interfaces }),
        "addresses.json": cli({ Addresses: addresses }),
        "subnet-cidr-reservations.json": cli({
          SubnetIpv4CidrReservations: reservations,
          SubnetIpv6CidrReservations: [],
        }),
      },
    };
  } catch (error) {
    throw new UnreachableError("AWS", awsReason(error, want.region, limits));
  } finally {
    client.destroy();
  }
}

/** The VPC most of the plan's subnet ranges are in, among those holding subnets tagged for the cluster. */
function likeliestVpc(
  subnets: ReadonlyArray<{ VpcId?: string; CidrBlock?: string }>,
  planned: readonly string[],
): string | undefined {
  const score = new Map<string, number>();
  for (const s of subnets)
    if (s.VpcId) score.set(s.VpcId, (score.get(s.VpcId) ?? 0) + (planned.includes(s.CidrBlock ?? "") ? 1 : 0));
  return [...score.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** As the CLI prints it: 4-space JSON, timestamps as ISO strings (JSON.stringify of a Date). */
const cli = (document: object) => JSON.stringify(document, null, 4) + "\n";

function awsReason(error: unknown, region: string, limits: ReadLimits): string {
  const e = error as { name?: string; message?: string; code?: string; $metadata?: { attempts?: number } };
  const attempts = e.$metadata?.attempts ? ` (${e.$metadata.attempts} attempts)` : "";
  if (e.name === "TimeoutError" || e.code === "ETIMEDOUT")
    return `EC2 in ${region}: no answer within ${seconds(limits.requestTimeoutMs)}${attempts}`;
  if (e.name === "CredentialsProviderError")
    return `no AWS credentials (${oneLine(e.message ?? "")}); configure them as for the AWS CLI (AWS_PROFILE, aws sso login, ...)`;
  return `EC2 in ${region}: ${e.name ?? "Error"}: ${oneLine(e.message ?? String(error)).slice(0, 300)}${attempts}`;
}
