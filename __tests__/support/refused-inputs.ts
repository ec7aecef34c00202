/**
 * Inputs a new user tries that the checks must refuse, each with the field it must name and a piece
 * of the message: the rule tests (input-checks.test.ts) hold each case, and no-stack-trace.test.ts
 * runs them all, with every fixture, through the synth command to prove none reaches a throw.
 */
import { edited, environmentText } from "./environments";

export interface RefusedInput {
  name: string;
  text: string;
  /** The field the error names, as formatPath prints it. */
  field: string;
  /** Part of the message. */
  message: string | RegExp;
}

const demo = (edit: Parameters<typeof edited>[1]) => edited("demo", edit);
const production = (edit: Parameters<typeof edited>[1]) => edited("production", edit);
const label = (key: string, value: string) => demo((d) => (d.nodeGroups[0].labels = { [key]: value }));
const taint = (t: Record<string, string>) => demo((d) => (d.nodeGroups[0].taints = [t]));
const tag = (key: string, value: string) => demo((d) => (d.tags = { [key]: value }));

export const REFUSED_INPUTS: RefusedInput[] = [
  // Instance types without an EKS AMI.
  {
    name: "a Mac instance type",
    text: demo((d) => (d.nodeGroups[0].instanceType = "mac2.metal")),
    field: "nodeGroups[0].instanceType",
    message: "no EKS-optimized AMI for mac2.metal",
  },
  {
    name: "a Mac instance type of another generation",
    text: demo((d) => (d.nodeGroups[0].instanceType = "mac1.metal")),
    field: "nodeGroups[0].instanceType",
    message: "no EKS-optimized AMI for mac1.metal",
  },
  {
    name: "an instance type AWS does not offer",
    text: demo((d) => (d.nodeGroups[0].instanceType = "m5.huge")),
    field: "nodeGroups[0].instanceType",
    message: "m5.huge",
  },
  // Node labels.
  {
    name: "a label key with a space, and a value with a comma and '='",
    text: label("team name", "a,b=c"),
    field: "nodeGroups[0].labels.team name",
    message: 'label key "team name" is not a Kubernetes label key',
  },
  {
    name: "a label value with a comma and '='",
    text: label("team", "a,b=c"),
    field: "nodeGroups[0].labels.team",
    message: 'the value "a,b=c" of label team',
  },
  {
    name: "a label value with a double quote",
    text: label("team", 'a"b'),
    field: "nodeGroups[0].labels.team",
    message: 'the value "a"b" of label team',
  },
  {
    name: "a label value over 63 characters",
    text: label("team", "x".repeat(64)),
    field: "nodeGroups[0].labels.team",
    message: "of label team is not empty or at most 63",
  },
  {
    name: "a node-role.kubernetes.io label, which the kubelet refuses",
    text: label("node-role.kubernetes.io/worker", ""),
    field: "nodeGroups[0].labels.node-role.kubernetes.io/worker",
    message: "the kubelet refuses to set kubernetes.io and k8s.io labels",
  },
  {
    name: "a k8s.io label",
    text: label("example.k8s.io/tier", "web"),
    field: "nodeGroups[0].labels.example.k8s.io/tier",
    message: "the kubelet refuses to set kubernetes.io and k8s.io labels",
  },
  {
    name: "a node-restriction.kubernetes.io label",
    text: label("node-restriction.kubernetes.io/fips", "true"),
    field: "nodeGroups[0].labels.node-restriction.kubernetes.io/fips",
    message: "NodeRestriction",
  },
  {
    name: "a label prefix that is no DNS subdomain",
    text: label("Example.COM/team", "a"),
    field: "nodeGroups[0].labels.Example.COM/team",
    message: 'its prefix "Example.COM" is not a DNS subdomain',
  },
  {
    name: "a label the project sets itself",
    text: label("eks.amazonaws.com/nodegroup", "other"),
    field: "nodeGroups[0].labels.eks.amazonaws.com/nodegroup",
    message: "is set by this project",
  },
  // Taints.
  {
    name: "a taint key with a space",
    text: taint({ key: "dedicated to", value: "x", effect: "NO_SCHEDULE" }),
    field: "nodeGroups[0].taints[0].key",
    message: 'taint key "dedicated to"',
  },
  {
    name: "a taint value with a comma",
    text: taint({ key: "dedicated", value: "a,b", effect: "NO_SCHEDULE" }),
    field: "nodeGroups[0].taints[0].value",
    message: 'taint value "a,b"',
  },
  {
    name: "a taint key over EKS's 63 characters",
    text: taint({ key: `example.com/${"k".repeat(60)}`, effect: "NO_EXECUTE" }),
    field: "nodeGroups[0].taints[0].key",
    message: "EKS takes at most 63",
  },
  {
    name: "two taints with one key and effect",
    text: demo(
      (d) =>
        (d.nodeGroups[0].taints = [
          { key: "dedicated", value: "a", effect: "NO_SCHEDULE" },
          { key: "dedicated", value: "b", effect: "NO_SCHEDULE" },
        ]),
    ),
    field: "nodeGroups[0].taints[1]",
    message: "a second taint dedicated with effect NO_SCHEDULE",
  },
  // Tags.
  { name: "an aws: tag key", text: tag("aws:team", "x"), field: "tags.aws:team", message: 'starting with "aws:"' },
  { name: "an AWS: tag key", text: tag("AWS:team", "x"), field: "tags.AWS:team", message: 'starting with "aws:"' },
  { name: "an aws: tag value", text: tag("team", "aws:x"), field: "tags.team", message: 'starting with "aws:"' },
  {
    name: "the project's Environment tag",
    text: tag("Environment", "prod"),
    field: "tags.Environment",
    message: "is one this project sets itself",
  },
  { name: "the project's Cluster tag", text: tag("Cluster", "c"), field: "tags.Cluster", message: "sets itself" },
  {
    name: "the project's ManagedBy tag",
    text: tag("ManagedBy", "me"),
    field: "tags.ManagedBy",
    message: "sets itself",
  },
  { name: "a Name tag", text: tag("Name", "n"), field: "tags.Name", message: "sets itself" },
  {
    name: "a kubernetes.io tag",
    text: tag("kubernetes.io/role/elb", "1"),
    field: "tags.kubernetes.io/role/elb",
    message: "sets itself",
  },
  {
    name: "a tag key with characters AWS refuses",
    text: tag("team#1", "x"),
    field: "tags.team#1",
    message: 'tag key "team#1" is not 1 to 128',
  },
  {
    name: "a tag value over 256 characters",
    text: tag("team", "v".repeat(257)),
    field: "tags.team",
    message: "is not up to 256",
  },
  {
    name: "more tags than AWS leaves room for",
    text: demo((d) => (d.tags = Object.fromEntries([...Array(41).keys()].map((i) => [`t${i}`, "x"])))),
    field: "tags",
    message: "41 tags",
  },
  // Add-on versions against the features turned on.
  {
    name: "a vpc-cni too old for prefix delegation",
    text: demo((d) => (d.cluster.addonVersions = { vpcCni: "v1.8.0-eksbuild.1" })),
    field: "cluster.addonVersions.vpcCni",
    message: "prefix delegation (cni.prefixDelegation) needs 1.9.0 or later",
  },
  {
    name: "a vpc-cni without the add-on's eniConfig, with custom networking",
    text: demo((d) => (d.cluster.addonVersions = { vpcCni: "v1.14.1-eksbuild.1" })),
    field: "cluster.addonVersions.vpcCni",
    message: "eniConfig configuration (ENIConfigs per AZ, for custom networking) needs 1.15.0",
  },
  {
    name: "a vpc-cni older than external SNAT",
    text: edited("public-pods", (d) => (d.cluster.addonVersions = { vpcCni: "v1.0.0-eksbuild.1" })),
    field: "cluster.addonVersions.vpcCni",
    message: "external SNAT (cni.externalSnat) needs 1.1.0",
  },
  // The environment's name, where it goes.
  {
    name: "a name HCP Terraform refuses (a space)",
    text: production((d) => (d.name = "prod eu")),
    field: "backend.workspacePrefix",
    message: "HCP Terraform (workspace names) refuses",
  },
  {
    name: "a name that is no folder name",
    text: demo((d) => (d.name = "eu/prod")),
    field: "name",
    message: "the file system (a folder name",
  },
  {
    name: "a name of dots",
    text: demo((d) => (d.name = "..")),
    field: "name",
    message: "not . or .. alone",
  },
  {
    name: "an S3 key character S3 refuses",
    text: demo((d) => {
      d.name = "prod{1}";
      d.backend = { type: "s3", bucket: "state-bucket", region: "us-east-1" };
    }),
    field: "backend.keyPrefix",
    message: "S3 (object keys) refuses",
  },
  // Acknowledging a warning that does not exist.
  {
    name: "an acknowledgement of an unknown warning id",
    text: demo((d) => (d.acknowledgedWarnings = { "open-endpoint": "x" })),
    field: "acknowledgedWarnings.open-endpoint",
    message: 'did you mean "open-api-endpoint"',
  },
  // YAML.
  {
    name: "a tab in the indentation",
    text: environmentText("demo").replace("\n  vpcCidr", "\n\tvpcCidr"),
    field: "",
    message: "a tab in the indentation",
  },
];
