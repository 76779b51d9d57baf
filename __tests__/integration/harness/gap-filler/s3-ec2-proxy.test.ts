/**
 * The gap filler as a proxy (what it does not correct reaches moto unchanged), and its S3 and EC2 corrections,
 * through the AWS SDK against a real moto_server. Each group first shows the gap on moto alone.
 */
import {
  CreateLaunchTemplateCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { IAMClient, ListRolesCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rejection, startFilledEmulator, type FilledEmulator } from './test-emulator';

let env: FilledEmulator;
let s3: S3Client;
let motoS3: S3Client;

beforeAll(async () => {
  env = await startFilledEmulator();
  s3 = new S3Client(env.config);
  motoS3 = new S3Client(env.motoConfig);
});

afterAll(async () => {
  s3?.destroy();
  motoS3?.destroy();
  await env?.stop();
});

/** The state bucket's policy: deny every request that is not over TLS. */
const tlsOnly = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });

async function bucketWithObject(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'dev/network.tfstate', Body: '{"version":4}' }),
  );
}

const read = async (client: S3Client, bucket: string) =>
  (
    await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dev/network.tfstate' }))
  ).Body?.transformToString();

describe('the proxy', () => {
  test('forwards what it does not correct unchanged: a 5 MB object, streamed, reads back from moto', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const body = Buffer.alloc(5 * 1024 * 1024, 'x');
    body.write('head', 0);
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'blob', Body: body }));
    const back = await motoS3.send(new GetObjectCommand({ Bucket: 'big', Key: 'blob' }));
    expect(Buffer.from(await (back.Body?.transformToByteArray() ?? [])).equals(body)).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket: 'big', Key: 'blob' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'big' }));
  });

  test('other services and unsigned requests pass through', async () => {
    const iam = new IAMClient(env.config);
    await iam.send(new CreateRoleCommand({ RoleName: 'through', AssumeRolePolicyDocument: '{}' }));
    const roles = await iam.send(new ListRolesCommand({}));
    iam.destroy();
    expect(roles.Roles?.map((r) => r.RoleName)).toContain('through');
    const unsigned = await fetch(`${env.filler.endpoint}/moto-api/`);
    expect(unsigned.status).toBe(200);
    await unsigned.arrayBuffer();
    expect(env.filler.forwarded()).toBeGreaterThan(3);
  });

  test('a handler failure is a 500 that names the filler, and is logged', async () => {
    const response = await fetch(`${env.filler.endpoint}/clusters`, {
      method: 'POST',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=emulator/20260101/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=x',
        'content-type': 'application/json',
      },
      body: '{not json',
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^emulator gap filler: SyntaxError/,
    );
    expect(env.filler.log()).toContain('ERROR POST /clusters: SyntaxError');
  });
});

describe('s3-bucket-policy', () => {
  test('moto alone: the TLS-only policy denies everything, Terraform’s state reads included', async () => {
    await bucketWithObject(motoS3, 'locked');
    await motoS3.send(new PutBucketPolicyCommand({ Bucket: 'locked', Policy: tlsOnly('locked') }));
    const denied = await rejection(read(motoS3, 'locked'));
    expect(denied.$metadata?.httpStatusCode).toBe(403);
  });

  test('stored by the filler: the bucket stays readable and the policy reads back as written', async () => {
    await bucketWithObject(s3, 'state');
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'state', Policy: tlsOnly('state') }));
    expect(await read(s3, 'state')).toBe('{"version":4}');
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'state' }))).Policy).toBe(tlsOnly('state'));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'state' }));
    const none = await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'state' })));
    expect(none.name).toBe('NoSuchBucketPolicy');
  });

  test.each([
    ['a bucket that does not exist', 'nowhere', tlsOnly('nowhere'), 'NoSuchBucket'],
    ['a policy that is not JSON', 'state', 'Deny all', 'MalformedPolicy'],
  ])('refuses %s', async (_label, bucket, policy, name) => {
    const error = await rejection(s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })));
    expect(error.name).toBe(name);
  });
});

describe('s3-lifecycle', () => {
  const rule: LifecycleRule = {
    ID: 'expire-old-state-versions',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 10 },
  };

  test('moto alone drops NewerNoncurrentVersions', async () => {
    await motoS3.send(new CreateBucketCommand({ Bucket: 'forgetful' }));
    await motoS3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'forgetful',
        LifecycleConfiguration: { Rules: [rule] },
      }),
    );
    const { Rules } = await motoS3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'forgetful' }));
    expect(Rules?.[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 90 });
  });

  test('stored by the filler: read back as written, then deleted', async () => {
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'state',
        LifecycleConfiguration: { Rules: [rule] },
      }),
    );
    const read = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'state' }));
    expect(read.Rules).toEqual([rule]);
    expect(read.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: 'state' }));
    const none = await rejection(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'state' })));
    expect(none.name).toBe('NoSuchLifecycleConfiguration');
  });
});

describe('s3-versioning-suspend', () => {
  /** A versioned bucket holding a version and a delete marker (what an S3 state lock leaves), then suspended. */
  async function suspendedWithDeleteMarker(client: S3Client, bucket: string): Promise<void> {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'dev/network.tfstate.tflock', Body: 'lock' }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'dev/network.tfstate.tflock' }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
  }

  /** What force_destroy does: delete every version and delete marker. */
  async function empty(client: S3Client, bucket: string): Promise<void> {
    const listed = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    expect(objects).toHaveLength(2);
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }),
    );
    if ((result.Errors ?? []).length > 0) throw new Error(JSON.stringify(result.Errors));
  }

  test('moto alone cannot delete the versions once versioning is suspended', async () => {
    await suspendedWithDeleteMarker(motoS3, 'stuck');
    const error = await rejection(empty(motoS3, 'stuck'));
    expect(error.$metadata?.httpStatusCode ?? 500).toBe(500);
  });

  test('through the filler: suspended as far as anyone can tell, and emptied and deleted', async () => {
    await suspendedWithDeleteMarker(s3, 'suspended');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'suspended' }))).Status).toBe('Suspended');
    await empty(s3, 'suspended');
    await s3.send(new DeleteBucketCommand({ Bucket: 'suspended' }));
  });

  test('enabled again: moto’s answer', async () => {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: 'state', VersioningConfiguration: { Status: 'Suspended' } }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: 'state', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'state' }))).Status).toBe('Enabled');
  });
});

describe('ec2-launch-template-tags', () => {
  test('the template’s own tags are not reported as a tag specification of its data (moto alone does)', async () => {
    const ec2 = new EC2Client(env.config);
    const motoEc2 = new EC2Client(env.motoConfig);
    try {
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'general',
          LaunchTemplateData: {
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'node' }] }],
          },
          TagSpecifications: [
            { ResourceType: 'launch-template', Tags: [{ Key: 'Project', Value: 'retail-store' }] },
          ],
        }),
      );
      const specifications = async (client: EC2Client) =>
        (
          await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'general' }))
        ).LaunchTemplateVersions?.[0].LaunchTemplateData?.TagSpecifications?.map((t) => t.ResourceType);
      expect(await specifications(motoEc2)).toEqual(['instance', 'launch-template']);
      expect(await specifications(ec2)).toEqual(['instance']);
    } finally {
      ec2.destroy();
      motoEc2.destroy();
    }
  });
});

test('deleting the buckets leaves the filler holding nothing; every S3 and EC2 correction was exercised', async () => {
  await s3.send(
    new DeleteObjectsCommand({
      Bucket: 'state',
      Delete: {
        Objects: ((await s3.send(new ListObjectVersionsCommand({ Bucket: 'state' }))).Versions ?? []).map(
          (v) => ({
            Key: v.Key,
            VersionId: v.VersionId,
          }),
        ),
      },
    }),
  );
  await s3.send(new DeleteBucketCommand({ Bucket: 'state' }));
  expect(env.filler.held().s3BucketSettings).toEqual([]);
  const unused = env.filler.usage().filter((u) => /^(s3|ec2)-/.test(u.name) && u.total === 0);
  expect(unused.map((u) => u.name)).toEqual([]);
});
