import { describe, expect, test } from 'vitest';
import type { AddonDescription } from '../../../modules/addons/addon';
import { AddonIdentity } from '../../../modules/addons/addon-identity';
import { EksManagedAddon } from '../../../modules/addons/eks-managed-addon';
import { onlyResource, parsePolicy, resourceIds, resourcesOf, synthScope } from '../../helpers/synth';
import { CLUSTER, inlineStatements } from './fixtures';

const ADDON: AddonDescription = {
  id: 'demo',
  summary: 'demo',
  install: { kind: 'eks-addon', addonName: 'demo', version: 'v1.0.0-eksbuild.1' },
  namespace: 'demo-ns',
  serviceAccount: 'demo-sa',
  iam: {
    managedPolicies: ['AmazonEBSCSIDriverPolicyV2'],
    customerPolicies: [{ name: 'upstream', document: '{"Version":"2012-10-17","Statement":[]}' }],
    statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }],
  },
  waitsFor: [],
};

describe('AddonIdentity', () => {
  test('a Pod Identity role for this cluster only, bound to the described namespace and service account', () => {
    const json = synthScope(
      (scope) => new AddonIdentity(scope, 'id', { cluster: CLUSTER, addon: ADDON, roleName: 'c-demo' }),
    );
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('c-demo');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnEquals: { 'aws:SourceArn': CLUSTER.clusterArn },
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
    const json = synthScope(
      (scope) => new AddonIdentity(scope, 'id', { cluster: CLUSTER, addon: ADDON, roleName: 'c-demo' }),
    );
    const policy = onlyResource(json, 'aws_iam_policy');
    expect(policy.name).toBe('c-demo-upstream');
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

  test.each<[string, Partial<AddonDescription>, string, string]>([
    [
      'the add-on names no service account',
      { serviceAccount: undefined },
      'r',
      'AddonIdentity addon: "demo" names no serviceAccount',
    ],
    [
      'the add-on has no IAM',
      { iam: undefined },
      'r',
      'AddonIdentity addon: "demo" names no serviceAccount or iam',
    ],
    ['the role name is longer than 64', {}, 'x'.repeat(65), 'AddonIdentity roleName: "xxxx'],
    ['the role name has a space', {}, 'a b', 'AddonIdentity roleName: "a b" is not an IAM role name'],
  ])('throws when %s', (_name, override, roleName, message) => {
    expect(() =>
      synthScope(
        (scope) =>
          new AddonIdentity(scope, 'id', { cluster: CLUSTER, addon: { ...ADDON, ...override }, roleName }),
      ),
    ).toThrow(message);
  });
});

describe('EksManagedAddon', () => {
  test('configuration values render as JSON; extra dependsOn is kept after the association', () => {
    const json = synthScope((scope) => {
      const first = new EksManagedAddon(scope, 'first', {
        cluster: CLUSTER,
        addon: { ...ADDON, iam: undefined },
      });
      new EksManagedAddon(scope, 'second', {
        cluster: CLUSTER,
        addon: ADDON,
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
    const [association] = resourceIds(json, 'aws_eks_pod_identity_association');
    const firstId = Object.keys(addons).find((id) => id.startsWith('first'));
    expect(second.depends_on).toEqual([
      `aws_eks_pod_identity_association.${association}`,
      `aws_eks_addon.${firstId}`,
    ]);
    expect(onlyResource(json, 'aws_iam_role').name).toBe('retail-dev-eksdemo-demo');
  });

  test('throws when the add-on is installed by helm', () => {
    expect(() =>
      synthScope(
        (scope) =>
          new EksManagedAddon(scope, 'x', {
            cluster: CLUSTER,
            addon: { ...ADDON, install: { kind: 'helm', charts: [] } },
          }),
      ),
    ).toThrow('EksManagedAddon addon: "demo" is installed by helm, not eks-addon');
  });
});
