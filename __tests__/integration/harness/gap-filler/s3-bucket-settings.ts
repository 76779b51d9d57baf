/**
 * S3 bucket settings moto mishandles, kept by the filler instead: the bucket policy, the lifecycle configuration
 * and a suspended versioning status. Everything else about the bucket (objects, versions, encryption, public
 * access block, …) stays moto's.
 */
import type { Correction, FillerContext } from './correction';
import { empty, s3Error, xml, type FillerRequest, type Reply } from './http';
import { passThrough, relay, succeeded } from './upstream';
import { childText, parseXml } from './xml';

const BUCKET = /^\/(?<bucket>[^/]+)\/?$/;
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** What S3 answers when PutBucketLifecycleConfiguration does not choose (AWS's default since September 2024). */
const DEFAULT_TRANSITION_MINIMUM_SIZE = 'all_storage_classes_128K';
const TRANSITION_MINIMUM_SIZE_HEADER = 'x-amz-transition-default-minimum-object-size';

/** NoSuchBucket unless moto has the bucket (HeadBucket). */
async function unlessBucketMissing(
  context: FillerContext,
  request: FillerRequest,
  bucket: string,
  then: () => Reply | Promise<Reply>,
): Promise<Reply> {
  const head = await context.upstream.call(request, 's3', { method: 'HEAD', path: `/${bucket}` });
  if (head.status === 404) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', bucket);
  if (!succeeded(head)) return relay(head);
  return then();
}

/**
 * moto evaluates bucket policies on every request and treats a Deny whose Condition does not match as a Deny:
 * the state bucket's TLS-only policy (Deny when aws:SecureTransport is false) would lock everyone out, Terraform's
 * state reads included. The filler stores the policy and answers for it; moto never sees it (nothing here
 * enforces policies — the synth-time guardrails and the unit tests check what the policy says).
 */
export const S3_BUCKET_POLICY: Correction = {
  name: 's3-bucket-policy',
  terraformTypes: ['aws_s3_bucket_policy'],
  moto: 'evaluates a Deny with a non-matching Condition as an unconditional Deny (the TLS-only policy denies everything)',
  fix: 'stores Put/Get/DeleteBucketPolicy itself; moto never sees the policy',
  routes: (context) => [
    {
      operation: 'PutBucketPolicy',
      service: 's3',
      method: 'PUT',
      path: BUCKET,
      subresource: 'policy',
      handle: (request, { bucket }) =>
        unlessBucketMissing(context, request, bucket, () => {
          const policy = request.body.toString('utf8');
          try {
            JSON.parse(policy);
          } catch {
            return s3Error(
              400,
              'MalformedPolicy',
              "Policies must be valid JSON and the first byte must be '{'",
              bucket,
            );
          }
          context.s3.settings(bucket).policy = policy;
          return empty(204);
        }),
    },
    {
      operation: 'GetBucketPolicy',
      service: 's3',
      method: 'GET',
      path: BUCKET,
      subresource: 'policy',
      handle: async (request, { bucket }) => {
        const policy = context.s3.existing(bucket)?.policy;
        // Without a stored policy moto answers (NoSuchBucketPolicy, or NoSuchBucket) as AWS would.
        if (policy === undefined) return passThrough(await context.upstream.forward(request));
        return { status: 200, headers: { 'content-type': 'application/json' }, body: policy };
      },
    },
    {
      operation: 'DeleteBucketPolicy',
      service: 's3',
      method: 'DELETE',
      path: BUCKET,
      subresource: 'policy',
      handle: (request, { bucket }) =>
        unlessBucketMissing(context, request, bucket, () => {
          const settings = context.s3.existing(bucket);
          if (settings !== undefined) delete settings.policy;
          return empty(204);
        }),
    },
  ],
};

/**
 * moto drops `NoncurrentVersionExpiration.NewerNoncurrentVersions` from a lifecycle rule, so the provider waits
 * three minutes for the configuration it wrote to read back and then fails. The filler stores the document as
 * sent (S3 answers GetBucketLifecycleConfiguration with the same XML) and the transition size header.
 */
export const S3_LIFECYCLE: Correction = {
  name: 's3-lifecycle',
  terraformTypes: ['aws_s3_bucket_lifecycle_configuration'],
  moto: 'drops NoncurrentVersionExpiration.NewerNoncurrentVersions from lifecycle rules',
  fix: 'stores Put/Get/DeleteBucketLifecycleConfiguration itself, as sent',
  routes: (context) => [
    {
      operation: 'PutBucketLifecycleConfiguration',
      service: 's3',
      method: 'PUT',
      path: BUCKET,
      subresource: 'lifecycle',
      handle: (request, { bucket }) =>
        unlessBucketMissing(context, request, bucket, () => {
          const document = request.body.toString('utf8');
          if (!hasRules(document)) {
            return s3Error(
              400,
              'MalformedXML',
              'The XML you provided was not well-formed or did not validate against our published schema',
              bucket,
            );
          }
          const size = String(
            request.headers[TRANSITION_MINIMUM_SIZE_HEADER] ?? DEFAULT_TRANSITION_MINIMUM_SIZE,
          );
          context.s3.settings(bucket).lifecycle = { xml: document, transitionDefaultMinimumObjectSize: size };
          return empty(200, { [TRANSITION_MINIMUM_SIZE_HEADER]: size });
        }),
    },
    {
      operation: 'GetBucketLifecycleConfiguration',
      service: 's3',
      method: 'GET',
      path: BUCKET,
      subresource: 'lifecycle',
      handle: async (request, { bucket }) => {
        const lifecycle = context.s3.existing(bucket)?.lifecycle;
        if (lifecycle === undefined) return passThrough(await context.upstream.forward(request));
        return xml(200, lifecycle.xml, {
          [TRANSITION_MINIMUM_SIZE_HEADER]: lifecycle.transitionDefaultMinimumObjectSize,
        });
      },
    },
    {
      operation: 'DeleteBucketLifecycle',
      service: 's3',
      method: 'DELETE',
      path: BUCKET,
      subresource: 'lifecycle',
      handle: (request, { bucket }) =>
        unlessBucketMissing(context, request, bucket, () => {
          const settings = context.s3.existing(bucket);
          if (settings !== undefined) delete settings.lifecycle;
          return empty(204);
        }),
    },
  ],
};

/** Whether a lifecycle document is well-formed XML with a LifecycleConfiguration of at least one Rule. */
function hasRules(document: string): boolean {
  try {
    const [root] = parseXml(document);
    return root?.name === 'LifecycleConfiguration' && root.children.some((c) => c.name === 'Rule');
  } catch {
    return false;
  }
}

/**
 * Once a bucket's versioning is Suspended, moto's DeleteObject(s) with a VersionId takes its unversioned path,
 * which disposes of every version of the key — and a delete marker has no `dispose`: a 500. Each S3 state lock
 * leaves a delete marker, and destroying `aws_s3_bucket_versioning` suspends versioning before `force_destroy`
 * empties the bucket, so the state bucket could never be destroyed. The least invasive correction: the filler
 * answers PutBucketVersioning(Suspended) itself and remembers the status for GetBucketVersioning, while moto
 * keeps the bucket versioned and deletes versions and delete markers correctly. (The one difference: objects
 * written while "suspended" still get version ids in moto; nothing here reads them.) Enabling again is moto's.
 */
export const S3_VERSIONING_SUSPEND: Correction = {
  name: 's3-versioning-suspend',
  terraformTypes: ['aws_s3_bucket_versioning'],
  moto: 'answers 500 (FakeDeleteMarker has no dispose) deleting object versions once versioning is Suspended',
  fix: 'answers PutBucketVersioning(Suspended) itself and remembers it for GetBucketVersioning; moto stays versioned',
  routes: (context) => [
    {
      operation: 'PutBucketVersioning',
      service: 's3',
      method: 'PUT',
      path: BUCKET,
      subresource: 'versioning',
      handle: async (request, { bucket }) => {
        const document = request.body.toString('utf8');
        const [root] = safeParse(document);
        const status = root && childText(document, root, 'Status');
        if (status !== 'Suspended') {
          const settings = context.s3.existing(bucket);
          if (settings !== undefined) delete settings.versioning;
          return passThrough(await context.upstream.forward(request));
        }
        return unlessBucketMissing(context, request, bucket, () => {
          const mfaDelete = root && childText(document, root, 'MfaDelete');
          context.s3.settings(bucket).versioning = { status, ...(mfaDelete ? { mfaDelete } : {}) };
          return empty(200);
        });
      },
    },
    {
      operation: 'GetBucketVersioning',
      service: 's3',
      method: 'GET',
      path: BUCKET,
      subresource: 'versioning',
      handle: async (request, { bucket }) => {
        const versioning = context.s3.existing(bucket)?.versioning;
        if (versioning === undefined) return passThrough(await context.upstream.forward(request));
        const mfa =
          versioning.mfaDelete === undefined ? '' : `<MfaDelete>${versioning.mfaDelete}</MfaDelete>`;
        return xml(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${S3_NAMESPACE}"><Status>${versioning.status}</Status>${mfa}</VersioningConfiguration>`,
        );
      },
    },
  ],
};

function safeParse(document: string) {
  try {
    return parseXml(document);
  } catch {
    return [];
  }
}

/**
 * Bookkeeping for the three corrections above: moto deletes the bucket, and the settings the filler keeps for it
 * must go too (or a new bucket of the same name would inherit its policy and lifecycle).
 */
export const S3_DELETED_BUCKET: Correction = {
  name: 's3-deleted-bucket',
  terraformTypes: ['aws_s3_bucket'],
  moto: "(none: moto deletes the bucket) — the filler's policy, lifecycle and versioning for it would outlive it",
  fix: 'forwards DeleteBucket and, once moto has deleted the bucket, forgets its settings',
  routes: (context) => [
    {
      operation: 'DeleteBucket',
      service: 's3',
      method: 'DELETE',
      path: BUCKET,
      noSubresource: true,
      handle: async (request, { bucket }) => {
        const reply = await context.upstream.forward(request);
        if (succeeded(reply)) context.s3.forget(bucket);
        return relay(reply);
      },
    },
  ],
};
