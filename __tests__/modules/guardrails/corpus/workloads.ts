/** Class 2: the cart (or its mistakes) in other resource types, and the environment a container really gets. */
import { TerraformVariable } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { ConfigMapV1Data } from '@cdktf/provider-kubernetes/lib/config-map-v1-data';
import { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { Env } from '@cdktf/provider-kubernetes/lib/env';
import { PodV1 } from '@cdktf/provider-kubernetes/lib/pod-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { ENV } from '@cart-platform/service/contract';
import { NAMESPACE, SERVICE_ACCOUNT, TABLE_NAME } from '../fixture';
import {
  CART_ENV,
  HARDENED,
  HARDENED_PROPS,
  LIMITS,
  containerOverride,
  manifestObject,
  manifestWorkload,
  podOverride,
} from './helpers';
import type { ExtensionMistake } from './types';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-store/cart:1.0.0';
const base64 = (s: string) => Buffer.from(s).toString('base64');

/** A provider-resource cart container (snake_case schema), hardened, with extra env. */
function cartContainer(env: { name: string; value: string }[]) {
  return {
    name: 'carts',
    image: IMAGE,
    env: [...CART_ENV, ...env],
    resources: LIMITS,
    securityContext: HARDENED_PROPS,
  };
}

const podTemplate = (env: { name: string; value: string }[]) => ({
  metadata: { labels: { app: 'carts-extra' } },
  spec: {
    serviceAccountName: SERVICE_ACCOUNT,
    securityContext: { runAsNonRoot: true, runAsUser: '1000' },
    container: [cartContainer(env)],
  },
});

export const WORKLOADS: ExtensionMistake[] = [
  {
    class: 2,
    what: 'a second cart in the legacy kubernetes_deployment type carries static keys',
    rule: 'CART001',
    path: 'cart-workload/carts-legacy',
    mentions: ['AWS_ACCESS_KEY_ID'],
    extend: (f) =>
      new Deployment(f.stacks.workload, 'carts-legacy', {
        metadata: { name: 'carts-legacy', namespace: NAMESPACE },
        spec: {
          selector: { matchLabels: { app: 'carts-extra' } },
          template: podTemplate([
            { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' },
            { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
          ]),
        },
      }),
  },
  {
    class: 2,
    what: 'a StatefulSet copy of the cart keeps the local endpoint',
    rule: 'CART002',
    path: 'cart-workload/carts-stateful',
    mentions: [ENV.endpoint, 'http://dynamodb:8000'],
    extend: (f) =>
      new StatefulSetV1(f.stacks.workload, 'carts-stateful', {
        metadata: { name: 'carts-stateful', namespace: NAMESPACE },
        spec: {
          serviceName: 'carts',
          selector: { matchLabels: { app: 'carts-extra' } },
          template: podTemplate([{ name: ENV.endpoint, value: 'http://dynamodb:8000' }]),
        },
      }),
  },
  {
    class: 2,
    what: 'the cart pasted as a kubernetes_manifest Deployment with a secret key in env',
    rule: 'CART001',
    path: 'cart-workload/carts-manifest',
    mentions: ['AWS_SECRET_ACCESS_KEY'],
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'carts-manifest', {
        env: [
          ...CART_ENV,
          { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        ],
      }),
  },
  {
    class: 2,
    what: 'a manifest ConfigMap loaded with envFrom turns create-table on with "True"',
    rule: 'CART003',
    path: 'cart-workload/carts-extra-config',
    mentions: [ENV.createTable, 'True'],
    extend: (f) => {
      manifestObject(f.stacks.workload, 'carts-extra-config', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'carts-extra', namespace: NAMESPACE },
        data: { [ENV.createTable]: 'True' },
      });
      containerOverride(f, 'env_from', [{ config_map_ref: { name: 'carts-extra' } }]);
    },
  },
  {
    class: 2,
    what: 'a nightly CronJob running the cart image keeps the DynamoDB Local endpoint',
    rule: 'CART002',
    path: 'cart-workload/carts-cleanup',
    mentions: [ENV.endpoint, 'http://dynamodb-local.carts:8000'],
    extend: (f) =>
      new CronJobV1(f.stacks.workload, 'carts-cleanup', {
        metadata: { name: 'carts-cleanup', namespace: NAMESPACE },
        spec: {
          schedule: '0 3 * * *',
          jobTemplate: {
            metadata: {},
            spec: {
              template: {
                metadata: {},
                spec: {
                  serviceAccountName: SERVICE_ACCOUNT,
                  securityContext: { runAsNonRoot: true, runAsUser: '1000' },
                  container: [
                    cartContainer([{ name: ENV.endpoint, value: 'http://dynamodb-local.carts:8000' }]),
                  ],
                },
              },
            },
          },
        },
      }),
  },
  {
    class: 2,
    what: 'envFrom with prefix "AWS_" turns a ConfigMap key into AWS_ENDPOINT_URL_DYNAMODB',
    rule: 'CART002',
    path: 'cart-workload/sdk-settings',
    mentions: ['AWS_ENDPOINT_URL_DYNAMODB', 'http://localstack:4566'],
    extend: (f) => {
      new ConfigMapV1(f.stacks.workload, 'sdk-settings', {
        metadata: { name: 'sdk-settings', namespace: NAMESPACE },
        data: { ENDPOINT_URL_DYNAMODB: 'http://localstack:4566', MAX_ATTEMPTS: '5' },
      });
      containerOverride(f, 'env_from', [{ prefix: 'AWS_', config_map_ref: { name: 'sdk-settings' } }]);
    },
  },
  {
    class: 2,
    what: 'a manifest Secret (base64 data) loaded with envFrom holds AWS keys',
    rule: 'CART001',
    path: 'cart-workload/aws-keys',
    mentions: ['AWS_ACCESS_KEY_ID'],
    extend: (f) => {
      manifestObject(f.stacks.workload, 'aws-keys', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'aws-keys', namespace: NAMESPACE },
        type: 'Opaque',
        data: { AWS_ACCESS_KEY_ID: base64('AKIAIOSFODNN7EXAMPLE') },
      });
      containerOverride(f, 'env_from', [{ secret_ref: { name: 'aws-keys' } }]);
    },
  },
  {
    class: 2,
    what: 'AWS_ACCESS_KEY_ID comes from a Terraform variable',
    rule: 'CART001',
    path: 'cart-workload/deployment',
    mentions: ['AWS_ACCESS_KEY_ID', 'var.ci_access_key'],
    extend: (f) => {
      const key = new TerraformVariable(f.stacks.workload, 'ci_access_key', {
        type: 'string',
        sensitive: true,
      });
      containerOverride(f, 'env', [{ name: 'AWS_ACCESS_KEY_ID', value: key.stringValue }]);
    },
  },
  {
    class: 2,
    what: 'a credentials file from a Secret is mounted at ~/.aws',
    rule: 'CART001',
    path: 'cart-workload/deployment',
    mentions: ['/home/app/.aws/credentials', 'aws-credentials'],
    extend: (f) => {
      new SecretV1(f.stacks.workload, 'aws-credentials', {
        metadata: { name: 'aws-credentials', namespace: NAMESPACE },
        data: {
          credentials:
            '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
        },
      });
      podOverride(f, 'volume', [{ name: 'aws', secret: { secret_name: 'aws-credentials' } }]);
      containerOverride(f, 'volume_mount', [{ name: 'aws', mount_path: '/home/app/.aws', read_only: true }]);
    },
  },
  {
    class: 2,
    what: 'AWS_SHARED_CREDENTIALS_FILE points at a Secret mounted elsewhere',
    rule: 'CART001',
    path: 'cart-workload/deployment',
    mentions: ['AWS_SHARED_CREDENTIALS_FILE', '/etc/aws/creds'],
    extend: (f) => {
      podOverride(f, 'volume', [{ name: 'creds', secret: { secret_name: 'ci-user' } }]);
      containerOverride(f, 'volume_mount', [{ name: 'creds', mount_path: '/etc/aws' }]);
      containerOverride(f, 'env', [{ name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/etc/aws/creds' }]);
    },
  },
  {
    class: 2,
    what: 'AWS_CONFIG_FILE points at a mounted config whose profile sets endpoint_url',
    rule: 'CART002',
    path: 'cart-workload/deployment',
    mentions: ['endpoint_url', 'http://localstack:4566', 'ConfigMap sdk-config'],
    extend: (f) => {
      new ConfigMapV1(f.stacks.workload, 'sdk-config', {
        metadata: { name: 'sdk-config', namespace: NAMESPACE },
        data: { config: '[default]\nregion = us-east-1\nendpoint_url = http://localstack:4566\n' },
      });
      podOverride(f, 'volume', [{ name: 'sdk', config_map: { name: 'sdk-config' } }]);
      containerOverride(f, 'volume_mount', [{ name: 'sdk', mount_path: '/etc/sdk' }]);
      containerOverride(f, 'env', [{ name: 'AWS_CONFIG_FILE', value: '/etc/sdk/config' }]);
    },
  },
  {
    class: 2,
    what: 'an access key id under a name of its own in the ConfigMap',
    rule: 'CART001',
    path: 'cart-workload/config',
    mentions: ['UPLOAD_KEY_ID', 'AKIA'],
    options: { configData: { UPLOAD_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' } },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'the generic AWS_ENDPOINT_URL points every client, DynamoDB included, at LocalStack',
    rule: 'CART002',
    path: 'cart-workload/deployment',
    mentions: ['AWS_ENDPOINT_URL', 'http://localstack:4566'],
    options: { containerEnv: [{ name: 'AWS_ENDPOINT_URL', value: 'http://localstack:4566' }] },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'a kubernetes_env patch adds the endpoint to the cart Deployment',
    rule: 'CART002',
    path: 'cart-workload/debug-endpoint',
    mentions: [ENV.endpoint, 'http://dynamodb:8000'],
    extend: (f) =>
      new Env(f.stacks.workload, 'debug-endpoint', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'carts', namespace: NAMESPACE },
        container: 'carts',
        env: [{ name: ENV.endpoint, value: 'http://dynamodb:8000' }],
      }),
  },
  {
    class: 2,
    what: 'a kubernetes_config_map_v1_data patch renames the table in the cart ConfigMap',
    rule: 'CART004',
    path: 'cart-workload/table-patch',
    mentions: ['"Items"'],
    extend: (f) =>
      new ConfigMapV1Data(f.stacks.workload, 'table-patch', {
        metadata: { name: 'carts', namespace: NAMESPACE },
        data: { [ENV.tableName]: 'Items' },
        force: true,
      }),
  },
  {
    class: 2,
    what: 'a kubernetes_config_map_v1_data patch turns create-table on with "on"',
    rule: 'CART003',
    path: 'cart-workload/create-patch',
    mentions: [ENV.createTable, '"on"'],
    extend: (f) =>
      new ConfigMapV1Data(f.stacks.workload, 'create-patch', {
        metadata: { name: 'carts', namespace: NAMESPACE },
        data: { [ENV.createTable]: 'on' },
      }),
  },
  {
    class: 2,
    what: 'a Helm release of the cart sets static keys in its env values (YAML)',
    rule: 'CART001',
    path: 'cart-workload/carts-chart',
    mentions: ['AWS_ACCESS_KEY_ID'],
    extend: (f) => {
      new HelmProvider(f.stacks.workload, 'helm', {});
      new Release(f.stacks.workload, 'carts-chart', {
        name: 'carts',
        namespace: NAMESPACE,
        chart: 'oci://public.ecr.aws/aws-containers/retail-store-sample-cart-chart',
        version: '1.2.2',
        values: [
          [
            'app:',
            '  persistence:',
            '    provider: dynamodb',
            `    dynamodb:`,
            `      tableName: ${TABLE_NAME}`,
            'env:',
            '  - name: AWS_ACCESS_KEY_ID',
            '    value: AKIAIOSFODNN7EXAMPLE',
            '  - name: AWS_SECRET_ACCESS_KEY',
            '    value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
          ].join('\n'),
        ],
      });
    },
  },
  {
    class: 2,
    what: 'a Helm release sets the cart endpoint through `set`',
    rule: 'CART002',
    path: 'cart-workload/carts-chart',
    mentions: [ENV.endpoint, 'http://dynamodb:8000'],
    extend: (f) => {
      new HelmProvider(f.stacks.workload, 'helm', {});
      new Release(f.stacks.workload, 'carts-chart', {
        name: 'carts',
        namespace: NAMESPACE,
        chart: 'carts',
        repository: 'https://charts.example.com',
        set: [
          { name: `env.${ENV.provider}`, value: 'dynamodb' },
          { name: `env.${ENV.endpoint}`, value: 'http://dynamodb:8000' },
        ],
      });
    },
  },
  {
    class: 2,
    what: 'the endpoint is assembled with $(VAR) expansion',
    rule: 'CART002',
    path: 'cart-workload/deployment',
    mentions: [ENV.endpoint, 'http://dynamodb-local:8000'],
    options: {
      containerEnv: [
        { name: 'DDB_HOST', value: 'dynamodb-local' },
        { name: ENV.endpoint, value: 'http://$(DDB_HOST):8000' },
      ],
    },
    extend: () => undefined,
  },
  {
    class: 2,
    what: "AWS_REGION from an envFrom Secret is not the table's region",
    rule: 'CART004',
    path: 'cart-workload/region-secret',
    mentions: ['AWS_REGION', 'eu-west-1'],
    options: { configData: { [ENV.region]: undefined } },
    extend: (f) => {
      new SecretV1(f.stacks.workload, 'region-secret', {
        metadata: { name: 'region', namespace: NAMESPACE },
        data: { AWS_REGION: 'eu-west-1' },
      });
      containerOverride(f, 'env_from', [{ secret_ref: { name: 'region' } }]);
    },
  },
  {
    class: 2,
    what: 'AWS_REGION is not a region at all ("us-east1"): the service refuses to start',
    rule: 'CART004',
    path: 'cart-workload/config',
    mentions: ['AWS_REGION', 'us-east1'],
    options: { configData: { [ENV.region]: 'us-east1' } },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'create-table is "1" in the ConfigMap',
    rule: 'CART003',
    path: 'cart-workload/config',
    mentions: [ENV.createTable, '"1"'],
    options: { configData: { [ENV.createTable]: '1' } },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'create-table has a value the service refuses ("enabled")',
    rule: 'CART003',
    path: 'cart-workload/config',
    mentions: [ENV.createTable, 'enabled'],
    options: { configData: { [ENV.createTable]: 'enabled' } },
    extend: () => undefined,
  },
  {
    class: 2,
    what: 'a debug Pod of the cart reads the keys from a Secret key ref',
    rule: 'CART001',
    path: 'cart-workload/carts-debug',
    mentions: ['AWS_SECRET_ACCESS_KEY', 'ci-user'],
    extend: (f) =>
      new PodV1(f.stacks.workload, 'carts-debug', {
        metadata: { name: 'carts-debug', namespace: NAMESPACE },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          securityContext: { runAsNonRoot: true, runAsUser: '1000' },
          container: [
            {
              ...cartContainer([]),
              env: [
                ...CART_ENV,
                {
                  name: 'AWS_SECRET_ACCESS_KEY',
                  valueFrom: { secretKeyRef: { name: 'ci-user', key: 'secret' } },
                },
              ],
            },
          ],
        },
      }),
  },
  {
    class: 2,
    what: 'a manifest Job of the cart (data migration) sets the endpoint in an init container',
    rule: 'CART002',
    path: 'cart-workload/carts-migrate',
    mentions: [ENV.endpoint],
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'carts-migrate', {
        kind: 'Job',
        name: 'carts-migrate',
        podSpec: {
          restartPolicy: 'Never',
          initContainers: [
            {
              name: 'seed',
              image: IMAGE,
              env: [...CART_ENV, { name: ENV.endpoint, value: 'http://dynamodb:8000' }],
              resources: LIMITS,
              securityContext: HARDENED,
            },
          ],
        },
      }),
  },
  {
    class: 2,
    what: "the cart region set for the manifest Deployment differs from the table's",
    rule: 'CART004',
    path: 'cart-workload/carts-manifest',
    mentions: ['AWS_REGION', 'us-west-2'],
    extend: (f) =>
      manifestWorkload(f.stacks.workload, 'carts-manifest', {
        env: [
          { name: ENV.provider, value: 'dynamodb' },
          { name: ENV.tableName, value: TABLE_NAME },
          { name: ENV.region, value: 'us-west-2' },
        ],
      }),
  },
];
