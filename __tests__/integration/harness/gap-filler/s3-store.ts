/** Bucket settings the filler keeps instead of moto, by bucket name; a bucket's go when moto deletes it. */

export interface BucketSettings {
  /** The policy document as PutBucketPolicy sent it. */
  policy?: string;
  /** The lifecycle configuration as sent, and the transition size header that goes with it. */
  lifecycle?: { xml: string; transitionDefaultMinimumObjectSize: string };
  /** A versioning status the filler answers for itself (only `Suspended`; see s3-bucket-settings.ts). */
  versioning?: { status: string; mfaDelete?: string };
}

export class S3Store {
  private readonly buckets = new Map<string, BucketSettings>();

  /** The bucket's settings (created empty on first use). */
  settings(bucket: string): BucketSettings {
    let settings = this.buckets.get(bucket);
    if (settings === undefined) {
      settings = {};
      this.buckets.set(bucket, settings);
    }
    return settings;
  }

  existing(bucket: string): BucketSettings | undefined {
    return this.buckets.get(bucket);
  }

  forget(bucket: string): void {
    this.buckets.delete(bucket);
  }

  /** What the filler still holds (for the "emulator is empty" check): `bucket: policy, lifecycle, …`. */
  held(): Record<string, string[]> {
    const rows = [...this.buckets.entries()].flatMap(([bucket, settings]) => {
      const kinds = Object.entries(settings)
        .filter(([, value]) => value !== undefined)
        .map(([kind]) => kind);
      return kinds.length > 0 ? [`${bucket}: ${kinds.join(', ')}`] : [];
    });
    return { s3BucketSettings: rows };
  }
}
