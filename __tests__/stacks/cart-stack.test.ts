import { Testing, type TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import { CartStack } from '../../stacks/cart-stack';
import type { ClusterOutputs } from '../../stacks/cluster-stack';
import { environmentConfig } from '../../stacks/config/environments';
import { REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import {
  buildTestPlatform,
  onlyResource,
  parsePolicy,
  resourceIds,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

function cartJson(
  environment = 'dev',
  overrides?: EnvironmentOverrides,
): { json: SynthJson; stack: CartStack } {
  const { stacks } = buildTestPlatform(environment, overrides);
  const stack = stacks.cart as CartStack;
  return { json: synthStack(stack as TerraformStack), stack };
}

const LITERAL_CLUSTER: ClusterOutputs = {
  clusterName: 'c',
  clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/c',
  endpoint: 'https://x',
  certificateAuthorityData: 'Y2E=',
  region: 'us-east-1',
  clusterSecurityGroupId: 'sg-1',
  oidcProvider: { arn: 'arn:aws:iam::123456789012:oidc-provider/o', issuer: 'o' },
  oidcIssuerUrl: 'https://o',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/n',
  accountId: '123456789012',
  partition: 'aws',
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
};

const CLUSTER_OUTPUT = 'data.terraform_remote_state.cross-stack-reference-input-cluster.outputs';

describe('CartStack', () => {
  test('dev: the Items table with the upstream keys and index', () => {
    const { json } = cartJson();
    expect(onlyResource(json, 'aws_dynamodb_table')).toMatchObject({
      name: 'Items',
      hash_key: 'id',
      billing_mode: 'PAY_PER_REQUEST',
      attribute: [
        { name: 'id', type: 'S' },
        { name: 'customerId', type: 'S' },
      ],
      global_secondary_index: [
        { name: 'idx_global_customerId', hash_key: 'customerId', projection_type: 'ALL' },
      ],
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: false,
      server_side_encryption: { enabled: false },
    });
  });

  test("the role's policy: exactly the service's actions, on exactly the table and its indexes", () => {
    const { json } = cartJson();
    const tableId = resourceIds(json, 'aws_dynamodb_table')[0];
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.count).toBeUndefined();
    expect(parsePolicy(policy.policy).Statement).toEqual([
      {
        Sid: 'CartTableReadWriteData',
        Effect: 'Allow',
        Action: [
          'dynamodb:BatchWriteItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Resource: [`\${aws_dynamodb_table.${tableId}.arn}`, `\${aws_dynamodb_table.${tableId}.arn}/index/*`],
      },
    ]);
    // The literal list above is the service's contract: if the service calls something new, this fails.
    expect(parsePolicy(policy.policy).Statement[0].Action).toEqual([...REQUIRED_DYNAMODB_ACTIONS]);
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toHaveLength(0);
  });

  test('pod identity: trust on pods.eks.amazonaws.com for this account and cluster, associated to carts/carts', () => {
    const { json } = cartJson();
    const roleId = resourceIds(json, 'aws_iam_role')[0];
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('retail-dev-eksdemo-cart');
    const [trust] = parsePolicy(role.assume_role_policy).Statement;
    expect(trust).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    expect(JSON.stringify(trust.Condition)).toContain(`\${${CLUSTER_OUTPUT}.`);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toEqual(
      expect.objectContaining({
        namespace: 'carts',
        service_account: 'carts',
        role_arn: `\${aws_iam_role.${roleId}.arn}`,
        cluster_name: expect.stringMatching(
          new RegExp(`^\\$\\{${CLUSTER_OUTPUT.replace(/\./g, '\\.')}\\..*name\\}$`),
        ),
      }),
    );
  });

  test('the association follows cart.namespace and cart.serviceAccount', () => {
    const { json } = cartJson('dev', { cart: { namespace: 'shop', serviceAccount: 'cart-sa' } });
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'shop',
      service_account: 'cart-sa',
    });
  });

  test('irsa: OIDC trust with sub and aud conditions, no association, the role ARN as annotation', () => {
    const { json, stack } = cartJson('dev', { cart: { identity: 'irsa' } });
    expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toHaveLength(0);
    // The issuer is a Terraform expression with quotes of its own; stand it in before parsing the JSON.
    const trustJson = (onlyResource(json, 'aws_iam_role').assume_role_policy as string).replace(
      /\$\{replace\([^}]*\)\}/g,
      'ISSUER',
    );
    const [trust] = parsePolicy(trustJson).Statement as Array<{
      Principal: { Federated: string };
      Action: string;
      Condition: { StringEquals: Record<string, string> };
    }>;
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal.Federated).toMatch(/oidc-provider.*arn\}$/);
    const conditions = Object.entries(trust.Condition.StringEquals);
    expect(conditions).toHaveLength(2);
    expect(conditions.find(([k]) => k.endsWith(':sub'))?.[1]).toBe('system:serviceaccount:carts:carts');
    expect(conditions.find(([k]) => k.endsWith(':aud'))?.[1]).toBe('sts.amazonaws.com');
    expect(stack.outputs.identityMode).toBe('irsa');
    expect(Object.keys(stack.outputs.instances[0]?.serviceAccountAnnotations ?? {})).toEqual([
      'eks.amazonaws.com/role-arn',
    ]);
  });

  test('prod: deletion protection and a rotating customer key, which the role may use only through DynamoDB', () => {
    const { json } = cartJson('prod');
    const keyId = resourceIds(json, 'aws_kms_key')[0];
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResource(json, 'aws_dynamodb_table')).toMatchObject({
      name: 'retail-prod-Items',
      deletion_protection_enabled: true,
      server_side_encryption: { enabled: true, kms_key_arn: `\${aws_kms_key.${keyId}.arn}` },
    });
    const statements = parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy).Statement;
    expect(statements.map((s) => s.Resource)).toEqual([expect.any(Array), `\${aws_kms_key.${keyId}.arn}`]);
    expect(statements[1].Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' },
    });
  });

  test('cart.secrets: the role may read exactly those secrets (names matched by their random suffix)', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/db-AbCdEf';
    const { json } = cartJson('dev', { cart: { secrets: ['retail/cart/api', arn] } });
    const statements = parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['CartTableReadWriteData', 'ReadMountedSecrets']);
    expect(statements[1].Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    const [byName, byArn] = statements[1].Resource as string[];
    expect(byName).toMatch(
      new RegExp(
        `^arn:\\$\\{${CLUSTER_OUTPUT.replace(/\./g, '\\.')}\\.[^}]*partition\\}:secretsmanager:us-east-1:` +
          `\\$\\{${CLUSTER_OUTPUT.replace(/\./g, '\\.')}\\.[^}]*account_id\\}:secret:retail/cart/api-\\?{6}$`,
      ),
    );
    expect(byArn).toBe(arn);
  });

  test('no secrets: no Secrets Manager access at all', () => {
    const { json } = cartJson();
    expect(onlyResource(json, 'aws_iam_role_policy').policy).not.toContain('secretsmanager');
  });

  test('the ECR repository: configured name, immutable tags, scan on push, lifecycle policy', () => {
    const { json } = cartJson();
    expect(onlyResource(json, 'aws_ecr_repository')).toMatchObject({
      name: 'retail-dev/cart',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
    });
    expect(resourcesOf(json, 'aws_ecr_lifecycle_policy')).toHaveLength(1);
  });

  test('typed outputs and Terraform outputs', () => {
    const { json, stack } = cartJson();
    const tableId = resourceIds(json, 'aws_dynamodb_table')[0];
    expect(stack.outputs.region).toBe('us-east-1');
    expect(stack.outputs.identityMode).toBe('pod-identity');
    expect(stack.outputs.instances[0]?.namespace).toBe('carts');
    expect(stack.outputs.instances[0]?.serviceAccount).toBe('carts');
    expect(stack.outputs.instances[0]?.serviceAccountAnnotations ?? {}).toEqual({});
    expect(json.output?.['table-name'].value).toBe(`\${aws_dynamodb_table.${tableId}.name}`);
    expect(json.output?.['table-arn'].value).toBe(`\${aws_dynamodb_table.${tableId}.arn}`);
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining(['role-arn', 'repository-url', 'identity-mode', 'docker-push-commands']),
    );
  });

  test('the AWS provider region is the configured one (the ConfigMap uses the same)', () => {
    const { json } = cartJson();
    expect((json.provider?.aws as Array<{ region: string }>)[0].region).toBe('us-east-1');
    expect(Object.keys(json.provider ?? {})).toEqual(['aws']);
  });

  test('throws when the role name would exceed IAM limits', () => {
    const name = `c${'x'.repeat(60)}`;
    expect(
      () =>
        new CartStack(Testing.app(), 'cart', {
          config: environmentConfig('dev', { cluster: { name } }),
          cluster: LITERAL_CLUSTER,
        }),
    ).toThrow(`CartStack: role name "${name}-cart" (cluster.name + "-cart") exceeds IAM's 64 characters`);
  });

  test.each([
    ['the table name is too short', { cart: { tableName: 'ab' } }, 'cart.tableName: "ab"'],
    [
      'the identity mode is unknown',
      { cart: { identity: 'keys' } },
      'cart.identity: "keys" — allowed values',
    ],
    ['the namespace is not a DNS label', { cart: { namespace: 'Carts' } }, 'cart.namespace: "Carts"'],
    ['the encryption is unknown', { cart: { encryption: 'kms' } }, 'cart.encryption: "kms" — allowed values'],
    ['the stream view type is unknown', { cart: { streamViewType: 'ALL' } }, 'cart.streamViewType: "ALL"'],
    [
      'a secret is neither an ARN nor a name',
      { cart: { secrets: ['has space'] } },
      'cart.secrets.0: "has space"',
    ],
    [
      'the certificate is not an ACM ARN',
      { cart: { certificateArn: 'arn:aws:iam::1:x' } },
      'cart.certificateArn: "arn:aws:iam::1:x" — must be an ACM certificate ARN',
    ],
  ])('throws when %s', (_name, overrides, message) => {
    expect(() => environmentConfig('dev', overrides as EnvironmentOverrides)).toThrow(message);
  });

  test('the stack synthesizes on its own with a literal cluster (no cross-stack reads)', () => {
    const app = Testing.app();
    const stack = new CartStack(app, 'cart', {
      config: environmentConfig('dev'),
      cluster: LITERAL_CLUSTER,
    });
    const json = synthStack(stack);
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(onlyResource(json, 'aws_eks_pod_identity_association').cluster_name).toBe('c');
  });
});
