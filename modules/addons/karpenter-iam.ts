/**
 * The Karpenter controller's permissions: upstream's getting-started CloudFormation template for 1.14.1
 * (NodeLifecycle, IAMIntegration, EKSIntegration, Interruption, ZonalShift and ResourceDiscovery policies), as
 * typed statements with the template's parameters bound to this cluster. Every resource is scoped as upstream
 * scopes it: EC2 writes by the `kubernetes.io/cluster/<name>` and `karpenter.sh/nodepool` tags, iam:PassRole to
 * the node role only, the queue actions to this queue only. Bump together with the chart.
 */
import type { PolicyStatement } from '../iam-policy';

/** The values the upstream template takes as parameters or pseudo parameters. */
export interface KarpenterIamScope {
  /** The cluster's name, known at synth: condition keys embed it, and keys cannot be Terraform references. */
  readonly clusterName: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The node role Karpenter passes to its instances (the template's KarpenterNodeRole). */
  readonly nodeRoleArn: string;
  /** The interruption queue (the template's KarpenterInterruptionQueue). */
  readonly queueArn: string;
}

const CREATE_ACTIONS = ['ec2:RunInstances', 'ec2:CreateFleet'];
const TAGGED_KINDS = [
  'fleet',
  'instance',
  'volume',
  'network-interface',
  'launch-template',
  'spot-instances-request',
];

/**
 * The six upstream policies by name (kebab-case of the template's `<Name>Policy`), in the template's order: six
 * customer-managed policies as upstream has, since together they exceed an inline policy's 10,240 characters.
 */
export function karpenterControllerPolicies(scope: KarpenterIamScope): Record<string, PolicyStatement[]> {
  const [eks, interruption, zonalShift, ...discovery] = integrationAndDiscovery(scope);
  return {
    'node-lifecycle': nodeLifecycle(scope),
    'iam-integration': iamIntegration(scope),
    'eks-integration': [eks],
    interruption: [interruption],
    'zonal-shift': [zonalShift],
    'resource-discovery': discovery,
  };
}

function ec2Arn(s: KarpenterIamScope, kind: string, account = '*'): string {
  return `arn:${s.partition}:ec2:${s.region}:${account}:${kind}/*`;
}

function nodeLifecycle(s: KarpenterIamScope): PolicyStatement[] {
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned' };
  const ownedRequest = {
    [`aws:RequestTag/kubernetes.io/cluster/${s.clusterName}`]: 'owned',
    'aws:RequestTag/eks:eks-cluster-name': s.clusterName,
  };
  const taggedResources = TAGGED_KINDS.map((kind) => ec2Arn(s, kind));
  return [
    {
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: CREATE_ACTIONS,
      resources: [
        ec2Arn(s, 'image', ''),
        ec2Arn(s, 'snapshot', ''),
        ...['security-group', 'subnet', 'capacity-reservation', 'placement-group'].map((k) => ec2Arn(s, k)),
      ],
    },
    {
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: CREATE_ACTIONS,
      resources: [ec2Arn(s, 'launch-template')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: [...CREATE_ACTIONS, 'ec2:CreateLaunchTemplate'],
      resources: taggedResources,
      conditions: { StringEquals: ownedRequest, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    },
    {
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: taggedResources,
      conditions: {
        StringEquals: {
          ...ownedRequest,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn(s, 'instance')],
      conditions: {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': s.clusterName },
        'ForAllValues:StringEquals': {
          'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
        },
      },
    },
    {
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2Arn(s, 'instance'), ec2Arn(s, 'launch-template')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
  ];
}

function iamIntegration(s: KarpenterIamScope): PolicyStatement[] {
  const profiles = `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
  const cluster = `kubernetes.io/cluster/${s.clusterName}`;
  const regionKey = 'topology.kubernetes.io/region';
  const requestTags = {
    [`aws:RequestTag/${cluster}`]: 'owned',
    'aws:RequestTag/eks:eks-cluster-name': s.clusterName,
    [`aws:RequestTag/${regionKey}`]: s.region,
  };
  const resourceTags = {
    [`aws:ResourceTag/${cluster}`]: 'owned',
    [`aws:ResourceTag/${regionKey}`]: s.region,
  };
  const nodeClass = 'karpenter.k8s.aws/ec2nodeclass';
  return [
    {
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [s.nodeRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [profiles],
      conditions: { StringEquals: requestTags, StringLike: { [`aws:RequestTag/${nodeClass}`]: '*' } },
    },
    {
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [profiles],
      conditions: {
        StringEquals: { ...resourceTags, ...requestTags },
        StringLike: { [`aws:ResourceTag/${nodeClass}`]: '*', [`aws:RequestTag/${nodeClass}`]: '*' },
      },
    },
    {
      sid: 'AllowScopedInstanceProfileActions',
      actions: [
        'iam:AddRoleToInstanceProfile',
        'iam:RemoveRoleFromInstanceProfile',
        'iam:DeleteInstanceProfile',
      ],
      resources: [profiles],
      conditions: { StringEquals: resourceTags, StringLike: { [`aws:ResourceTag/${nodeClass}`]: '*' } },
    },
  ];
}

function integrationAndDiscovery(s: KarpenterIamScope): PolicyStatement[] {
  const clusterArn = `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
  return [
    { sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [clusterArn] },
    {
      sid: 'AllowInterruptionQueueActions',
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      resources: [s.queueArn],
    },
    {
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
    },
    {
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': s.region } },
    },
    {
      sid: 'AllowSSMReadActions',
      actions: ['ssm:GetParameter'],
      resources: [`arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`],
    },
    { sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] },
    {
      sid: 'AllowUnscopedInstanceProfileListAction',
      actions: ['iam:ListInstanceProfiles'],
      resources: ['*'],
    },
    { sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [profiles(s)] },
  ];
}

function profiles(s: KarpenterIamScope): string {
  return `arn:${s.partition}:iam::${s.accountId}:instance-profile/*`;
}
