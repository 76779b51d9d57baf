import { Testing } from 'cdktf';
import { describe, expect, test } from 'vitest';
import type { CartOutputs } from '../../stacks/cart-stack';
import type { ClusterOutputs } from '../../stacks/cluster-stack';
import { environmentConfig } from '../../stacks/config/environments';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import { settingsFromVariables } from '../../stacks/config/settings';
import { DeliveryStack } from '../../stacks/delivery-stack';
import { STACK_IDS } from '../../stacks/platform-app';
import { buildTestPlatform, parsePolicy, resourcesOf, synthStack, type SynthJson } from '../helpers/synth';

const ACCOUNT = '123456789012';
const CLUSTER: ClusterOutputs = {
  clusterName: 'retail-dev-eksdemo',
  clusterArn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/retail-dev-eksdemo`,
  endpoint: 'https://x',
  certificateAuthorityData: 'Y2E=',
  region: 'us-east-1',
  clusterSecurityGroupId: 'sg-1',
  oidcProvider: { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/o`, issuer: 'o' },
  oidcIssuerUrl: 'https://o',
  nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/n`,
  accountId: ACCOUNT,
  partition: 'aws',
  kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
};
const CART: CartOutputs = {
  tableName: 'Items',
  tableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Items`,
  region: 'us-east-1',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/retail-dev-eksdemo-cart`,
  repositoryUrl: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/retail-dev/cart`,
  identityMode: 'pod-identity',
  namespace: 'carts',
  serviceAccount: 'carts',
  serviceAccountAnnotations: {},
};
const REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/retail-dev/cart`;
const BUCKET_ARN = 'arn:aws:s3:::retail-dev-tfstate';
const HOST = 'token.actions.githubusercontent.com';

function delivery(environment = 'dev', overrides: EnvironmentOverrides = {}): SynthJson {
  const config = environmentConfig(environment, {
    delivery: { repository: 'acme/cart-platform' },
    ...overrides,
  });
  const stack = new DeliveryStack(Testing.app(), 'delivery', {
    config,
    cluster: CLUSTER,
    cart: CART,
    repositoryArn: REPOSITORY_ARN,
    stateBucketArn: BUCKET_ARN,
  });
  return synthStack(stack);
}

type Json = Record<string, unknown>;
const roleNamed = (json: SynthJson, name: string): Json =>
  resourcesOf(json, 'aws_iam_role').find((r) => r.name === name) as Json;
const policyOf = (json: SynthJson, role: string): Array<Record<string, unknown>> => {
  const id = Object.entries(json.resource?.aws_iam_role ?? {}).find(([, r]) => r.name === role)?.[0];
  const policy = resourcesOf(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${id}.id}`);
  return parsePolicy(policy?.policy).Statement;
};
const statement = (json: SynthJson, role: string, sid: string) =>
  policyOf(json, role).find((s) => s.Sid === sid);

describe('DeliveryStack', () => {
  test('the GitHub OIDC provider: its URL and audience, no thumbprint', () => {
    expect(resourcesOf(delivery(), 'aws_iam_openid_connect_provider')).toEqual([
      expect.objectContaining({ url: `https://${HOST}`, client_id_list: ['sts.amazonaws.com'] }),
    ]);
    expect(resourcesOf(delivery(), 'aws_iam_openid_connect_provider')[0]).not.toHaveProperty(
      'thumbprint_list',
    );
  });

  test('an existing provider is reused by ARN, not created', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}`;
    const json = delivery('dev', { delivery: { repository: 'acme/cart-platform', oidcProviderArn: arn } });
    expect(resourcesOf(json, 'aws_iam_openid_connect_provider')).toEqual([]);
    const trust = parsePolicy(roleNamed(json, 'retail-dev-github-publisher').assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Federated: arn });
  });

  test.each([
    ['publisher', 'repo:acme/cart-platform:ref:refs/heads/main'],
    ['deployer', 'repo:acme/cart-platform:environment:dev'],
    ['planner', 'repo:acme/cart-platform:pull_request'],
  ])('the %s trusts exactly %s with StringEquals on aud and sub', (name, sub) => {
    const trust = parsePolicy(roleNamed(delivery(), `retail-dev-github-${name}`).assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: '${aws_iam_openid_connect_provider.github-oidc_provider_D7593BA3.arn}' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${HOST}:aud`]: 'sts.amazonaws.com', [`${HOST}:sub`]: sub } },
      },
    ]);
  });

  test('branch and GitHub environment come from the config', () => {
    const json = delivery('prod', {
      delivery: { repository: 'acme/cart-platform', mainBranch: 'trunk', githubEnvironment: 'production' },
    });
    const sub = (role: string) =>
      (parsePolicy(roleNamed(json, role).assume_role_policy).Statement[0].Condition as Json).StringEquals;
    expect(sub('retail-prod-github-publisher')).toMatchObject({
      [`${HOST}:sub`]: 'repo:acme/cart-platform:ref:refs/heads/trunk',
    });
    expect(sub('retail-prod-github-deployer')).toMatchObject({
      [`${HOST}:sub`]: 'repo:acme/cart-platform:environment:production',
    });
  });

  test('the publisher pushes to the environment repository only', () => {
    expect(policyOf(delivery(), 'retail-dev-github-publisher')).toEqual([
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      expect.objectContaining({ Sid: 'PushCartImage', Resource: REPOSITORY_ARN }),
    ]);
    expect(statement(delivery(), 'retail-dev-github-publisher', 'PushCartImage')?.Action).toContain(
      'ecr:PutImage',
    );
  });

  test('the planner only reads: no write verb, state read under dev/ only', () => {
    const statements = policyOf(delivery(), 'retail-dev-github-planner');
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => !/:(Describe|Get|List)/.test(a))).toEqual([]);
    expect(statements.find((s) => s.Sid === 'ReadOwnState')).toEqual({
      Sid: 'ReadOwnState',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${BUCKET_ARN}/dev/*`,
    });
    expect(actions).not.toContain('s3:PutObject');
  });

  test("the deployer's writes are scoped to the environment's names", () => {
    const json = delivery();
    const role = 'retail-dev-github-deployer';
    expect(statement(json, role, 'WriteOwnStateAndLock')?.Resource).toBe(`${BUCKET_ARN}/dev/*`);
    expect(statement(json, role, 'PassOwnRoles')).toEqual({
      Sid: 'PassOwnRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `arn:aws:iam::${ACCOUNT}:role/retail-dev-eksdemo-*`,
      Condition: {
        StringEquals: {
          'iam:PassedToService': ['eks.amazonaws.com', 'ec2.amazonaws.com', 'pods.eks.amazonaws.com'],
        },
      },
    });
    expect(statement(json, role, 'OwnRolesAndPolicies')?.Resource).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/retail-dev-eksdemo-*`,
      `arn:aws:iam::${ACCOUNT}:policy/retail-dev-eksdemo-*`,
    ]);
    expect(statement(json, role, 'CartTable')?.Resource).toEqual([
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Items`,
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Items/index/*`,
    ]);
    expect(statement(json, role, 'CartRepository')?.Resource).toBe(REPOSITORY_ARN);
    expect(statement(json, role, 'OwnCluster')?.Resource).toContain(
      `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/retail-dev-eksdemo`,
    );
    // Nothing the deployer may write names its own role (retail-dev-github-*).
    const writes = policyOf(json, role).filter((s) => s.Sid !== 'ReadIam');
    expect(JSON.stringify(writes)).not.toContain('github');
  });

  test('every statement on "*" is held by a condition, except the reads of IAM-wide and ECR login', () => {
    const unconditioned = policyOf(delivery(), 'retail-dev-github-deployer')
      .filter((s) => [s.Resource].flat().includes('*') && s.Condition === undefined)
      .map((s) => s.Sid);
    expect(unconditioned).toEqual([]);
  });

  test('a lock table adds item access on that table only', () => {
    const json = delivery('dev', {
      delivery: { repository: 'acme/cart-platform' },
      state: { lockTableName: 'tf-locks' },
    });
    expect(statement(json, 'retail-dev-github-deployer', 'LockTable')).toEqual({
      Sid: 'LockTable',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/tf-locks`,
    });
  });

  test('EKS access entries: the deployer is cluster admin, the planner views', () => {
    const json = delivery();
    expect(
      resourcesOf(json, 'aws_eks_access_policy_association').map((a) => [a.principal_arn, a.policy_arn]),
    ).toEqual([
      [
        '${aws_eks_access_entry.deployer-access-entry.principal_arn}',
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      ],
      [
        '${aws_eks_access_entry.planner-access-entry.principal_arn}',
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      ],
    ]);
    expect(resourcesOf(json, 'aws_eks_access_entry').map((e) => e.cluster_name)).toEqual([
      'retail-dev-eksdemo',
      'retail-dev-eksdemo',
    ]);
  });

  test('outputs name the GitHub variables', () => {
    const outputs = delivery().output as Record<string, { description?: string }>;
    expect(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.description]))).toEqual({
      'publisher-role-arn': 'GitHub variable AWS_PUBLISHER_ROLE_ARN_DEV',
      'deployer-role-arn': 'GitHub variable AWS_DEPLOYER_ROLE_ARN (environment dev)',
      'planner-role-arn': 'GitHub variable AWS_PLANNER_ROLE_ARN_DEV',
    });
  });
});

describe('the delivery stack in the app', () => {
  test('absent without a repository', () => {
    expect(buildTestPlatform('dev').stacks.delivery).toBeUndefined();
  });

  test('built after state and cart when CART_GITHUB_REPOSITORY is set', () => {
    const { overrides } = settingsFromVariables(
      'dev',
      { CART_GITHUB_REPOSITORY: 'acme/cart-platform' },
      () => 'abc',
    );
    const { stacks } = buildTestPlatform('dev', overrides);
    expect(stacks.delivery?.node.id).toBe(STACK_IDS.delivery);
    expect(stacks.delivery?.dependencies.map((d) => d.node.id).sort()).toEqual(['cart', 'state']);
  });

  test.each([
    ['acme/*', 'must be a GitHub repository owner/name'],
    ['acme', 'must be a GitHub repository owner/name'],
  ])('repository %s is refused by the config', (repository, message) => {
    expect(() => environmentConfig('dev', { delivery: { repository } })).toThrow(message);
  });

  test.each([
    ['mainBranch', 'main*'],
    ['githubEnvironment', 'prod:x'],
  ])('%s %s is refused (it would widen the subject)', (field, value) => {
    expect(() => environmentConfig('dev', { delivery: { [field]: value } })).toThrow(
      `delivery.${field}: ${JSON.stringify(value)} — must be a name without *, ?, : or spaces`,
    );
  });
});
