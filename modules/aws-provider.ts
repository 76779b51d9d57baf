import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';

/** The AWS service endpoints the platform calls; all are pointed at the emulator when one is configured. */
const EMULATED_SERVICES = [
  'dynamodb',
  'ec2',
  'ecr',
  'eks',
  'iam',
  'kms',
  'cloudwatch',
  'cloudwatchlogs',
  'sns',
  'route53',
  's3',
  'sqs',
  'events',
  'sts',
] as const;

/** Dummy credentials for a local emulator: never valid against AWS. */
export const EMULATOR_CREDENTIALS = { accessKey: 'emulator', secretKey: 'emulator' } as const;

export interface AwsProviderProps {
  /** The region every resource of the stack lives in. */
  readonly region: string;
  /**
   * The only accounts Terraform may act in: a plan with credentials of any other account fails before it reads
   * or changes anything.
   * @default - any account
   */
  readonly allowedAccountIds?: readonly string[];
  /** Tags on every taggable resource (the provider's `default_tags`). @default {} */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /**
   * A local AWS emulator (moto) that every endpoint is pointed at, with dummy credentials. Only for tests; the
   * guardrails refuse it outside the emulator policy.
   * @default - AWS itself, with the SDK's default credential chain
   */
  readonly emulatorEndpoint?: string;
}

/**
 * Configures the AWS provider of a stack: region, default tags, and — only when an emulator endpoint is given —
 * every endpoint pointed at the local emulator with dummy credentials.
 */
export function addAwsProvider(scope: Construct, props: AwsProviderProps): AwsProvider {
  const emulator = props.emulatorEndpoint;
  const tags = props.defaultTags ?? {};
  return new AwsProvider(scope, 'aws', {
    region: props.region,
    ...(props.allowedAccountIds !== undefined && { allowedAccountIds: [...props.allowedAccountIds] }),
    ...(Object.keys(tags).length > 0 && { defaultTags: [{ tags: { ...tags } }] }),
    ...(emulator !== undefined && {
      ...EMULATOR_CREDENTIALS,
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      // The account id is requested (the emulator's STS answers), so allowed_account_ids is checked there too.
      skipMetadataApiCheck: 'true',
      skipRegionValidation: true,
      endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, emulator]))],
    }),
  });
}
