import { describe, expect, test } from 'vitest';
import { FargateProfile, type FargateProfileProps } from '../../modules/fargate-profile';
import {
  buildTestPlatform,
  onlyResource,
  parsePolicy,
  resourcesOf,
  synthScope,
  synthStack,
} from '../helpers/synth';

const PROPS: FargateProfileProps = {
  clusterName: 'retail-dev-eksdemo',
  clusterNameLiteral: 'retail-dev-eksdemo',
  name: 'karpenter',
  namespace: 'karpenter',
  subnetIds: ['subnet-private-a', 'subnet-private-b'],
  partition: 'aws',
  region: 'us-east-1',
  accountId: '123456789012',
};

describe('FargateProfile', () => {
  test('the profile selects the namespace on the given (private) subnets, after its role has its policy', () => {
    const json = synthScope((scope) => new FargateProfile(scope, 'fargate', PROPS));
    const profile = onlyResource(json, 'aws_eks_fargate_profile');
    expect(profile).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      fargate_profile_name: 'karpenter',
      subnet_ids: ['subnet-private-a', 'subnet-private-b'],
      selector: [{ namespace: 'karpenter' }],
    });
    expect(String(profile.pod_execution_role_arn)).toMatch(
      /^\$\{aws_iam_role\.fargate_pod-execution-role_\w+\.arn\}$/,
    );
    expect(profile.depends_on).toEqual([
      expect.stringMatching(/^aws_iam_role_policy_attachment\.fargate_pod-execution-policy_\w+$/),
    ]);
  });

  test('the pod execution role: eks-fargate-pods only for this cluster’s profiles, the managed execution policy', () => {
    const json = synthScope((scope) => new FargateProfile(scope, 'fargate', PROPS));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('retail-dev-eksdemo-fargate-karpenter');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: {
            'aws:SourceArn': 'arn:aws:eks:us-east-1:123456789012:fargateprofile/retail-dev-eksdemo/*',
          },
        },
      },
    ]);
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy',
    );
  });

  test('labels narrow the selector', () => {
    const json = synthScope(
      (scope) =>
        new FargateProfile(scope, 'fargate', { ...PROPS, labels: { 'app.kubernetes.io/name': 'karpenter' } }),
    );
    expect(onlyResource(json, 'aws_eks_fargate_profile').selector).toEqual([
      { namespace: 'karpenter', labels: { 'app.kubernetes.io/name': 'karpenter' } },
    ]);
  });

  test.each<[string, Partial<FargateProfileProps>, string]>([
    ['namespace', { namespace: 'Karpenter' }, 'FargateProfile namespace: "Karpenter" must be a DNS label'],
    ['name', { name: 'kube_system' }, 'FargateProfile name: "kube_system" must be a DNS label'],
    ['subnetIds', { subnetIds: [] }, 'FargateProfile subnetIds: [] — give the private subnets'],
  ])('refuses a bad %s', (_, bad, message) => {
    expect(() => synthScope((scope) => new FargateProfile(scope, 'fargate', { ...PROPS, ...bad }))).toThrow(
      message,
    );
  });
});

describe('the cluster stack’s Fargate option', () => {
  const clusterJson = (overrides?: Parameters<typeof buildTestPlatform>[1], environment = 'dev') =>
    synthStack(buildTestPlatform(environment, overrides).stacks.cluster as never);

  test.each(['dev', 'prod'])('%s: off by default — no profile, no execution role', (environment) => {
    const json = clusterJson(undefined, environment);
    expect(resourcesOf(json, 'aws_eks_fargate_profile')).toEqual([]);
    expect(resourcesOf(json, 'aws_iam_role').map((r) => r.name)).not.toContain(
      expect.stringContaining('-fargate-'),
    );
  });

  test('on: a profile for the configured namespace on the private subnets only', () => {
    const json = clusterJson({ cluster: { fargate: { enabled: true, namespace: 'karpenter' } } });
    const profile = onlyResource(json, 'aws_eks_fargate_profile');
    expect(profile.selector).toEqual([{ namespace: 'karpenter' }]);
    const subnets = (profile.subnet_ids as string[]).join(' ');
    expect(subnets).toContain('private');
    expect(subnets).not.toContain('public');
    const role = resourcesOf(json, 'aws_iam_role').find(
      (r) => r.name === 'retail-dev-eksdemo-fargate-karpenter',
    );
    expect(JSON.stringify(parsePolicy(role?.assume_role_policy).Statement[0].Condition)).toContain(
      ':eks:us-east-1:${data.aws_caller_identity.caller.account_id}:fargateprofile/retail-dev-eksdemo/*',
    );
  });
});
