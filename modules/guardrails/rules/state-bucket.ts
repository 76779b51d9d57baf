/**
 * S3 buckets (the remote-state bucket above all: losing or leaking it orphans or exposes the whole platform).
 * With the aws provider 5.x each setting is its own resource pointing at the bucket; the legacy inline blocks
 * count too.
 */
import { documentStatements, type Statement } from '../iam-documents';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule } from '../types';
import { block, blocks, bool, shown } from '../values';

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
    fix,
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
    if (bool(block(bucket.config.versioning)?.enabled) === true) return undefined;
    const resources = attached(app, bucket, 'aws_s3_bucket_versioning');
    const statuses = resources.map((v) => ({ v, status: block(v.config.versioning_configuration)?.status }));
    if (statuses.some((s) => s.status === 'Enabled')) return undefined;
    return statuses.length === 0
      ? 'has no aws_s3_bucket_versioning with status "Enabled".'
      : `has versioning ${statuses.map((s) => `${shown(s.status ?? null)} (${s.v.path})`).join(', ')}, not "Enabled".`;
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
    const account = app.resources('aws_s3_account_public_access_block');
    const all = (r: ElementView) => PUBLIC_ACCESS_FLAGS.every((f) => bool(r.config[f]) === true);
    if (account.some(all)) return undefined;
    const blocksFound = attached(app, bucket, 'aws_s3_bucket_public_access_block');
    if (blocksFound.length === 0) return 'has no aws_s3_bucket_public_access_block.';
    const off = PUBLIC_ACCESS_FLAGS.filter((f) => !blocksFound.some((b) => bool(b.config[f]) === true));
    if (off.length === 0) return undefined;
    const values = off.map((f) => `${f} = ${shown(blocksFound[0].config[f] ?? null)}`);
    return `has a public access block (${blocksFound.map((b) => b.path).join(', ')}) with ${values.join(', ')}.`;
  },
  `set ${PUBLIC_ACCESS_FLAGS.join(', ')} to true in aws_s3_bucket_public_access_block.`,
);

/** A Deny of all s3 actions when `aws:SecureTransport` is false. */
function deniesInsecureTransport(statements: readonly Statement[]): boolean {
  return statements.some(
    (s) =>
      s.effect === 'Deny' &&
      s.conditions.some(
        (c) => c.operator === 'Bool' && c.key === 'aws:SecureTransport' && c.values.includes('false'),
      ) &&
      (s.actions ?? []).some((a) => a === '*' || a === 's3:*'),
  );
}

export const bucketTlsOnly = bucketRule(
  'CART104',
  'S3 buckets have one bucket policy, and it denies requests without TLS',
  'State can be read or written over plain HTTP by a misconfigured client or proxy.',
  [],
  (app, bucket) => {
    const policies = [
      ...attached(app, bucket, 'aws_s3_bucket_policy').map((p) => ({
        at: p.path,
        value: p.config.policy,
        near: p,
      })),
      ...(bucket.config.policy === undefined
        ? []
        : [{ at: `${bucket.path} (inline policy)`, value: bucket.config.policy, near: bucket }]),
    ];
    if (policies.length > 1) {
      return `has ${policies.length} bucket policies (${policies.map((p) => p.at).join(', ')}): S3 keeps one policy per bucket, so each apply replaces the other — the TLS-only deny is lost whenever the other policy is applied.`;
    }
    const statements = policies.flatMap((p) => documentStatements(app, p.value, p.near, p.at) ?? []);
    return deniesInsecureTransport(statements)
      ? undefined
      : 'has no bucket policy denying s3:* when aws:SecureTransport is "false".';
  },
  'keep one aws_s3_bucket_policy per bucket, with a statement: Deny s3:* on the bucket and its objects when Bool aws:SecureTransport = "false" (merge other statements into it).',
);

/** Buckets that hold the app's Terraform state: an S3 backend of the app names them. */
function stateBuckets(app: SynthesizedApp): ElementView[] {
  const names = new Set(
    app
      .backends()
      .filter((b) => b.type === 's3')
      .map((b) => app.literal(b.config.bucket, b)),
  );
  return app.resources('aws_s3_bucket').filter((b) => names.has(app.literal(b.config.bucket, b)));
}

export const stateBucketForceDestroy: GuardrailRule = {
  id: 'CART105',
  title: 'The state bucket has no force_destroy (prod)',
  prevents:
    "`terraform destroy` of the state stack (or a replaced bucket) empties the bucket first: every stack's state and its versions are deleted, and Terraform loses track of everything it created.",
  fix: 'set force_destroy = false on the state bucket (config.state.forceDestroy: false).',
  category: 'production',
  checkov: [],
  check: (app) =>
    stateBuckets(app)
      .filter((bucket) => bool(bucket.config.force_destroy) === true)
      .map((bucket) => ({
        element: bucket,
        message: `sets force_destroy = true on the state bucket ${shown(app.literal(bucket.config.bucket, bucket))}.`,
        fix: stateBucketForceDestroy.fix,
      })),
};
