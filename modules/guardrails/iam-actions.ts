/**
 * DynamoDB's IAM actions, grouped the way the rules need them (AWS Service Authorization Reference, "Actions defined
 * by Amazon DynamoDB"), and the actions of any service that support no resource-level permissions — the ones that
 * may only be granted on `Resource: "*"` (the exemption Checkov's CKV_AWS_355 makes, from the same reference).
 */

/** Actions that change or remove the table itself, its backups, replicas or policies: never the cart's business. */
export const TABLE_ADMINISTRATION_ACTIONS = [
  'dynamodb:CreateTable',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
  'dynamodb:CreateTableReplica',
  'dynamodb:DeleteTableReplica',
  'dynamodb:CreateGlobalTable',
  'dynamodb:UpdateGlobalTable',
  'dynamodb:UpdateGlobalTableSettings',
  'dynamodb:UpdateGlobalTableVersion',
  'dynamodb:CreateBackup',
  'dynamodb:DeleteBackup',
  'dynamodb:RestoreTableFromBackup',
  'dynamodb:RestoreTableToPointInTime',
  'dynamodb:RestoreTableFromAwsBackup',
  'dynamodb:StartAwsBackupJob',
  'dynamodb:ExportTableToPointInTime',
  'dynamodb:ImportTable',
  'dynamodb:UpdateContinuousBackups',
  'dynamodb:UpdateTimeToLive',
  'dynamodb:UpdateContributorInsights',
  'dynamodb:UpdateTableReplicaAutoScaling',
  'dynamodb:PutResourcePolicy',
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:EnableKinesisStreamingDestination',
  'dynamodb:DisableKinesisStreamingDestination',
  'dynamodb:UpdateKinesisStreamingDestination',
  'dynamodb:TagResource',
  'dynamodb:UntagResource',
] as const;

/** Data and read actions on a table (not administration). */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLUpdate',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeTimeToLive',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:DescribeContributorInsights',
  'dynamodb:DescribeKinesisStreamingDestination',
  'dynamodb:DescribeTableReplicaAutoScaling',
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:GetResourcePolicy',
  'dynamodb:ListTagsOfResource',
] as const;

/** Actions (or action patterns) that support no resource-level permissions: `Resource: "*"` is the only form. */
export const UNSCOPABLE_ACTIONS = [
  'dynamodb:DescribeEndpoints',
  'dynamodb:DescribeLimits',
  'dynamodb:DescribeReservedCapacity',
  'dynamodb:DescribeReservedCapacityOfferings',
  'dynamodb:ListBackups',
  'dynamodb:ListContributorInsights',
  'dynamodb:ListExports',
  'dynamodb:ListGlobalTables',
  'dynamodb:ListImports',
  'dynamodb:ListStreams',
  'dynamodb:ListTables',
  'dynamodb:PurchaseReservedCapacityOfferings',
  'sts:GetCallerIdentity',
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  'ecr:GetAuthorizationToken',
  'ec2:Describe*',
  'elasticloadbalancing:Describe*',
  'autoscaling:Describe*',
  'route53:ListHostedZones',
  'route53:ListHostedZonesByName',
  's3:ListAllMyBuckets',
  'kms:ListKeys',
  'kms:ListAliases',
  'secretsmanager:ListSecrets',
  'ssm:DescribeParameters',
  'tag:GetResources',
  'acm:ListCertificates',
  'sqs:ListQueues',
  'sns:ListTopics',
] as const;

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Whether an action (or action pattern) may only be granted on `*`. */
export function isUnscopable(action: string): boolean {
  return UNSCOPABLE_ACTIONS.some(
    (u) => u.toLowerCase() === action.toLowerCase() || globMatch(u, action, true),
  );
}
