import { Testing } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { StateStack } from '../../stacks/state-stack';
import { environmentConfig } from '../../stacks/config/environments';
import { onlyResource, parsePolicy, resourcesOf, synthStack } from '../helpers/synth';

function synthState(overrides?: Parameters<typeof environmentConfig>[1]) {
  const app = Testing.app();
  return synthStack(new StateStack(app, 'state', { config: environmentConfig('dev', overrides) }));
}

describe('StateStack', () => {
  test('the bucket is versioned, KMS-encrypted, fully private and protected from destroy', () => {
    const json = synthState();
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({
      bucket: 'retail-dev-tfstate-000000000000-us-east-1',
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({
      status: 'Enabled',
    });
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
    ]);
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test('the bucket policy denies every non-TLS request', () => {
    const json = synthState();
    const statements = parsePolicy(onlyResource(json, 'aws_s3_bucket_policy').policy).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements[0].Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.bucket\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.bucket\.arn\}\/\*$/),
    ]);
  });

  test('its own state lives in its own bucket (after bootstrap), and it has no lock table by default', () => {
    const json = synthState();
    expect(json.terraform?.backend).toEqual({
      s3: {
        bucket: 'retail-dev-tfstate-000000000000-us-east-1',
        key: 'dev/state.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(json.terraform?.required_version).toBe('>= 1.10');
    expect(resourcesOf(json, 'aws_dynamodb_table')).toHaveLength(0);
  });

  test('an optional DynamoDB lock table keyed on LockID', () => {
    const json = synthState({ state: { lockTableName: 'retail-tf-locks' } });
    expect(onlyResource(json, 'aws_dynamodb_table')).toMatchObject({
      name: 'retail-tf-locks',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      deletion_protection_enabled: true,
    });
  });

  test('forceDestroy makes a throwaway bucket', () => {
    const json = synthState({ state: { forceDestroy: true } });
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({
      force_destroy: true,
      lifecycle: { prevent_destroy: false },
    });
  });
});
