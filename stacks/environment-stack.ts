import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { useS3Backend } from '../backend/remote-state';
import { addAwsProvider, type AwsProviderProps } from '../modules/aws-provider';
import type { EnvironmentConfig } from './config/schema';

export interface EnvironmentStackProps {
  /** The validated environment configuration. */
  readonly config: EnvironmentConfig;
}

/** The state object key of a stack: one file per environment and stack. */
export function stateKey(config: EnvironmentConfig, stackName: string): string {
  return `${config.environment}/${stackName}.tfstate`;
}

/** The AWS provider of an environment: its region, its tags (plus `Environment`), the emulator in tests. */
export function awsProviderProps(config: EnvironmentConfig): AwsProviderProps {
  return {
    region: config.region,
    allowedAccountIds: [config.account.id],
    defaultTags: { ...config.tags, Environment: config.environment },
    emulatorEndpoint: config.awsEndpoint,
  };
}

/** `use_lockfile` (S3 native locking) and the providers' offline mirror need Terraform 1.10 or later. */
export const REQUIRED_TERRAFORM = '>= 1.10';

/** Puts a stack's state in the environment's bucket (`<env>/<stack id>.tfstate`). */
export function useEnvironmentBackend(stack: TerraformStack, config: EnvironmentConfig): void {
  useS3Backend(stack, {
    bucket: config.state.bucketName,
    key: stateKey(config, stack.node.id),
    region: config.region,
    lockTableName: config.state.lockTableName,
    emulatorEndpoint: config.awsEndpoint,
  });
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM);
}

/** A stack whose state lives in the remote S3 backend (key `<env>/<stack id>.tfstate`). */
export abstract class RemoteStateStack extends TerraformStack {
  public readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    this.config = props.config;
    useEnvironmentBackend(this, props.config);
  }
}

/** A remote-state stack with the AWS provider: the stacks that only hold AWS resources. */
export abstract class AwsStack extends RemoteStateStack {
  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    addAwsProvider(this, awsProviderProps(props.config));
  }
}
