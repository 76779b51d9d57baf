import { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import type { EnvironmentOverrides } from '../../stacks/config/schema';
import type { LocalStack } from '../../stacks/local-stack';
import { ENV } from '@cart-platform/service/contract';
import {
  buildTestPlatform,
  onlyResource,
  resourceIds,
  resourcesOf,
  synthStack,
  type SynthJson,
} from '../helpers/synth';

function synthLocal(overrides?: EnvironmentOverrides): { json: SynthJson; stack: LocalStack } {
  const { stacks } = buildTestPlatform('local', overrides);
  const stack = stacks.local as LocalStack;
  return { json: synthStack(stack), stack };
}

type Named = { metadata: { name: string; namespace?: string } };
type Container = {
  name: string;
  image: string;
  args?: string[];
  env?: unknown[];
  volume_mount?: unknown[];
  port?: unknown[];
  security_context?: unknown;
};
type Deployment = Named & {
  depends_on?: string[];
  spec: {
    replicas: string;
    strategy: { type: string };
    template: {
      spec: {
        container: Container[];
        volume: unknown[];
        service_account_name: string;
        security_context: unknown;
      };
    };
  };
};

function deployment(json: SynthJson, name: string): Deployment {
  const found = (resourcesOf(json, 'kubernetes_deployment_v1') as unknown as Deployment[]).find(
    (d) => d.metadata.name === name,
  );
  if (found === undefined) throw new Error(`no Deployment ${name}`);
  return found;
}
function idOf(json: SynthJson, type: string, name: string): string {
  const resources = json.resource?.[type] ?? {};
  const id = Object.keys(resources).find((key) => (resources[key] as Named).metadata.name === name);
  if (id === undefined) throw new Error(`no ${type} named ${name}`);
  return id;
}

describe('LocalStack', () => {
  test('local builds only this stack', () => {
    const { app, stacks } = buildTestPlatform('local');
    const ids = app.node.children.filter((c) => c instanceof TerraformStack).map((s) => s.node.id);
    expect(ids).toEqual(['local']);
    expect(Object.keys(stacks)).toEqual(['local']);
  });

  test('local state, no AWS provider, the kubeconfig and context from config', () => {
    const { json } = synthLocal({ local: { kubeconfigPath: '/etc/rancher/k3s/k3s.yaml', context: 'k3s' } });
    expect(Object.keys(json.terraform?.backend ?? {})).toEqual(['local']);
    expect(Object.keys(json.provider ?? {})).toEqual(['kubernetes']);
    expect(json.provider?.kubernetes).toEqual([
      { config_path: '/etc/rancher/k3s/k3s.yaml', config_context: 'k3s' },
    ]);
    expect(Object.keys(json.resource ?? {}).filter((type) => !type.startsWith('kubernetes_'))).toEqual([]);
    expect(json.data).toBeUndefined();
  });

  test('DynamoDB Local: shared database on a local-path volume, Service dynamodb on 8000', () => {
    const { json } = synthLocal();
    const dynamodb = deployment(json, 'dynamodb');
    const claimId = resourceIds(json, 'kubernetes_persistent_volume_claim_v1')[0];
    expect(dynamodb.spec.strategy.type).toBe('Recreate');
    expect(dynamodb.spec.template.spec.container[0]).toMatchObject({
      image: 'amazon/dynamodb-local:2.6.1',
      args: ['-jar', 'DynamoDBLocal.jar', '-sharedDb', '-dbPath', '/data'],
      volume_mount: [
        { name: 'data', mount_path: '/data' },
        { name: 'tmp', mount_path: '/tmp' },
      ],
      security_context: {
        run_as_non_root: true,
        run_as_user: '1000',
        read_only_root_filesystem: true,
        allow_privilege_escalation: false,
        capabilities: { drop: ['ALL'] },
      },
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    });
    // The shared hardened settings, with the image's own group (DynamoDB Local is not our image).
    expect(dynamodb.spec.template.spec.security_context).toEqual({
      fs_group: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(dynamodb.spec.template.spec.container[0].security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '1000',
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(dynamodb.spec.template.spec.volume).toEqual([
      {
        name: 'data',
        persistent_volume_claim: {
          claim_name: `\${kubernetes_persistent_volume_claim_v1.${claimId}.metadata[0].name}`,
        },
      },
      { name: 'tmp', empty_dir: { medium: 'Memory', size_limit: '64Mi' } },
    ]);
    expect(onlyResource(json, 'kubernetes_persistent_volume_claim_v1')).toMatchObject({
      spec: {
        access_modes: ['ReadWriteOnce'],
        storage_class_name: 'local-path',
        resources: { requests: { storage: '1Gi' } },
      },
      // local-path binds on first consumer; waiting for the bind would deadlock the apply.
      wait_until_bound: false,
    });
    const service = (resourcesOf(json, 'kubernetes_service_v1') as Array<Named & { spec: unknown }>).find(
      (s) => s.metadata.name === 'dynamodb',
    );
    expect(service?.spec).toMatchObject({ port: [{ port: 8000, target_port: 'dynamodb' }] });
  });

  test('the storage class is configurable', () => {
    const { json } = synthLocal({ local: { storageClassName: 'standard' } });
    expect(onlyResource(json, 'kubernetes_persistent_volume_claim_v1')).toMatchObject({
      spec: { storage_class_name: 'standard' },
    });
  });

  test('the cart: the same image wired to DynamoDB Local with endpoint, provider, create-table and region', () => {
    const { json } = synthLocal();
    const data = (onlyResource(json, 'kubernetes_config_map_v1') as { data: Record<string, string> }).data;
    expect(data).toEqual({
      [ENV.endpoint]: 'http://dynamodb:8000',
      [ENV.provider]: 'dynamodb',
      [ENV.createTable]: 'true',
      [ENV.region]: 'us-east-1',
      [ENV.tableName]: 'Items',
      [ENV.shutdownDrainMs]: '10000',
      [ENV.shutdownTimeoutMs]: '20000',
    });
    const cart = deployment(json, 'carts');
    expect(cart.spec.template.spec.container[0].image).toBe('retail-store/cart:1.0.0');
    expect(cart.spec.replicas).toBe('1');
  });

  test('the endpoint names the DynamoDB Local Service', () => {
    const { json } = synthLocal();
    const data = (onlyResource(json, 'kubernetes_config_map_v1') as { data: Record<string, string> }).data;
    const service = (
      resourcesOf(json, 'kubernetes_service_v1') as Array<Named & { spec: { port: { port: number }[] } }>
    ).find((s) => s.metadata.name === 'dynamodb');
    expect(data[ENV.endpoint]).toBe(`http://${service?.metadata.name}:${service?.spec.port[0].port}`);
  });

  test('dummy keys come from a Secret through secretKeyRef, never from the ConfigMap', () => {
    const { json } = synthLocal();
    const secretId = resourceIds(json, 'kubernetes_secret_v1')[0];
    const secret = onlyResource(json, 'kubernetes_secret_v1') as { data: Record<string, string> };
    expect(Object.keys(secret.data).sort()).toEqual([ENV.accessKeyId, ENV.secretAccessKey]);
    const secretName = `\${kubernetes_secret_v1.${secretId}.metadata[0].name}`;
    expect(deployment(json, 'carts').spec.template.spec.container[0].env).toEqual([
      { name: ENV.accessKeyId, value_from: { secret_key_ref: { name: secretName, key: ENV.accessKeyId } } },
      {
        name: ENV.secretAccessKey,
        value_from: { secret_key_ref: { name: secretName, key: ENV.secretAccessKey } },
      },
    ]);
    const configMap = onlyResource(json, 'kubernetes_config_map_v1') as { data: Record<string, string> };
    expect(configMap.data[ENV.accessKeyId]).toBeUndefined();
  });

  test('a way in: the carts Service on NodePort 30080, and the cart waits for DynamoDB Local', () => {
    const { json } = synthLocal();
    const carts = (resourcesOf(json, 'kubernetes_service_v1') as Array<Named & { spec: unknown }>).find(
      (s) => s.metadata.name === 'carts',
    );
    expect(carts?.spec).toMatchObject({ type: 'NodePort', port: [{ port: 80, node_port: 30080 }] });
    expect(deployment(json, 'carts').depends_on).toEqual([
      `kubernetes_deployment_v1.${idOf(json, 'kubernetes_deployment_v1', 'dynamodb')}`,
      `kubernetes_service_v1.${idOf(json, 'kubernetes_service_v1', 'dynamodb')}`,
    ]);
    expect(json.output?.['cart-url'].value).toBe('http://localhost:30080');
    expect(json.output?.['port-forward-command'].value).toBe(
      'kubectl --context default -n carts port-forward svc/carts 8080:80',
    );
  });

  test('everything lives in the one namespace; no PDB, HPA or Ingress on a laptop', () => {
    const { json } = synthLocal({ local: { namespace: 'retail' } });
    const nsId = resourceIds(json, 'kubernetes_namespace_v1')[0];
    expect(onlyResource(json, 'kubernetes_namespace_v1')).toMatchObject({ metadata: { name: 'retail' } });
    const namespaced = Object.entries(json.resource ?? {})
      .filter(([type]) => type !== 'kubernetes_namespace_v1')
      .flatMap(([, resources]) => Object.values(resources) as Named[]);
    expect(new Set(namespaced.map((r) => r.metadata.namespace))).toEqual(
      new Set([`\${kubernetes_namespace_v1.${nsId}.metadata[0].name}`]),
    );
    for (const type of [
      'kubernetes_pod_disruption_budget_v1',
      'kubernetes_horizontal_pod_autoscaler_v2',
      'kubernetes_ingress_v1',
    ]) {
      expect(resourcesOf(json, type), type).toHaveLength(0);
    }
  });

  test.each([
    ['the NodePort is outside 30000-32767', { local: { nodePort: 8080 } }, 'local.nodePort: 8080'],
    [
      'the storage class is not a Kubernetes name',
      { local: { storageClassName: 'Local Path' } },
      'local.storageClassName: "Local Path"',
    ],
    ['the namespace is not a DNS label', { local: { namespace: 'Carts' } }, 'local.namespace: "Carts"'],
    ['the kubeconfig path is empty', { local: { kubeconfigPath: '' } }, 'local.kubeconfigPath: ""'],
  ])('throws when %s', (_name, overrides, message) => {
    expect(() => buildTestPlatform('local', overrides as EnvironmentOverrides)).toThrow(message);
  });

  test.each([
    [
      'the DynamoDB Local image has no tag',
      { local: { dynamodbLocalImage: 'amazon/dynamodb-local' } },
      'DynamodbLocal image: "amazon/dynamodb-local" needs an explicit tag',
    ],
    [
      'the cart image must be an image reference',
      { local: { cartImage: 'Retail Store/cart' } },
      'HardenedDeployment container.image: "Retail Store/cart" must be an image reference',
    ],
  ])('throws when %s', (_name, overrides, message) => {
    expect(() => buildTestPlatform('local', overrides as EnvironmentOverrides)).toThrow(message);
  });
});
