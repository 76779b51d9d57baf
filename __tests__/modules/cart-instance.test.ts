import { describe, expect, test } from 'vitest';
import { REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { CartInstance, instanceTablesStatement, type CartInstanceProps } from '../../modules/cart-instance';
import { parsePolicy, resourcesOf, synthScope } from '../helpers/synth';

const PROPS: CartInstanceProps = {
  instanceName: 'alpha',
  clusterName: 'retail-dev-eks',
  clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/retail-dev-eks',
  namespace: 'carts-alpha',
  serviceAccount: 'carts',
  region: 'us-east-1',
};
const SHARED_ROLE = 'arn:aws:iam::123456789012:role/retail-dev-eks-carts';

describe('CartInstance', () => {
  test('with the shared role: its table and one association, no role of its own', () => {
    const json = synthScope((scope) => {
      new CartInstance(scope, 'cart-alpha', {
        ...PROPS,
        sharedRole: { roleArn: SHARED_ROLE, mode: 'pod-identity' },
      });
    });
    expect(resourcesOf(json, 'aws_dynamodb_table').map((t) => [t.name, t.tags])).toEqual([
      [
        'retail-dev-eks-carts-alpha',
        { Name: 'retail-dev-eks-carts-alpha', Component: 'cart', CartInstance: 'alpha' },
      ],
    ]);
    expect(resourcesOf(json, 'aws_iam_role')).toEqual([]);
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([
      expect.objectContaining({ namespace: 'carts-alpha', service_account: 'carts', role_arn: SHARED_ROLE }),
    ]);
  });

  test('with the shared role in IRSA mode: the annotation instead of an association', () => {
    let instance: CartInstance | undefined;
    const json = synthScope((scope) => {
      instance = new CartInstance(scope, 'cart-alpha', {
        ...PROPS,
        sharedRole: { roleArn: SHARED_ROLE, mode: 'irsa' },
      });
    });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(instance?.serviceAccountAnnotations).toEqual({ 'eks.amazonaws.com/role-arn': SHARED_ROLE });
  });

  test('without it: a role of its own, <cluster>-carts-<name>, granted exactly its table', () => {
    const json = synthScope((scope) => {
      new CartInstance(scope, 'cart-alpha', PROPS);
    });
    expect(resourcesOf(json, 'aws_iam_role').map((r) => r.name)).toEqual(['retail-dev-eks-carts-alpha']);
    const tableId = Object.keys(json.resource?.aws_dynamodb_table ?? {})[0];
    const [statement] = parsePolicy(resourcesOf(json, 'aws_iam_role_policy')[0]?.policy).Statement;
    expect(statement?.Resource).toEqual([
      `\${aws_dynamodb_table.${tableId}.arn}`,
      `\${aws_dynamodb_table.${tableId}.arn}/index/*`,
    ]);
  });

  test.each<[string, Partial<CartInstanceProps>, string]>([
    [
      'a name that is not a DNS label',
      { instanceName: 'Alpha' },
      'CartInstance instanceName: "Alpha" must be a DNS-1123 label',
    ],
    [
      'an own role name beyond 64 characters',
      { instanceName: 'a'.repeat(50) },
      `CartInstance ${'a'.repeat(50)}: role name "retail-dev-eks-carts-${'a'.repeat(50)}" exceeds IAM's 64 characters`,
    ],
    [
      'a namespace that is not a DNS label',
      { namespace: 'Carts' },
      'WorkloadIdentity namespace: "Carts" must be a DNS-1123 label',
    ],
  ])('refuses %s', (_what, props, message) => {
    expect(() => synthScope((scope) => new CartInstance(scope, 'cart', { ...PROPS, ...props }))).toThrow(
      message,
    );
  });
});

describe('instanceTablesStatement', () => {
  test('the service’s actions on <cluster>-carts-* tables and their indexes', () => {
    const scope = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012', clusterName: 'shop' };
    expect(instanceTablesStatement(scope)).toEqual({
      sid: 'CartInstanceTablesReadWriteData',
      actions: REQUIRED_DYNAMODB_ACTIONS,
      resources: [
        'arn:aws:dynamodb:eu-west-1:123456789012:table/shop-carts-*',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/shop-carts-*/index/*',
      ],
    });
  });

  test.each([
    [{ region: 'eu-west' }, 'instanceTablesStatement region: "eu-west" must be an AWS region code'],
    [{ accountId: '12345' }, 'instanceTablesStatement accountId: "12345" must be'],
  ])('refuses %j', (bad, message) => {
    const scope = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012', clusterName: 'shop' };
    expect(() => instanceTablesStatement({ ...scope, ...bad })).toThrow(message);
  });
});
