import { S3Backend, type TerraformStack } from 'cdktf';
import { EMULATOR_CREDENTIALS } from '../modules/aws-provider';

export interface S3StateProps {
  /** The state bucket (created by the `state` stack). */
  readonly bucket: string;
  /** The state object's key, one per environment and stack: `<env>/<stack>.tfstate`. */
  readonly key: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * A DynamoDB lock table, for Terraform < 1.10.
   * @default - S3 native locking (`use_lockfile`)
   */
  readonly lockTableName?: string;
  /** A local AWS emulator (moto) holding the bucket; tests only. @default - AWS S3 */
  readonly emulatorEndpoint?: string;
}

/**
 * Puts a stack's state on the S3 bucket the `state` stack creates.
 *
 * Locking uses S3's native lock file (`use_lockfile`, Terraform >= 1.10) unless a DynamoDB lock table is
 * configured. cdktf's S3Backend has no prop for `use_lockfile`, hence the override.
 */
export function useS3Backend(stack: TerraformStack, props: S3StateProps): S3Backend {
  const emulator = props.emulatorEndpoint;
  const backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: props.key,
    region: props.region,
    encrypt: true,
    ...(props.lockTableName !== undefined && { dynamodbTable: props.lockTableName }),
    ...(emulator !== undefined && {
      ...EMULATOR_CREDENTIALS,
      endpoints: { s3: emulator, sts: emulator, iam: emulator, dynamodb: emulator },
      usePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: true,
      skipRegionValidation: true,
    }),
  });
  if (props.lockTableName === undefined) {
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  }
  return backend;
}
