import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { policyDocument } from '../iam-policy';

export interface AlarmTopicProps {
  /** Topic name (the key's alias is `alias/<topicName>`). */
  readonly topicName: string;
  /** The account (administers the key). */
  readonly accountId: string;
  /** The AWS partition. */
  readonly partition: string;
  /** An e-mail address subscribed to the topic (confirmed by the recipient). @default - no subscription */
  readonly email?: string;
}

/**
 * The SNS topic alarms notify, encrypted with a customer key CloudWatch may use. Not `alias/aws/sns`: CloudWatch
 * alarms cannot publish to a topic under the AWS-managed key (its policy cannot grant cloudwatch.amazonaws.com).
 */
export class AlarmTopic extends Construct {
  public readonly topic: SnsTopic;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`AlarmTopic email: "${props.email}" is not an e-mail address`);
    }
    this.key = new KmsKey(this, 'key', {
      description: `Alarm notifications (${props.topicName})`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          sid: 'AccountAdministers',
          principals: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
          actions: ['kms:*'],
          resources: ['*'],
        },
        {
          sid: 'CloudWatchPublishesAlarms',
          principals: { Service: 'cloudwatch.amazonaws.com' },
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    new KmsAlias(this, 'key-alias', { name: `alias/${props.topicName}`, targetKeyId: this.key.keyId });
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: this.key.arn });
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, 'email', {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: props.email,
      });
    }
  }
}
