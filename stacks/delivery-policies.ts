/**
 * The delivery roles' permissions, as narrow as the AWS APIs allow: everything the environment names (cluster,
 * table, repository, IAM roles and policies under `<cluster name>-`, the log group, the state keys `<env>/…`) is
 * scoped by ARN; what AWS only authorizes on `*` (EC2 networking, KMS CreateKey, reads) is held to the region or
 * to the environment's tag.
 */
import type { PolicyStatement } from '../modules/iam-policy';

/** The names and ARNs one environment's delivery roles are scoped to. */
export interface DeliveryScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The environment name (state keys `<env>/…`, the `Environment` tag). */
  readonly environment: string;
  /** The EKS cluster name; also the prefix of every IAM role, policy and KMS alias the stacks create. */
  readonly clusterName: string;
  readonly tableName: string;
  readonly repositoryArn: string;
  readonly stateBucketArn: string;
  /** A DynamoDB lock table, when the environment uses one instead of S3 lock files. */
  readonly lockTableName?: string;
}

const inRegion = (s: DeliveryScope) => ({ StringEquals: { 'aws:RequestedRegion': s.region } });
const arn = (s: DeliveryScope, service: string, resource: string, region = s.region) =>
  `arn:${s.partition}:${service}:${region}:${s.accountId}:${resource}`;

/** Describe/List/Get of what the stacks manage — no data reads (no DynamoDB items, no S3 objects, no secrets). */
export function readStatements(s: DeliveryScope): PolicyStatement[] {
  return [
    {
      sid: 'DescribeInRegion',
      actions: [
        'ec2:Describe*',
        'eks:Describe*',
        'eks:List*',
        'dynamodb:DescribeTable',
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:ListTagsOfResource',
        'ecr:DescribeRepositories',
        'ecr:GetLifecyclePolicy',
        'ecr:GetRepositoryPolicy',
        'ecr:ListTagsForResource',
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListAliases',
        'kms:ListResourceTags',
        'logs:DescribeLogGroups',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
      ],
      resources: ['*'],
      conditions: inRegion(s),
    },
    {
      sid: 'ReadIam',
      actions: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListPolicyVersions',
        'iam:GetOpenIDConnectProvider',
        'iam:ListInstanceProfilesForRole',
      ],
      resources: [
        `arn:${s.partition}:iam::${s.accountId}:role/*`,
        `arn:${s.partition}:iam::${s.accountId}:policy/*`,
        `arn:${s.partition}:iam::aws:policy/*`,
        `arn:${s.partition}:iam::${s.accountId}:oidc-provider/*`,
      ],
    },
    ...stateReadStatements(s),
  ];
}

/** The environment's state objects: read only (plan runs with -lock=false). */
function stateReadStatements(s: DeliveryScope): PolicyStatement[] {
  return [
    {
      sid: 'ListOwnStateKeys',
      actions: ['s3:ListBucket'],
      resources: [s.stateBucketArn],
      conditions: { StringLike: { 's3:prefix': [`${s.environment}/*`] } },
    },
    { sid: 'ReadOwnState', actions: ['s3:GetObject'], resources: [`${s.stateBucketArn}/${s.environment}/*`] },
  ];
}

/** ECR push to the one repository; GetAuthorizationToken has no resource-level permissions. */
export function publisherStatements(s: DeliveryScope): PolicyStatement[] {
  return [
    { sid: 'RegistryLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    {
      sid: 'PushCartImage',
      actions: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:CompleteLayerUpload',
        'ecr:DescribeImages',
        'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      resources: [s.repositoryArn],
    },
  ];
}

/** What `npm run deploy` of the environment changes, beyond the reads. */
export function deployerStatements(s: DeliveryScope): PolicyStatement[] {
  return [
    ...readStatements(s),
    ...stateWriteStatements(s),
    ...networkStatements(s),
    ...clusterStatements(s),
    ...iamStatements(s),
    ...dataStatements(s),
  ];
}

function stateWriteStatements(s: DeliveryScope): PolicyStatement[] {
  return [
    {
      sid: 'WriteOwnStateAndLock',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [`${s.stateBucketArn}/${s.environment}/*`],
    },
    ...(s.lockTableName === undefined
      ? []
      : [
          {
            sid: 'LockTable',
            actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
            resources: [arn(s, 'dynamodb', `table/${s.lockTableName}`)],
          },
        ]),
  ];
}

/** EC2's VPC APIs mostly authorize on `*` at creation: held to the environment's region. */
function networkStatements(s: DeliveryScope): PolicyStatement[] {
  const verbs = ['Create', 'Delete', 'Modify', 'Associate', 'Disassociate', 'Attach', 'Detach'];
  return [
    {
      sid: 'NetworkAndLaunchTemplates',
      actions: [
        ...verbs.map((verb) => `ec2:${verb}*`),
        'ec2:AllocateAddress',
        'ec2:ReleaseAddress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:ReplaceRoute',
        'ec2:RunInstances',
      ],
      resources: ['*'],
      conditions: inRegion(s),
    },
  ];
}

function clusterStatements(s: DeliveryScope): PolicyStatement[] {
  const c = s.clusterName;
  return [
    {
      sid: 'OwnCluster',
      actions: ['eks:*'],
      resources: [
        arn(s, 'eks', `cluster/${c}`),
        ...['nodegroup', 'addon', 'access-entry', 'podidentityassociation'].map((kind) =>
          arn(s, 'eks', `${kind}/${c}/*`),
        ),
      ],
    },
    {
      sid: 'ClusterLogs',
      actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource'],
      resources: [arn(s, 'logs', `log-group:/aws/eks/${c}/*`)],
    },
    {
      sid: 'CreateTaggedKeys',
      actions: ['kms:CreateKey', 'kms:TagResource'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:RequestTag/Environment': s.environment, ...inRegion(s).StringEquals },
      },
    },
    {
      sid: 'ManageOwnKeys',
      actions: [
        'kms:EnableKeyRotation',
        'kms:PutKeyPolicy',
        'kms:ScheduleKeyDeletion',
        'kms:CreateGrant',
        'kms:UntagResource',
      ],
      resources: [arn(s, 'kms', 'key/*')],
      conditions: { StringEquals: { 'aws:ResourceTag/Environment': s.environment } },
    },
    {
      sid: 'OwnAliases',
      actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      resources: [arn(s, 'kms', `alias/${c}-*`), arn(s, 'kms', 'key/*')],
    },
  ];
}

/** Roles and policies named `<cluster>-…` only; PassRole only for them, only to the services that use them. */
function iamStatements(s: DeliveryScope): PolicyStatement[] {
  const iam = (resource: string) => `arn:${s.partition}:iam::${s.accountId}:${resource}`;
  return [
    {
      sid: 'OwnRolesAndPolicies',
      actions: [
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:UpdateRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:CreatePolicy',
        'iam:DeletePolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:TagPolicy',
      ],
      resources: [iam(`role/${s.clusterName}-*`), iam(`policy/${s.clusterName}-*`)],
    },
    {
      sid: 'PassOwnRoles',
      actions: ['iam:PassRole'],
      resources: [iam(`role/${s.clusterName}-*`)],
      conditions: {
        StringEquals: {
          'iam:PassedToService': ['eks.amazonaws.com', 'ec2.amazonaws.com', 'pods.eks.amazonaws.com'],
        },
      },
    },
    {
      sid: 'ClusterOidcProvider',
      actions: [
        'iam:CreateOpenIDConnectProvider',
        'iam:DeleteOpenIDConnectProvider',
        'iam:TagOpenIDConnectProvider',
        'iam:UpdateOpenIDConnectProviderThumbprint',
      ],
      resources: [iam(`oidc-provider/oidc.eks.${s.region}.amazonaws.com/*`)],
    },
    {
      sid: 'EksServiceLinkedRoles',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'iam:AWSServiceName': ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'] },
      },
    },
  ];
}

function dataStatements(s: DeliveryScope): PolicyStatement[] {
  const table = arn(s, 'dynamodb', `table/${s.tableName}`);
  return [
    {
      sid: 'CartTable',
      actions: [
        'dynamodb:CreateTable',
        'dynamodb:DeleteTable',
        'dynamodb:UpdateTable',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateTimeToLive',
        'dynamodb:TagResource',
        'dynamodb:UntagResource',
      ],
      resources: [table, `${table}/index/*`],
    },
    {
      sid: 'CartRepository',
      actions: [
        'ecr:CreateRepository',
        'ecr:DeleteRepository',
        'ecr:PutImageScanningConfiguration',
        'ecr:PutImageTagMutability',
        'ecr:PutLifecyclePolicy',
        'ecr:DeleteLifecyclePolicy',
        'ecr:TagResource',
        'ecr:UntagResource',
      ],
      resources: [s.repositoryArn],
    },
  ];
}
