/**
 * What AWS-managed policies grant, as far as the cart's rules care: the DynamoDB actions (or everything) they
 * allow. The grants are taken from the policies' published documents (AWS Managed Policy Reference). A policy not
 * listed here is unknown: rules that must prove a permission is missing stay silent rather than guess.
 */
export interface ManagedGrant {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
}

const NO_DYNAMODB: readonly ManagedGrant[] = [];

export const AWS_MANAGED_POLICIES: Readonly<Record<string, readonly ManagedGrant[]>> = {
  AdministratorAccess: [{ actions: ['*'] }],
  PowerUserAccess: [{ notActions: ['iam:*', 'organizations:*', 'account:*'] }],
  AmazonDynamoDBFullAccess: [{ actions: ['dynamodb:*'] }],
  AmazonDynamoDBFullAccess_v2: [{ actions: ['dynamodb:*'] }],
  AmazonDynamoDBFullAccesswithDataPipeline: [{ actions: ['dynamodb:*'] }],
  AmazonDynamoDBReadOnlyAccess: [
    {
      actions: [
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:Describe*',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetResourcePolicy',
        'dynamodb:GetShardIterator',
        'dynamodb:List*',
        'dynamodb:PartiQLSelect',
        'dynamodb:Query',
        'dynamodb:Scan',
      ],
    },
  ],
  ReadOnlyAccess: [
    {
      actions: [
        'dynamodb:BatchGet*',
        'dynamodb:Describe*',
        'dynamodb:Get*',
        'dynamodb:List*',
        'dynamodb:PartiQLSelect',
        'dynamodb:Query',
        'dynamodb:Scan',
      ],
    },
  ],
  AWSLambdaDynamoDBExecutionRole: [
    {
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
    },
  ],
  AmazonEKSWorkerNodePolicy: NO_DYNAMODB,
  AmazonEKS_CNI_Policy: NO_DYNAMODB,
  AmazonEKSClusterPolicy: NO_DYNAMODB,
  AmazonEKSVPCResourceController: NO_DYNAMODB,
  AmazonEC2ContainerRegistryReadOnly: NO_DYNAMODB,
  AmazonEC2ContainerRegistryPullOnly: NO_DYNAMODB,
  AmazonSSMManagedInstanceCore: NO_DYNAMODB,
  AmazonEBSCSIDriverPolicy: NO_DYNAMODB,
  AmazonEBSCSIDriverPolicyV2: NO_DYNAMODB,
  CloudWatchAgentServerPolicy: NO_DYNAMODB,
  AWSXrayWriteOnlyAccess: NO_DYNAMODB,
  AWSXRayDaemonWriteAccess: NO_DYNAMODB,
  AmazonPrometheusRemoteWriteAccess: NO_DYNAMODB,
  AmazonS3ReadOnlyAccess: NO_DYNAMODB,
  CloudWatchLogsFullAccess: NO_DYNAMODB,
};

/** The name of an AWS-managed policy ARN (`arn:aws:iam::aws:policy/service-role/X` → `X`). */
export function awsManagedPolicyName(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}
