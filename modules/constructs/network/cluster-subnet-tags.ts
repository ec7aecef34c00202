import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { Construct } from "constructs";
import { clusterSubnetTag } from "../../plan/subnet-tags";

export interface ClusterSubnetTagsProps {
  readonly clusterName: string;
  /** The subnets the cluster uses, each under a key that names it in the construct tree (node-us-east-1a). */
  readonly subnets: ReadonlyArray<{ readonly key: string; readonly subnetId: string }>;
}

/**
 * The cluster's kubernetes.io/cluster/<name> tag on each subnet it uses, one aws_ec2_tag each, so a
 * subnet can carry the tags of several clusters, each kept by its own environment: the network
 * stack's provider ignores that prefix on the subnets themselves (ignore_tags), and aws_ec2_tag is
 * exempt from ignore_tags. Destroying it removes this cluster's tag only, never the subnet.
 */
export class ClusterSubnetTags extends Construct {
  constructor(scope: Construct, id: string, props: ClusterSubnetTagsProps) {
    super(scope, id);
    const { key, value } = clusterSubnetTag(props.clusterName);
    for (const subnet of props.subnets) new Ec2Tag(this, subnet.key, { resourceId: subnet.subnetId, key, value });
  }
}
