/**
 * The rest of the inventory: services the project has no SDK client for (ECR, CloudWatch Logs and alarms, KMS,
 * SQS, SNS, EventBridge), asked with one plain HTTP call each in their own protocol (JSON with X-Amz-Target, or
 * the query protocol). moto does not check signatures; it reads the service and region from the credential scope,
 * so a syntactically valid Authorization header is all it needs.
 */
import type { Inventory } from './emulator-inventory';

type Json = Record<string, unknown>;

function authorization(service: string, region: string): string {
  return `AWS4-HMAC-SHA256 Credential=emulator/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`;
}

async function call(
  endpoint: string,
  region: string,
  service: string,
  request: { contentType: string; target?: string; body: string },
): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization: authorization(service, region),
      'content-type': request.contentType,
      'x-amz-date': '20260101T000000Z',
      ...(request.target !== undefined && { 'x-amz-target': request.target }),
    },
    body: request.body,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${service} ${request.target ?? request.body}: HTTP ${response.status} ${text}`);
  return text;
}

/** A JSON-protocol operation (`AmazonEC2ContainerRegistry_V20150921.DescribeRepositories`). */
export async function jsonCall(
  endpoint: string,
  region: string,
  service: string,
  target: string,
  body: Json = {},
): Promise<Json> {
  const text = await call(endpoint, region, service, {
    contentType: 'application/x-amz-json-1.1',
    target,
    body: JSON.stringify(body),
  });
  return JSON.parse(text || '{}') as Json;
}

/** A query-protocol operation's answer, reduced to the texts of one element (`TopicArn`). */
export async function queryCall(
  endpoint: string,
  region: string,
  service: string,
  params: Record<string, string>,
  element: string,
): Promise<string[]> {
  const text = await call(endpoint, region, service, {
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(params).toString(),
  });
  return [...text.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((m) => m[1] as string);
}

const strings = (items: unknown, key: string): string[] =>
  ((items ?? []) as Json[]).map((item) => String(item[key]));

/** ECR repositories, log groups, KMS keys not scheduled for deletion, queues, topics, rules, alarms. */
export async function moreInventory(endpoint: string, region: string): Promise<Inventory> {
  const json = (service: string, target: string, body?: Json) =>
    jsonCall(endpoint, region, service, target, body);
  const [repositories, logGroups, keys, aliases, queues, rules, topics, alarms] = await Promise.all([
    json('ecr', 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories'),
    json('logs', 'Logs_20140328.DescribeLogGroups'),
    json('kms', 'TrentService.ListKeys'),
    json('kms', 'TrentService.ListAliases'),
    json('sqs', 'AmazonSQS.ListQueues'),
    json('events', 'AWSEvents.ListRules'),
    queryCall(endpoint, region, 'sns', { Action: 'ListTopics', Version: '2010-03-31' }, 'TopicArn'),
    queryCall(
      endpoint,
      region,
      'monitoring',
      { Action: 'DescribeAlarms', Version: '2010-08-01' },
      'AlarmName',
    ),
  ]);
  // AWS-managed keys (`alias/aws/dynamodb`, which moto creates with a table's encryption) are the account's own.
  const managed = new Set(
    ((aliases.Aliases ?? []) as Json[])
      .filter((a) => String(a.AliasName).startsWith('alias/aws/'))
      .map((a) => String(a.TargetKeyId)),
  );
  const keyStates = await Promise.all(
    strings(keys.Keys, 'KeyId')
      .filter((id) => !managed.has(id))
      .map(async (id) => {
        const described = await json('kms', 'TrentService.DescribeKey', { KeyId: id });
        return { id, state: String((described.KeyMetadata as Json | undefined)?.KeyState) };
      }),
  );
  return {
    ecrRepositories: strings(repositories.repositories, 'repositoryName'),
    logGroups: strings(logGroups.logGroups, 'logGroupName'),
    // KMS keys cannot be deleted at once: a destroyed key is scheduled for deletion.
    kmsKeys: keyStates.filter((k) => k.state !== 'PendingDeletion').map((k) => k.id),
    sqsQueues: ((queues.QueueUrls ?? []) as string[]).map(String),
    eventRules: strings(rules.Rules, 'Name'),
    snsTopics: topics,
    cloudwatchAlarms: alarms,
  };
}
