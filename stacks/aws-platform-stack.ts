import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { useS3Backend } from '../backend/remote-state';
import { addAwsProvider } from '../modules/aws-provider';
import type { EnvironmentConfig } from './config';

export interface PlatformStackProps {
  /** The validated environment configuration. */
  readonly config: EnvironmentConfig;
}

/** A stack whose state lives in the remote S3 backend (key `<env>/<stack id>.tfstate`). */
export abstract class RemoteStateStack extends TerraformStack {
  public readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.config = props.config;
    useS3Backend(this, props.config, id);
  }
}

/** A remote-state stack with the AWS provider: the stacks that only hold AWS resources. */
export abstract class AwsPlatformStack extends RemoteStateStack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    addAwsProvider(this, props.config);
  }
}
