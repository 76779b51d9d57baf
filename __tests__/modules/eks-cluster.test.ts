import { describe, expect, test } from 'vitest';
import { EksCluster, type EksClusterProps } from '../../modules/eks-cluster';
import { onlyResource, parsePolicy, resourcesOf, synthScope } from '../helpers/synth';

const PROPS: EksClusterProps = {
  name: 'retail-dev-eksdemo',
  kubernetesVersion: '1.34',
  subnetIds: ['subnet-a', 'subnet-b'],
  partition: 'aws',
};

describe('EksCluster', () => {
  test('minimal props: private subnets, both endpoints, all log types, KMS secrets encryption, API auth', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', PROPS));
    const cluster = onlyResource(json, 'aws_eks_cluster');
    expect(cluster.name).toBe('retail-dev-eksdemo');
    expect(cluster.version).toBe('1.34');
    expect(cluster.enabled_cluster_log_types).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    expect(cluster.vpc_config).toEqual({
      subnet_ids: ['subnet-a', 'subnet-b'],
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['0.0.0.0/0'],
    });
    expect(cluster.encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.eks_secrets-key_[0-9A-F]+\.arn\}$/) },
    });
    expect(cluster.access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: true,
    });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(cluster.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('creatorAdmin false: the creator gets no access entry of its own', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', { ...PROPS, creatorAdmin: false }));
    expect(onlyResource(json, 'aws_eks_cluster').access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
  });

  test('upgradePolicy EXTENDED is passed through', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', { ...PROPS, upgradePolicy: 'EXTENDED' }));
    expect(onlyResource(json, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'EXTENDED' });
  });

  test('deletionProtection sets prevent_destroy', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', { ...PROPS, deletionProtection: true }));
    expect(onlyResource(json, 'aws_eks_cluster').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the secrets key rotates and has an alias', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', PROPS));
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/retail-dev-eksdemo-eks-secrets');
  });

  test('the log group exists before the cluster, with retention', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', { ...PROPS, logRetentionDays: 90 }));
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({
      name: '/aws/eks/retail-dev-eksdemo/cluster',
      retention_in_days: 90,
    });
    const dependsOn = onlyResource(json, 'aws_eks_cluster').depends_on as string[];
    expect(dependsOn.some((d) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
    expect(dependsOn.some((d) => d.startsWith('aws_iam_role_policy_attachment.'))).toBe(true);
  });

  test('the cluster role is trusted by EKS and carries AmazonEKSClusterPolicy', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', PROPS));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('retail-dev-eksdemo-cluster');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ]);
    expect(onlyResource(json, 'aws_iam_role_policy_attachment').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    );
  });

  test('the OIDC provider keeps IRSA possible', () => {
    const json = synthScope((scope) => new EksCluster(scope, 'eks', PROPS));
    const oidc = onlyResource(json, 'aws_iam_openid_connect_provider');
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.url).toMatch(
      /^\$\{aws_eks_cluster\.eks_cluster_[0-9A-F]+\.identity\[0\]\.oidc\[0\]\.issuer\}$/,
    );
  });

  test('restricted public endpoint and deletion protection', () => {
    const json = synthScope(
      (scope) =>
        new EksCluster(scope, 'eks', {
          ...PROPS,
          publicAccessCidrs: ['203.0.113.0/24'],
          deletionProtection: true,
        }),
    );
    const cluster = onlyResource(json, 'aws_eks_cluster');
    expect((cluster.vpc_config as Record<string, unknown>).public_access_cidrs).toEqual(['203.0.113.0/24']);
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('private-only endpoint omits public CIDRs', () => {
    const json = synthScope(
      (scope) => new EksCluster(scope, 'eks', { ...PROPS, endpointPublicAccess: false }),
    );
    const vpcConfig = onlyResource(json, 'aws_eks_cluster').vpc_config as Record<string, unknown>;
    expect(vpcConfig.endpoint_public_access).toBe(false);
    expect(vpcConfig.public_access_cidrs).toBeUndefined();
    expect(resourcesOf(json, 'aws_eks_cluster')).toHaveLength(1);
  });

  test.each<[string, Partial<EksClusterProps>, string]>([
    [
      'the version is not a minor version',
      { kubernetesVersion: '1.34.2' },
      'kubernetesVersion: "1.34.2" must be a minor version such as 1.34',
    ],
    ['a log type is unknown', { logTypes: ['api', 'kubelet' as never] }, 'logTypes: kubelet not allowed'],
    [
      'the upgrade policy is unknown',
      { upgradePolicy: 'FOREVER' as never },
      'EksCluster upgradePolicy: "FOREVER" not allowed; use STANDARD or EXTENDED',
    ],
    [
      'public access has no CIDRs',
      { publicAccessCidrs: [] },
      'publicAccessCidrs: empty with endpointPublicAccess=true',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() => synthScope((scope) => new EksCluster(scope, 'eks', { ...PROPS, ...override }))).toThrow(
      message,
    );
  });
});
