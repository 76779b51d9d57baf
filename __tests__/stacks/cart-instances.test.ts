import { describe, expect, test } from 'vitest';
import { REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import type { CartStack } from '../../stacks/cart-stack';
import type { CartWorkloadStack } from '../../stacks/cart-workload-stack';
import { cartInstancesOf } from '../../stacks/config/cart-instances';
import { environmentConfig } from '../../stacks/config/environments';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import { buildTestPlatform, parsePolicy, resourcesOf, synthStack, type SynthJson } from '../helpers/synth';

const TEAMS = { cart: { instances: [{ name: 'alpha' }, { name: 'beta', replicas: 3 }, { name: 'gamma' }] } };

/** `type.name` of every resource, construct-id hash dropped, sorted. */
function addresses(json: SynthJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id.replace(/_[0-9A-F]{8}$/, '')}`))
    .sort();
}

function synthCart(overrides: EnvironmentOverrides = TEAMS, environment = 'dev') {
  const { stacks } = buildTestPlatform(environment, overrides);
  const workload = synthStack(stacks.cartWorkload as CartWorkloadStack);
  const cart = synthStack(stacks.cart as CartStack);
  return { cart, workload, stacks };
}

describe('cart.instances', () => {
  test('an empty list is the implicit instance: today’s cart, names and construct id', () => {
    expect(cartInstancesOf(environmentConfig('dev'))).toEqual([
      {
        constructId: 'cart',
        namespace: 'carts',
        serviceAccount: 'carts',
        tableName: 'Items',
        replicas: 2,
        autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuPercent: 80 },
        clientNamespaces: ['ui'],
        hostname: undefined,
      },
    ]);
  });

  test('named instances: table <cluster>-carts-<name>, namespace carts-<name>, per-instance overrides', () => {
    const [alpha, beta] = cartInstancesOf(environmentConfig('dev', TEAMS));
    expect(alpha).toMatchObject({
      name: 'alpha',
      constructId: 'cart-alpha',
      namespace: 'carts-alpha',
      tableName: 'retail-dev-eksdemo-carts-alpha',
      replicas: 2,
    });
    expect(beta).toMatchObject({ namespace: 'carts-beta', replicas: 3 });
  });

  test('three instances, shared role: the addresses of the cart stack', () => {
    const { cart } = synthCart();
    expect(addresses(cart)).toEqual([
      'aws_dynamodb_table.cart-alpha_table',
      'aws_dynamodb_table.cart-beta_table',
      'aws_dynamodb_table.cart-gamma_table',
      'aws_ecr_lifecycle_policy.cart-repository_lifecycle',
      'aws_ecr_repository.cart-repository',
      'aws_eks_pod_identity_association.cart-alpha_association',
      'aws_eks_pod_identity_association.cart-beta_association',
      'aws_eks_pod_identity_association.cart-gamma_association',
      'aws_iam_role.carts-identity_role',
      'aws_iam_role_policy.carts-identity_policy',
    ]);
    expect(resourcesOf(cart, 'aws_dynamodb_table').map((t) => t.name)).toEqual([
      'retail-dev-eksdemo-carts-alpha',
      'retail-dev-eksdemo-carts-beta',
      'retail-dev-eksdemo-carts-gamma',
    ]);
  });

  test('the shared role names only <cluster>-carts-* tables and their indexes, with the service’s actions', () => {
    const { cart } = synthCart();
    const [role] = resourcesOf(cart, 'aws_iam_role');
    expect(role?.name).toBe('retail-dev-eksdemo-carts');
    const statements = parsePolicy(resourcesOf(cart, 'aws_iam_role_policy')[0]?.policy).Statement;
    const partition =
      '${data.terraform_remote_state.cross-stack-reference-input-cluster.outputs.cross-stack-output-dataaws_partitionpartitionpartition}';
    const tables = `arn:${partition}:dynamodb:us-east-1:000000000000:table/retail-dev-eksdemo-carts-*`;
    expect(statements).toEqual([
      {
        Sid: 'CartInstanceTablesReadWriteData',
        Effect: 'Allow',
        Action: [...REQUIRED_DYNAMODB_ACTIONS],
        Resource: [tables, `${tables}/index/*`],
      },
    ]);
    const trust = parsePolicy(role?.assume_role_policy).Statement[0] as {
      Condition: { StringEquals: Record<string, unknown> };
    };
    expect(trust.Condition.StringEquals['aws:RequestTag/kubernetes-namespace']).toEqual([
      'carts-alpha',
      'carts-beta',
      'carts-gamma',
    ]);
    expect(trust.Condition.StringEquals['aws:RequestTag/kubernetes-service-account']).toBe('carts');
  });

  test('one association per namespace, in the cart stack, all bound to the shared role', () => {
    const { cart } = synthCart();
    const roleId = Object.keys(cart.resource?.aws_iam_role ?? {})[0];
    expect(
      resourcesOf(cart, 'aws_eks_pod_identity_association').map((a) => [
        a.namespace,
        a.service_account,
        a.role_arn,
      ]),
    ).toEqual(
      ['carts-alpha', 'carts-beta', 'carts-gamma'].map((ns) => [
        ns,
        'carts',
        `\${aws_iam_role.${roleId}.arn}`,
      ]),
    );
  });

  test('the workload stack: one namespace, ServiceAccount, ConfigMap and workload per instance, own table each', () => {
    const { workload, cart } = synthCart();
    const perInstance = addresses(workload).filter((a) => a.includes('cart-alpha_'));
    expect(perInstance).toEqual([
      'kubernetes_config_map_v1.cart-alpha_config',
      'kubernetes_deployment_v1.cart-alpha_deployment',
      'kubernetes_horizontal_pod_autoscaler_v2.cart-alpha_autoscaler',
      'kubernetes_namespace_v1.cart-alpha_namespace',
      'kubernetes_network_policy_v1.cart-alpha_deny-all',
      'kubernetes_network_policy_v1.cart-alpha_network-policy',
      'kubernetes_pod_disruption_budget_v1.cart-alpha_disruption-budget',
      'kubernetes_service_account_v1.cart-alpha_service-account',
      'kubernetes_service_v1.cart-alpha_service',
    ]);
    expect(addresses(workload)).toHaveLength(3 * perInstance.length);
    const tableOutputs = resourcesOf(workload, 'kubernetes_config_map_v1').map((c) => {
      const name = String((c.data as Record<string, string>).RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME);
      const output = /outputs\.([^}]+)\}$/.exec(name)?.[1] ?? '';
      return cart.output?.[output]?.value;
    });
    expect(tableOutputs).toEqual(
      ['alpha', 'beta', 'gamma'].map((n) => expect.stringMatching(new RegExp(`cart-${n}_table_\\w+\\.name`))),
    );
    const replicas = resourcesOf(workload, 'kubernetes_deployment_v1').map(
      (d) => (d.spec as { replicas: string }).replicas,
    );
    expect(replicas).toEqual(['2', '3', '2']);
  });

  test('per-instance roles: one role each, granted exactly its table, no shared role', () => {
    const { cart } = synthCart({ cart: { ...TEAMS.cart, roleMode: 'per-instance' } });
    expect(resourcesOf(cart, 'aws_iam_role').map((r) => r.name)).toEqual([
      'retail-dev-eksdemo-carts-alpha',
      'retail-dev-eksdemo-carts-beta',
      'retail-dev-eksdemo-carts-gamma',
    ]);
    const tableIds = Object.keys(cart.resource?.aws_dynamodb_table ?? {});
    const resources = resourcesOf(cart, 'aws_iam_role_policy').map(
      (p) => parsePolicy(p.policy).Statement[0]?.Resource,
    );
    expect(resources).toEqual(
      tableIds.map((id) => [`\${aws_dynamodb_table.${id}.arn}`, `\${aws_dynamodb_table.${id}.arn}/index/*`]),
    );
    expect(resourcesOf(cart, 'aws_eks_pod_identity_association')).toHaveLength(3);
  });

  test('prod instances: customer-managed keys, which the shared role may use through DynamoDB only', () => {
    const { cart } = synthCart(TEAMS, 'prod');
    const statements = parsePolicy(resourcesOf(cart, 'aws_iam_role_policy')[0]?.policy).Statement;
    const keyIds = Object.keys(cart.resource?.aws_kms_key ?? {});
    expect(keyIds).toHaveLength(3);
    expect(statements[1]).toEqual({
      Sid: 'CartInstanceTablesKeys',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: keyIds.map((id) => `\${aws_kms_key.${id}.arn}`),
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
    });
  });

  test('the delivery deployer may administer every instance table, by the same prefix', () => {
    const { stacks } = buildTestPlatform('dev', TEAMS);
    expect((stacks.cart as CartStack).outputs.tableNamePattern).toBe('retail-dev-eksdemo-carts-*');
  });
});

describe('cart.instances: bad input names the field, the value and what is allowed', () => {
  const instances = (list: unknown[]) => ({ cart: { instances: list } }) as EnvironmentOverrides;
  test.each<[string, EnvironmentOverrides, string]>([
    [
      'a name that is not a DNS label',
      instances([{ name: 'Team_A' }]),
      'cart.instances.0.name: "Team_A" — must be a DNS-1123 label',
    ],
    [
      'a repeated name',
      instances([{ name: 'a1' }, { name: 'a1' }]),
      'cart.instances: [{"name":"a1"},{"name":"a1"}] — instance names must be unique; "a1" repeats',
    ],
    [
      'two instances in one namespace',
      instances([
        { name: 'a1', namespace: 'shop' },
        { name: 'b1', namespace: 'shop' },
      ]),
      'instance namespaces must be unique; "shop" repeats',
    ],
    [
      'an unknown field',
      instances([{ name: 'a1', table: 'x' }]),
      'cart.instances.0: {"name":"a1","table":"x"} — unknown field(s) table',
    ],
    [
      'a name too long for its namespace',
      instances([{ name: 'n'.repeat(60) }]),
      `cart.instances.0.name: "${'n'.repeat(60)}" — derived namespace "carts-${'n'.repeat(60)}" is longer than 63 characters`,
    ],
    [
      'a per-instance role name beyond IAM’s 64 characters',
      { cart: { roleMode: 'per-instance', instances: [{ name: 'n'.repeat(40) }] } },
      `derived role name "retail-dev-eksdemo-carts-${'n'.repeat(40)}" is longer than IAM's 64 characters`,
    ],
    [
      'an unknown role mode',
      { cart: { roleMode: 'each' as never } },
      'cart.roleMode: "each" — allowed values: "shared", "per-instance"',
    ],
    [
      'instances with GitOps',
      {
        ...instances([{ name: 'a1' }]),
        gitops: { enabled: true, repoUrl: 'https://github.com/acme/cart.git' },
        addons: { argoCd: { enabled: true } },
      },
      'cart.instances: [{"name":"a1"}] — is not supported with gitops.enabled yet',
    ],
    [
      'an exposed instance without a hostname',
      {
        cart: {
          instances: [{ name: 'a1' }],
          exposure: 'internal',
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      },
      'cart.instances.0.hostname: undefined — is required while cart.exposure is "internal"',
    ],
  ])('%s', (_what, overrides, message) => {
    expect(() => environmentConfig('dev', overrides)).toThrow(message);
  });

  test('instances in the local environment', () => {
    expect(() => environmentConfig('local', instances([{ name: 'a1' }]))).toThrow(
      'cart.instances: [{"name":"a1"}] — is not supported in the local environment',
    );
  });
});
