import { S3Backend, type TerraformStack } from 'cdktf';
import type { EnvironmentConfig } from '../stacks/config';
import { EMULATOR_CREDENTIALS } from '../modules/aws-provider';

/** The state object key of a stack: one file per environment and stack. */
export function stateKey(config: EnvironmentConfig, stackName: string): string {
  return `${config.environment}/${stackName}.tfstate`;
}

/**
 * Puts a stack's state on the S3 bucket the `state` stack creates.
 *
 * Locking uses S3's native lock file (`use_lockfile`, Terraform >= 1.10) unless a DynamoDB lock table is
 * configured. cdktf's S3Backend has no prop for `use_lockfile`, hence the override.
 */
export function useS3Backend(stack: TerraformStack, config: EnvironmentConfig, stackName: string): S3Backend {
  const emulator = config.awsEndpoint;
  const backend = new S3Backend(stack, {
    bucket: config.state.bucketName,
    key: stateKey(config, stackName),
    region: config.region,
    encrypt: true,
    ...(config.state.lockTableName !== undefined && { dynamodbTable: config.state.lockTableName }),
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
  if (config.state.lockTableName === undefined) {
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  }
  return backend;
}
