import { TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { buildTestPlatform, synthStack } from '../helpers/synth';

function stacksOf(environment: string, overrides?: Parameters<typeof buildTestPlatform>[1]) {
  const { app } = buildTestPlatform(environment, overrides);
  return app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
}

describe('the whole app', () => {
  test('dev produces the state, network and cluster stacks', () => {
    const ids = stacksOf('dev').map((s) => s.node.id);
    expect(ids.slice(0, 3)).toEqual(['state', 'network', 'cluster']);
  });

  test('every stack but the bootstrap one keeps state in S3 with the native lockfile', () => {
    for (const stack of stacksOf('dev').filter((s) => s.node.id !== 'state')) {
      const backend = synthStack(stack).terraform?.backend as Record<string, Record<string, unknown>>;
      expect(backend, stack.node.id).toEqual({
        s3: {
          bucket: 'retail-dev-tfstate-000000000000-us-east-1',
          key: `dev/${stack.node.id}.tfstate`,
          region: 'us-east-1',
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  test('a configured lock table replaces the lockfile', () => {
    const network = stacksOf('prod', { state: { lockTableName: 'tf-locks' } }).find(
      (s) => s.node.id === 'network',
    );
    const backend = synthStack(network as TerraformStack).terraform?.backend as Record<
      string,
      Record<string, unknown>
    >;
    expect(backend.s3.dynamodb_table).toBe('tf-locks');
    expect(backend.s3.use_lockfile).toBeUndefined();
    expect(backend.s3.key).toBe('prod/network.tfstate');
  });

  test('the cluster reads the network through remote state on the same backend', () => {
    const cluster = stacksOf('dev').find((s) => s.node.id === 'cluster') as TerraformStack;
    const json = synthStack(cluster) as { data?: Record<string, Record<string, Record<string, unknown>>> };
    const remote = Object.values(json.data?.terraform_remote_state ?? {});
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({
      backend: 's3',
      config: { bucket: 'retail-dev-tfstate-000000000000-us-east-1', key: 'dev/network.tfstate' },
    });
  });

  test('the AWS provider carries default tags and, in the emulator, every endpoint and dummy keys', () => {
    const dev = synthStack(stacksOf('dev').find((s) => s.node.id === 'network') as TerraformStack);
    const devProvider = (dev.provider?.aws as Array<Record<string, unknown>>)[0];
    expect(devProvider.region).toBe('us-east-1');
    // No settings: the placeholder account, which Terraform refuses to plan in with any real credentials.
    expect(devProvider.allowed_account_ids).toEqual(['000000000000']);
    expect(devProvider.default_tags).toEqual([
      { tags: { Project: 'retail-store', ManagedBy: 'cdktf', Environment: 'dev' } },
    ]);
    expect(devProvider.endpoints).toBeUndefined();
    expect(devProvider.access_key).toBeUndefined();

    const emulator = synthStack(stacksOf('emulator').find((s) => s.node.id === 'network') as TerraformStack);
    const emulated = (emulator.provider?.aws as Array<Record<string, unknown>>)[0];
    expect(emulated).toMatchObject({
      access_key: 'emulator',
      secret_key: 'emulator',
      skip_credentials_validation: true,
      s3_use_path_style: true,
      // moto's account: the provider asks the emulator's STS and checks it like a real account.
      allowed_account_ids: ['123456789012'],
    });
    expect(emulated.skip_requesting_account_id).toBeUndefined();
    const endpoints = (emulated.endpoints as Array<Record<string, string>>)[0];
    expect(endpoints.eks).toBe('http://127.0.0.1:5000');
    expect(endpoints.dynamodb).toBe('http://127.0.0.1:5000');
    expect(endpoints.s3).toBe('http://127.0.0.1:5000');
  });
});
