import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { policyDocument } from '../iam-policy';

/**
 * The events Karpenter reacts to before EC2 acts (upstream's getting-started template, 1.14.1): the rule's id (a
 * Terraform address: never rename one), its source and detail-type.
 */
export const INTERRUPTION_EVENTS = [
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  {
    id: 'reservation-interruption',
    source: 'aws.ec2',
    detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
  },
] as const;

export interface KarpenterInterruptionQueueProps {
  /** Queue name (upstream names it after the cluster; SQS allows 1-80 of letters, digits, `-` and `_`). */
  readonly queueName: string;
  /** Prefix of the EventBridge rule names (`<prefix>-<event id>`). */
  readonly rulePrefix: string;
}

/**
 * The SQS queue Karpenter reads interruption events from (SQS-managed encryption, 5-minute retention: an event
 * older than that is useless), its policy (EventBridge and SQS may send; TLS only), and one EventBridge rule per
 * event kind targeting it.
 */
export class KarpenterInterruptionQueue extends Construct {
  public readonly queue: SqsQueue;
  public readonly policy: SqsQueuePolicy;
  public readonly rules: readonly CloudwatchEventRule[];
  public readonly targets: readonly CloudwatchEventTarget[];

  constructor(scope: Construct, id: string, props: KarpenterInterruptionQueueProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.queueName) && !/^[\w-]{1,80}$/.test(props.queueName)) {
      throw new Error(
        `KarpenterInterruptionQueue queueName: "${props.queueName}" is not an SQS queue name (1-80 of letters, digits, - and _)`,
      );
    }
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    this.policy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: policyDocument([
        {
          sid: 'EC2InterruptionEvents',
          principals: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
          actions: ['sqs:SendMessage'],
          resources: [this.queue.arn],
        },
        {
          sid: 'DenyHTTP',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['sqs:*'],
          resources: [this.queue.arn],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });
    this.rules = INTERRUPTION_EVENTS.map(
      (event) =>
        new CloudwatchEventRule(this, `rule-${event.id}`, {
          name: `${props.rulePrefix}-${event.id}`,
          description: `Karpenter: ${event.detailType} to its interruption queue`,
          eventPattern: JSON.stringify({ source: [event.source], 'detail-type': [event.detailType] }),
        }),
    );
    this.targets = this.rules.map(
      (rule, i) =>
        new CloudwatchEventTarget(this, `target-${INTERRUPTION_EVENTS[i].id}`, {
          rule: rule.name,
          targetId: 'KarpenterInterruptionQueueTarget',
          arn: this.queue.arn,
        }),
    );
  }
}
