/**
 * S3 buckets (the remote-state bucket above all: losing or leaking it orphans or exposes the whole platform).
 * With the aws provider 5.x each setting is its own resource pointing at the bucket; the legacy inline blocks
 * count too.
 */
import { rawStatements } from '../iam';
import { block, blocks, bool, strings, type ElementView, type SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule } from '../types';

/** Resources of a type whose `bucket` is this bucket (by reference or by literal name). */
function attached(app: SynthesizedApp, bucket: ElementView, type: string): ElementView[] {
  const name = app.literal(bucket.config.bucket, bucket);
  return app
    .resources(type)
    .filter(
      (r) =>
        app.mentions(r.config.bucket, bucket) ||
        (name !== undefined && app.literal(r.config.bucket, r) === name),
    );
}

function bucketRule(
  id: string,
  title: string,
  prevents: string,
  checkov: string[],
  missing: (app: SynthesizedApp, bucket: ElementView) => string | undefined,
  fix: string,
): GuardrailRule {
  return {
    id,
    title,
    prevents,
    category: 'baseline',
    checkov,
    check: (app) =>
      app.resources('aws_s3_bucket').flatMap((bucket) => {
        const problem = missing(app, bucket);
        return problem === undefined ? [] : [{ element: bucket, message: problem, fix }];
      }),
  };
}

export const bucketVersioning = bucketRule(
  'CART101',
  'S3 buckets are versioned',
  'An overwritten or deleted state file cannot be restored: Terraform forgets every resource it created.',
  ['CKV_AWS_21'],
  (app, bucket) => {
    const inline = bool(block(bucket.config.versioning)?.enabled) === true;
    const versioned = attached(app, bucket, 'aws_s3_bucket_versioning').some(
      (v) => block(v.config.versioning_configuration)?.status === 'Enabled',
    );
    return inline || versioned ? undefined : 'has no aws_s3_bucket_versioning with status "Enabled".';
  },
  'add aws_s3_bucket_versioning { versioning_configuration { status = "Enabled" } } for the bucket.',
);

export const bucketEncryption = bucketRule(
  'CART102',
  'S3 buckets are encrypted with KMS by default',
  'State (which holds secrets in plain text) is readable by anyone with s3:GetObject, without a KMS key policy in the way or a CloudTrail record of the decrypt.',
  ['CKV_AWS_145'],
  (app, bucket) => {
    const rules = [
      ...attached(app, bucket, 'aws_s3_bucket_server_side_encryption_configuration').flatMap((c) =>
        blocks(c.config.rule),
      ),
      ...blocks(block(bucket.config.server_side_encryption_configuration)?.rule),
    ];
    const algorithms = rules.map((r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm);
    if (algorithms.some((a) => a === 'aws:kms' || a === 'aws:kms:dsse')) return undefined;
    return algorithms.length === 0
      ? 'has no server-side encryption configuration.'
      : `is encrypted with ${algorithms.map((a) => JSON.stringify(a)).join(', ')}, not KMS.`;
  },
  'add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" (and bucket_key_enabled).',
);

const PUBLIC_ACCESS_FLAGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const bucketPublicAccess = bucketRule(
  'CART103',
  'S3 buckets block all public access',
  'One public ACL or policy statement publishes the state — every output, password and key in it.',
  ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
  (app, bucket) => {
    const blocksFound = attached(app, bucket, 'aws_s3_bucket_public_access_block');
    if (blocksFound.length === 0) return 'has no aws_s3_bucket_public_access_block.';
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => !blocksFound.some((b) => bool(b.config[f]) === true));
    return off.length === 0 ? undefined : `has a public access block with ${off.join(', ')} not true.`;
  },
  `set ${PUBLIC_ACCESS_FLAGS.join(', ')} to true in aws_s3_bucket_public_access_block.`,
);

/** A Deny of all s3 actions when `aws:SecureTransport` is false. */
function deniesInsecureTransport(document: unknown): boolean {
  return rawStatements(document).some((statement) => {
    const insecure = block(block(statement.Condition)?.Bool)?.['aws:SecureTransport'];
    return (
      statement.Effect === 'Deny' &&
      (insecure === 'false' || insecure === false) &&
      strings(statement.Action).some((a) => a === '*' || a === 's3:*')
    );
  });
}

export const bucketTlsOnly = bucketRule(
  'CART104',
  'S3 bucket policies deny requests without TLS',
  'State can be read or written over plain HTTP by a misconfigured client or proxy.',
  [],
  (app, bucket) => {
    const policies = attached(app, bucket, 'aws_s3_bucket_policy');
    const inline = bucket.config.policy;
    const ok =
      policies.some((p) => deniesInsecureTransport(p.config.policy)) ||
      (inline !== undefined && deniesInsecureTransport(inline));
    return ok ? undefined : 'has no bucket policy denying s3:* when aws:SecureTransport is "false".';
  },
  'add an aws_s3_bucket_policy statement: Deny s3:* on the bucket and its objects when Bool aws:SecureTransport = "false".',
);
