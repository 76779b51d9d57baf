import { describe, expect, test } from 'vitest';
import { WorkloadIdentity, type WorkloadIdentityProps } from '../../modules/workload-identity';
import { onlyResource, parsePolicy, resourcesOf, synthScope } from '../helpers/synth';

const PROPS: WorkloadIdentityProps = {
  clusterName: 'retail-dev-eksdemo',
  clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev-eksdemo',
  namespace: 'carts',
  serviceAccount: 'carts',
  roleName: 'retail-dev-carts',
};

describe('WorkloadIdentity', () => {
  test('pod identity: trust is pods.eks.amazonaws.com with AssumeRole+TagSession scoped by the session tags to cluster, namespace and service account', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'identity', PROPS));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('retail-dev-carts');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev-eksdemo',
            'aws:RequestTag/kubernetes-namespace': 'carts',
            'aws:RequestTag/kubernetes-service-account': 'carts',
          },
        },
      },
    ]);
  });

  test('pod identity: the association names the namespace and service account', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'identity', PROPS));
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'retail-dev-eksdemo',
      namespace: 'carts',
      service_account: 'carts',
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\.identity_role_[0-9A-F]+\.arn\}$/),
    });
  });

  test('pod identity without createAssociation: the role only, bound by whoever set it false', () => {
    const json = synthScope(
      (scope) => new WorkloadIdentity(scope, 'identity', { ...PROPS, createAssociation: false }),
    );
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(resourcesOf(json, 'aws_iam_role')).toHaveLength(1);
  });

  test('the trust never uses aws:SourceArn (not documented for Pod Identity)', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'identity', PROPS));
    expect(onlyResource(json, 'aws_iam_role').assume_role_policy).not.toContain('aws:SourceArn');
  });

  test('statements added after construction land in the inline policy', () => {
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'identity', PROPS);
      identity.addToPolicy({
        actions: ['dynamodb:GetItem'],
        resources: ['arn:aws:dynamodb:us-east-1:1:table/Items'],
      });
    });
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.count).toBeUndefined();
    expect(parsePolicy(policy.policy).Statement).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:1:table/Items' },
    ]);
  });

  test('no statements: the inline policy is not created', () => {
    const json = synthScope(
      (scope) => new WorkloadIdentity(scope, 'identity', { ...PROPS, managedPolicyArns: ['arn:x'] }),
    );
    expect(resourcesOf(json, 'aws_iam_role_policy')).toHaveLength(0);
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:x']);
  });

  test('irsa: OIDC trust with sub and aud, an annotation, and no association', () => {
    let annotations: Readonly<Record<string, string>> = {};
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'identity', {
        ...PROPS,
        mode: 'irsa',
        oidcProvider: {
          arn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/ABC',
          issuer: 'oidc.eks.example/id/ABC',
        },
      });
      annotations = identity.serviceAccountAnnotations;
    });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toHaveLength(0);
    expect(parsePolicy(onlyResource(json, 'aws_iam_role').assume_role_policy).Statement).toEqual([
      {
        Sid: 'EksIrsa',
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.example/id/ABC' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.example/id/ABC:sub': 'system:serviceaccount:carts:carts',
            'oidc.eks.example/id/ABC:aud': 'sts.amazonaws.com',
          },
        },
      },
    ]);
    expect(Object.keys(annotations)).toEqual(['eks.amazonaws.com/role-arn']);
  });

  test.each<[string, Partial<WorkloadIdentityProps>, string]>([
    ['irsa has no OIDC provider', { mode: 'irsa' }, 'mode "irsa" needs oidcProvider'],
    [
      'the mode is unknown',
      { mode: 'static-keys' as never },
      'mode: "static-keys" not allowed; use pod-identity or irsa',
    ],
    [
      'the namespace is not a DNS-1123 label',
      { namespace: 'Carts_NS' },
      'WorkloadIdentity namespace: "Carts_NS" must be a DNS-1123 label',
    ],
    [
      'the service account is not a DNS-1123 label',
      { serviceAccount: 'carts.' },
      'WorkloadIdentity serviceAccount: "carts." must be a DNS-1123 label',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() =>
      synthScope((scope) => new WorkloadIdentity(scope, 'identity', { ...PROPS, ...override })),
    ).toThrow(message);
  });
});
