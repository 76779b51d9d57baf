import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { addAwsProvider } from '../modules/aws-provider';
import { awsProviderProps, useEnvironmentBackend } from './environment-stack';
import { policyDocument } from '../modules/iam-policy';
import type { EnvironmentConfig } from './config/schema';

export interface StateStackProps {
  /** The environment whose remote state this bucket holds. */
  readonly config: EnvironmentConfig;
}

/**
 * The remote-state bootstrap: the S3 bucket every other stack keeps its state in (and, for Terraform < 1.10,
 * a DynamoDB lock table). Its own state lives in the same bucket (`<env>/state.tfstate`): `npm run bootstrap`
 * applies it once with a local backend, then moves that state into the bucket it created
 * (scripts/platform/bootstrap.ts), so nothing stays on the machine that ran it.
 */
export class StateStack extends TerraformStack {
  /** The state bucket. */
  public readonly bucket: S3Bucket;
  /** The lock table, when `state.lockTableName` is configured. */
  public readonly lockTable?: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateStackProps) {
    super(scope, id);
    const { config } = props;
    useEnvironmentBackend(this, config);
    addAwsProvider(this, awsProviderProps(config));
    // A lost state bucket orphans every resource of the platform: refuse `destroy` unless the environment is
    // explicitly throwaway.
    const protect = !config.state.forceDestroy;

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: config.state.bucketName,
      forceDestroy: config.state.forceDestroy,
      lifecycle: { preventDestroy: protect },
    });
    new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    new S3BucketPolicy(this, 'tls-only', {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: { AWS: '*' },
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
      // S3 rejects a bucket policy while the public-access block is being applied.
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: 90, newerNoncurrentVersions: 10 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    if (config.state.lockTableName !== undefined) {
      this.lockTable = new DynamodbTable(this, 'lock-table', {
        name: config.state.lockTableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: protect,
        lifecycle: { preventDestroy: protect },
      });
    }

    new TerraformOutput(this, 'bucket-name', { value: this.bucket.bucket });
    new TerraformOutput(this, 'bucket-arn', { value: this.bucket.arn });
  }
}
