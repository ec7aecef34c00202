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
