import { TerraformOutput } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { AddonIdentity, type AddonIdentityProps } from '../../../modules/addons/addon-identity';
import { EksManagedAddon } from '../../../modules/addons/eks-managed-addon';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { CLUSTER, inlineStatements } from './fixtures';

const IDENTITY: Omit<AddonIdentityProps, 'cluster'> = {
  addonId: 'demo',
  namespace: 'demo-ns',
  serviceAccount: 'demo-sa',
  iam: {
    managedPolicies: ['AmazonEBSCSIDriverPolicyV2'],
    customerPolicies: [{ name: 'upstream', document: '{"Version":"2012-10-17","Statement":[]}' }],
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
  },
  roleName: 'c-demo',
};

describe('AddonIdentity', () => {
  test('a Pod Identity role for this cluster only, bound to the described namespace and service account', () => {
    const json = synthScope((scope) => new AddonIdentity(scope, 'id', { cluster: CLUSTER, ...IDENTITY }));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('c-demo');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': CLUSTER.clusterArn,
            'aws:RequestTag/kubernetes-namespace': 'demo-ns',
            'aws:RequestTag/kubernetes-service-account': 'demo-sa',
          },
        },
      }),
    ]);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      namespace: 'demo-ns',
      service_account: 'demo-sa',
    });
  });

  test('managed, customer and inline policies', () => {
    const json = synthScope((scope) => new AddonIdentity(scope, 'id', { cluster: CLUSTER, ...IDENTITY }));
    const policy = onlyResource(json, 'aws_iam_policy');
    expect(policy.name).toBe('c-demo-upstream');
    expect(policy.description).toBe('demo: upstream policy, committed to the repository');
    expect(policy.policy).toBe('{"Version":"2012-10-17","Statement":[]}');
    const [policyId] = resourceIds(json, 'aws_iam_policy');
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual([
      'arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2',
      `\${aws_iam_policy.${policyId}.arn}`,
    ]);
    expect(inlineStatements(json)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ]);
  });

  test('outputs: what the cluster part runs as, and the role ARN', () => {
    const json = synthScope((scope) => {
      const { outputs } = new AddonIdentity(scope, 'id', { cluster: CLUSTER, ...IDENTITY });
      expect([outputs.namespace, outputs.serviceAccount]).toEqual(['demo-ns', 'demo-sa']);
      new TerraformOutput(scope, 'role-arn', { value: outputs.roleArn });
    });
    const [roleId] = resourceIds(json, 'aws_iam_role');
    expect(json.output?.['role-arn'].value).toBe(`\${aws_iam_role.${roleId}.arn}`);
  });

  test.each<[string, Partial<AddonIdentityProps>, string]>([
    [
      'the service account is not a DNS-1123 label',
      { serviceAccount: 'Demo_SA' },
      'WorkloadIdentity serviceAccount: "Demo_SA" must be a DNS-1123 label',
    ],
    [
      'a customer policy name has a space',
      { iam: { customerPolicies: [{ name: 'up stream', document: '{}' }] } },
      'AddonIdentity iam.customerPolicies: "up stream" makes the policy name "c-demo-up stream", not an IAM policy name',
    ],
    ['the role name is longer than 64', { roleName: 'x'.repeat(65) }, 'AddonIdentity roleName: "xxxx'],
    [
      'the role name has a space',
      { roleName: 'a b' },
      'AddonIdentity roleName: "a b" is not an IAM role name',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() =>
      synthScope((scope) => new AddonIdentity(scope, 'id', { cluster: CLUSTER, ...IDENTITY, ...override })),
    ).toThrow(message);
  });
});

describe('EksManagedAddon', () => {
  test('configuration values render as JSON; the identity is bound by the add-on block; dependsOn is kept', () => {
    const json = synthScope((scope) => {
      const first = new EksManagedAddon(scope, 'first', {
        cluster: CLUSTER,
        addonName: 'first',
        version: 'v1.0.0-eksbuild.1',
      });
      new EksManagedAddon(scope, 'second', {
        cluster: CLUSTER,
        addonName: 'demo',
        version: 'v1.0.0-eksbuild.1',
        identity: { ...IDENTITY, roleName: 'retail-dev-eksdemo-demo' },
        configurationValues: { replicas: 2, nested: { on: true } },
        dependsOn: [first.addon],
      });
    });
    const addons = json.resource?.aws_eks_addon ?? {};
    const second = Object.entries(addons).find(([id]) => id.startsWith('second'))?.[1] as Record<
      string,
      unknown
    >;
    expect(JSON.parse(second.configuration_values as string)).toEqual({ replicas: 2, nested: { on: true } });
    const [role] = resourceIds(json, 'aws_iam_role');
    const firstId = Object.keys(addons).find((id) => id.startsWith('first'));
    expect(second.pod_identity_association).toEqual([
      { role_arn: `\${aws_iam_role.${role}.arn}`, service_account: 'demo-sa' },
    ]);
    expect(resourceIds(json, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(second.depends_on).toEqual([`aws_eks_addon.${firstId}`]);
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-demo');
  });

  test('the EKS add-on: pinned version, conflicts overwritten on create and preserved on update; no identity, no role', () => {
    const json = synthScope(
      (scope) =>
        new EksManagedAddon(scope, 'plain', {
          cluster: CLUSTER,
          addonName: 'demo',
          version: 'v1.0.0-eksbuild.1',
        }),
    );
    expect(onlyResource(json, 'aws_eks_addon')).toEqual({
      cluster_name: 'retail-dev-eksdemo',
      addon_name: 'demo',
      addon_version: 'v1.0.0-eksbuild.1',
      resolve_conflicts_on_create: 'OVERWRITE',
      resolve_conflicts_on_update: 'PRESERVE',
    });
    expect(resourcesOf(json, 'aws_iam_role')).toEqual([]);
  });
});
