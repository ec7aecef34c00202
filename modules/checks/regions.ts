/**
 * AWS regions as of 2026 (commercial, GovCloud, China, European Sovereign Cloud). A region missing
 * here is only a warning, so a region AWS opens later does not block anyone; add it when it appears.
 */
export const KNOWN_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eusc-de-east-1",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d$/;

/** An AZ name is its region's name and one letter: us-east-1a. (Local Zones are not supported.) */
export const isZoneOf = (az: string, region: string): boolean =>
  az.length === region.length + 1 && az.startsWith(region) && /[a-z]$/.test(az);

/**
 * The last zone letter of each region, from the zones AWS lists per region (2025-26): one account's
 * `aws ec2 describe-availability-zones` in every commercial region, as published in a public Terraform
 * configuration (2025), checked against the AWS Global Infrastructure counts (us-east-1 has 6 AZs,
 * us-west-2 and ap-northeast-2 4, the others 3) and jsonmaur/aws-regions (2021). Letters are not
 * always consecutive: ca-central-1 has a, b and d (zone IDs cac1-az1, az2, az4); ap-northeast-1b and
 * us-west-1b exist only for older accounts. A region missing here is not judged; a letter past its
 * last one is a warning (AWS may have added a zone), not an error.
 */
export const LAST_ZONE_LETTER: Readonly<Record<string, string>> = {
  "af-south-1": "c",
  "ap-east-1": "c",
  "ap-northeast-1": "d",
  "ap-northeast-2": "d",
  "ap-northeast-3": "c",
  "ap-south-1": "c",
  "ap-south-2": "c",
  "ap-southeast-1": "c",
  "ap-southeast-2": "c",
  "ap-southeast-3": "c",
  "ap-southeast-4": "c",
  "ap-southeast-5": "c",
  "ap-southeast-6": "c",
  "ap-southeast-7": "c",
  "ca-central-1": "d",
  "ca-west-1": "c",
  "cn-northwest-1": "c",
  "eu-central-1": "c",
  "eu-central-2": "c",
  "eu-north-1": "c",
  "eu-south-1": "c",
  "eu-south-2": "c",
  "eu-west-1": "c",
  "eu-west-2": "c",
  "eu-west-3": "c",
  "il-central-1": "c",
  "me-central-1": "c",
  "me-south-1": "c",
  "mx-central-1": "c",
  "sa-east-1": "c",
  "us-east-1": "f",
  "us-east-2": "c",
  "us-gov-east-1": "c",
  "us-gov-west-1": "c",
  "us-west-1": "c",
  "us-west-2": "d",
};
