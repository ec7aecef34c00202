import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { KARPENTER_INTERRUPTION_EVENTS } from "../../plan/node-pools";

export interface InterruptionQueueProps {
  /** The queue's name (plan/names.ts): Karpenter's settings.interruptionQueue. */
  readonly queueName: string;
  /** Each EventBridge rule's name, by the event's short name (plan/node-pools.ts). */
  readonly ruleNameFor: (event: string) => string;
}

/**
 * Karpenter's interruption queue, as its reference (v1.14 cloudformation.yaml) makes it: messages
 * kept 300 seconds, encrypted with SQS-owned keys, sent only by EventBridge (and SQS) and only over
 * TLS; and one EventBridge rule per event Karpenter acts on (spot interruptions, rebalance
 * recommendations, scheduled health events, instance state changes, capacity reservation
 * interruptions), each delivering to the queue. Karpenter then drains a node before EC2 takes it away.
 */
export class InterruptionQueue extends Construct {
  readonly queueArn: string;
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    const queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      policyId: "EC2InterruptionPolicy",
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["events.amazonaws.com", "sqs.amazonaws.com"] }],
          actions: ["sqs:SendMessage"],
          resources: [queue.arn],
        },
        {
          sid: "DenyHTTP",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sqs:*"],
          resources: [queue.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new SqsQueuePolicy(this, "policy", { queueUrl: queue.url, policy: policy.json });
    for (const event of KARPENTER_INTERRUPTION_EVENTS) {
      const rule = new CloudwatchEventRule(this, `rule-${event.name}`, {
        name: props.ruleNameFor(event.name),
        description: `Karpenter interruption events: ${event.detailType}`,
        eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `target-${event.name}`, {
        rule: rule.name,
        targetId: "KarpenterInterruptionQueueTarget",
        arn: queue.arn,
      });
    }
    this.queueArn = queue.arn;
    this.queueName = queue.name;
  }
}
