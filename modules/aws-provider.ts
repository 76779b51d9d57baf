import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../stacks/config';

/** The AWS service endpoints the platform calls; all are pointed at the emulator when one is configured. */
const EMULATED_SERVICES = [
  'dynamodb',
  'ec2',
  'ecr',
  'eks',
  'iam',
  'kms',
  'cloudwatchlogs',
  'route53',
  's3',
  'sts',
] as const;

/** Dummy credentials for a local emulator: never valid against AWS. */
export const EMULATOR_CREDENTIALS = { accessKey: 'emulator', secretKey: 'emulator' } as const;

/**
 * Configures the AWS provider of a stack: region, default tags on every taggable resource, and — only in the
 * `emulator` environment — every endpoint pointed at the local emulator with dummy credentials.
 */
export function addAwsProvider(scope: Construct, config: EnvironmentConfig): AwsProvider {
  const emulator = config.awsEndpoint;
  return new AwsProvider(scope, 'aws', {
    region: config.region,
    defaultTags: [{ tags: { ...config.tags, Environment: config.environment } }],
    ...(emulator !== undefined && {
      ...EMULATOR_CREDENTIALS,
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: 'true',
      skipRegionValidation: true,
      endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, emulator]))],
    }),
  });
}
