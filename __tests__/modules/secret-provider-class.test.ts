import { describe, expect, test } from 'vitest';
import {
  SecretProviderClass,
  renderObjects,
  type SecretProviderClassProps,
} from '../../modules/secret-provider-class';
import { grantParametersRead, grantSecretsRead } from '../../modules/secret-grants';
import { WorkloadIdentity } from '../../modules/workload-identity';
import { onlyResource, parsePolicy, synthScope } from '../helpers/synth';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:retail/cart/api-AbCdEf';
const PROPS: SecretProviderClassProps = {
  name: 'cart-secrets',
  namespace: 'carts',
  secrets: [{ objectName: 'retail/cart/api', objectType: 'secretsmanager' }],
};

function spcManifest(props: SecretProviderClassProps) {
  const json = synthScope((scope) => new SecretProviderClass(scope, 'spc', props));
  return onlyResource(json, 'kubernetes_manifest').manifest as {
    apiVersion: string;
    kind: string;
    metadata: Record<string, string>;
    spec: { provider: string; parameters: Record<string, string>; secretObjects?: unknown[] };
  };
}

describe('SecretProviderClass', () => {
  test('minimal props: an aws SecretProviderClass using Pod Identity', () => {
    expect(spcManifest(PROPS)).toEqual({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'cart-secrets', namespace: 'carts' },
      spec: {
        provider: 'aws',
        parameters: {
          objects: '- objectName: "retail/cart/api"\n  objectType: "secretsmanager"\n',
          usePodIdentity: 'true',
        },
      },
    });
  });

  test.each([
    ['pod-identity', 'true'],
    ['irsa', 'false'],
  ] as const)('identityMode %s: usePodIdentity "%s"', (identityMode, expected) => {
    const spc = spcManifest({ ...PROPS, identityMode });
    expect(spc.spec.parameters.usePodIdentity).toBe(expected);
  });

  test('objects YAML from typed props: alias, version label, jmesPath, SSM parameters', () => {
    expect(
      renderObjects([
        {
          objectName: 'retail/cart/db',
          objectType: 'secretsmanager',
          objectAlias: 'db',
          objectVersionLabel: 'AWSCURRENT',
          jmesPath: [
            { path: 'username', objectAlias: 'db-user' },
            { path: 'password', objectAlias: 'db-password' },
          ],
        },
        { objectName: '/retail/cart/feature-flag', objectType: 'ssmparameter' },
      ]),
    ).toBe(
      [
        '- objectName: "retail/cart/db"',
        '  objectType: "secretsmanager"',
        '  objectAlias: "db"',
        '  objectVersionLabel: "AWSCURRENT"',
        '  jmesPath:',
        '    - path: "username"',
        '      objectAlias: "db-user"',
        '    - path: "password"',
        '      objectAlias: "db-password"',
        '- objectName: "/retail/cart/feature-flag"',
        '  objectType: "ssmparameter"',
        '',
      ].join('\n'),
    );
  });

  test('values with YAML-significant characters are quoted', () => {
    expect(renderObjects([{ objectName: 'a: "b" #c', objectType: 'secretsmanager' }])).toBe(
      '- objectName: "a: \\"b\\" #c"\n  objectType: "secretsmanager"\n',
    );
  });

  test('syncToKubernetesSecret: secretObjects mapping mounted objects to Secret keys', () => {
    const manifest = spcManifest({
      ...PROPS,
      secrets: [
        {
          objectName: 'retail/cart/api',
          objectType: 'secretsmanager',
          jmesPath: [{ path: 'key', objectAlias: 'api-key' }],
        },
      ],
      syncToKubernetesSecret: {
        secretName: 'cart-api',
        labels: { app: 'carts' },
        data: [
          { key: 'API_KEY', objectName: 'api-key' },
          { key: 'API_JSON', objectName: 'retail/cart/api' },
        ],
      },
      region: 'us-east-1',
    });
    expect(manifest.spec.parameters.region).toBe('us-east-1');
    expect(manifest.spec.secretObjects).toEqual([
      {
        secretName: 'cart-api',
        type: 'Opaque',
        labels: { app: 'carts' },
        data: [
          { objectName: 'api-key', key: 'API_KEY' },
          { objectName: 'retail/cart/api', key: 'API_JSON' },
        ],
      },
    ]);
  });

  test('public fields: name, namespace, synced Secret name', () => {
    synthScope((scope) => {
      const spc = new SecretProviderClass(scope, 'spc', {
        ...PROPS,
        syncToKubernetesSecret: { secretName: 's', data: [{ key: 'k', objectName: 'retail/cart/api' }] },
      });
      expect([spc.name, spc.namespace, spc.kubernetesSecretName]).toEqual(['cart-secrets', 'carts', 's']);
    });
  });

  test.each<[string, Partial<SecretProviderClassProps>, string]>([
    [
      'the name is not a DNS-1123 subdomain',
      { name: 'Cart_Secrets' },
      'SecretProviderClass name: "Cart_Secrets" must be a DNS-1123 subdomain',
    ],
    [
      'the namespace is not a label',
      { namespace: 'a.b' },
      'SecretProviderClass cart-secrets namespace: "a.b" must be a DNS-1123 label',
    ],
    ['there is no secret', { secrets: [] }, 'secrets: [] — give at least one'],
    [
      'the identity mode is unknown',
      { identityMode: 'kiam' as never },
      'identityMode: "kiam" not allowed; use pod-identity or irsa',
    ],
    [
      'an object name is empty',
      { secrets: [{ objectName: ' ', objectType: 'secretsmanager' }] },
      'secrets[0].objectName',
    ],
    [
      'the object type is unknown',
      { secrets: [{ objectName: 'x', objectType: 's3' as never }] },
      'secrets[0].objectType: "s3" not allowed; use secretsmanager or ssmparameter',
    ],
    [
      'jmesPath is used on an SSM parameter',
      {
        secrets: [
          { objectName: 'x', objectType: 'ssmparameter', jmesPath: [{ path: 'a', objectAlias: 'b' }] },
        ],
      },
      'secrets[0].jmesPath: only secretsmanager objects',
    ],
    [
      'two objects mount under one name',
      {
        secrets: [
          { objectName: 'x', objectType: 'secretsmanager' },
          { objectName: 'y', objectType: 'secretsmanager', objectAlias: 'x' },
        ],
      },
      'secrets: "x" is mounted twice',
    ],
    [
      'a synced key names an object that is not mounted',
      { syncToKubernetesSecret: { secretName: 's', data: [{ key: 'K', objectName: 'nope' }] } },
      'syncToKubernetesSecret.data objectName: "nope" is not mounted; mounted: retail/cart/api',
    ],
    [
      'a synced key is not a Secret key',
      { syncToKubernetesSecret: { secretName: 's', data: [{ key: 'a/b', objectName: 'retail/cart/api' }] } },
      'syncToKubernetesSecret.data key: "a/b"',
    ],
    [
      'nothing is synced',
      { syncToKubernetesSecret: { secretName: 's', data: [] } },
      'syncToKubernetesSecret.data: [] — name at least one key',
    ],
  ])('throws when %s', (_name, override, message) => {
    expect(() =>
      synthScope((scope) => new SecretProviderClass(scope, 'spc', { ...PROPS, ...override })),
    ).toThrow(message);
  });
});

describe('grantSecretsRead / grantParametersRead', () => {
  const identityProps = {
    clusterName: 'c',
    clusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/c',
    accountId: '123456789012',
    namespace: 'carts',
    serviceAccount: 'carts',
    roleName: 'c-carts',
  };

  test('GetSecretValue and DescribeSecret on exactly the given secrets', () => {
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'id', identityProps);
      grantSecretsRead(identity, [SECRET_ARN]);
    });
    expect(parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy).Statement).toEqual([
      {
        Sid: 'ReadMountedSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: SECRET_ARN,
      },
    ]);
  });

  test('two grants get distinct statement ids; parameters get ssm:GetParameters', () => {
    const parameter = 'arn:aws:ssm:us-east-1:123456789012:parameter/retail/cart/flag';
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'id', identityProps);
      grantSecretsRead(identity, [SECRET_ARN]);
      grantSecretsRead(identity, [`${SECRET_ARN}2`]);
      grantParametersRead(identity, [parameter]);
    });
    const statements = parsePolicy(onlyResource(json, 'aws_iam_role_policy').policy).Statement;
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['ReadMountedSecrets', ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], SECRET_ARN],
      [
        'ReadMountedSecrets2',
        ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        `${SECRET_ARN}2`,
      ],
      ['ReadMountedParameters', 'ssm:GetParameters', parameter],
    ]);
  });

  test.each([
    [[], 'grantSecretsRead secretArns: [] — name the ARNs'],
    [['*'], 'grantSecretsRead secretArns: "*" must be one exact ARN'],
    [['arn:aws:secretsmanager:us-east-1:123456789012:secret:*'], 'must be one exact ARN (no *)'],
    [['retail/cart/api'], 'grantSecretsRead secretArns: "retail/cart/api"'],
    [['arn:aws:ssm:us-east-1:123456789012:parameter/x'], 'must be one exact ARN'],
  ])('grantSecretsRead throws for %j', (arns, message) => {
    expect(() =>
      synthScope((scope) => grantSecretsRead(new WorkloadIdentity(scope, 'id', identityProps), arns)),
    ).toThrow(message);
  });
});
