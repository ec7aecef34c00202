import { DataAwsAvailabilityZone } from "@cdktf/provider-aws/lib/data-aws-availability-zone";
import { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings";
import { DataAwsEips } from "@cdktf/provider-aws/lib/data-aws-eips";
import { DataAwsServicequotasServiceQuota } from "@cdktf/provider-aws/lib/data-aws-servicequotas-service-quota";
import type { TerraformDataSource } from "cdktf";
import { Construct } from "constructs";
import { ELASTIC_IP_QUOTA, type InstanceTypeZones, type PlannedElasticIps } from "../../plan/aws-facts";

export interface AwsFactChecksProps {
  readonly region: string;
  /** Each instance type with the AZs its node groups need it in. */
  readonly instanceTypes: readonly InstanceTypeZones[];
  /** The Elastic IPs the plan allocates. */
  readonly elasticIps: PlannedElasticIps;
  /** The tags every one of this environment's Elastic IPs carries (its provider's default tags). */
  readonly ownTags: Readonly<Record<string, string>>;
  /** Control-plane AZs whose zone ID must not be one of the listed. */
  readonly controlPlaneZones: ReadonlyArray<{ readonly az: string; readonly unsupportedZoneIds: readonly string[] }>;
}

/**
 * An HCL list of strings: ["a", "b"], for inside an interpolation. Messages keep double quotes out of
 * their literal text: cdktf's HCL export does not escape them.
 */
const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

/** The address a condition refers to a data source by. */
const address = (source: TerraformDataSource) => `data.${source.terraformResourceType}.${source.friendlyUniqueId}`;

/**
 * Facts about the account and region the plan depends on, read at plan time by data sources whose
 * postconditions stop the plan, before anything is created, with a message naming the values and the
 * fix (cdktf 0.21 has no check blocks; a postcondition fails the plan, where a check would only warn):
 *
 * - every node group's instance type is offered in every AZ it runs in (aws_ec2_instance_type_offerings);
 * - the region's Elastic IP quota covers the addresses already allocated by others plus the plan's;
 *   this environment's own (tagged with its cluster) are counted once, so a second deploy passes;
 * - no control-plane subnet is in an AZ whose zone ID EKS refuses (aws_availability_zone: AZ names map
 *   to zone IDs per account).
 */
export class AwsFactChecks extends Construct {
  constructor(scope: Construct, id: string, props: AwsFactChecksProps) {
    super(scope, id);
    for (const { instanceType, groups } of props.instanceTypes) {
      new DataAwsEc2InstanceTypeOfferings(this, `offered-${instanceType.replace(/\./g, "-")}`, {
        locationType: "availability-zone",
        filter: [{ name: "instance-type", values: [instanceType] }],
        lifecycle: {
          postcondition: groups.map((g) => ({
            condition: `\${alltrue([for az in ${list(g.zones)} : contains(self.locations, az)])}`,
            errorMessage: `Node group ${g.name}: EC2 does not offer ${instanceType} in every AZ the group runs in (${g.zones.join(", ")}); it offers it in \${join(", ", self.locations)}. Pick an instance type offered in those AZs, or set the group's zones to AZs that offer ${instanceType}.`,
          })),
        },
      });
    }

    const allocated = new DataAwsEips(this, "allocated-elastic-ips", {});
    const own = new DataAwsEips(this, "own-elastic-ips", { tags: { ...props.ownTags } });
    const { total, natGateways, pods } = props.elasticIps;
    const others = `length(${address(allocated)}.public_ips) - length(${address(own)}.public_ips)`;
    new DataAwsServicequotasServiceQuota(this, "elastic-ip-quota", {
      serviceCode: ELASTIC_IP_QUOTA.serviceCode,
      quotaCode: ELASTIC_IP_QUOTA.quotaCode,
      lifecycle: {
        postcondition: [
          {
            condition: `\${self.value >= ${others} + ${total}}`,
            errorMessage: `The Elastic IP quota of ${props.region} (EC2-VPC Elastic IPs, ${ELASTIC_IP_QUOTA.quotaCode}) is \${self.value}, but \${${others}} addresses are allocated outside this environment and the plan needs ${total} (${natGateways} for NAT gateways, ${pods} for public-IP pods). Request an increase in Service Quotas, release unused Elastic IPs, or lower the public-IP pods' replicas.`,
          },
        ],
      },
    });

    for (const { az, unsupportedZoneIds } of props.controlPlaneZones) {
      new DataAwsAvailabilityZone(this, `control-plane-zone-${az}`, {
        name: az,
        lifecycle: {
          postcondition: [
            {
              condition: `\${!contains(${list(unsupportedZoneIds)}, self.zone_id)}`,
              errorMessage: `${az} is zone \${self.zone_id} in this account, where EKS creates no control-plane network interfaces (it refuses ${unsupportedZoneIds.join(", ")} in ${props.region}); cluster creation would fail with UnsupportedAvailabilityZoneException. Put the control plane in other AZs: give other AZs controlPlane subnets, or move this AZ's node subnet to another AZ.`,
            },
          ],
        },
      });
    }
  }
}
