/**
 * The cart's environment in each of the guide's two worlds, from the service's own contract, so the variable names
 * the infrastructure sets are the names the service reads.
 *
 * - EKS: real DynamoDB. No endpoint, no keys, no create-table: the SDK's default chain finds Pod Identity
 *   (`AWS_CONTAINER_CREDENTIALS_FULL_URI`) or IRSA on its own, and the table belongs to Terraform.
 * - Local (K3s): DynamoDB Local behind a Service, dummy keys (from a Secret, see `localCartSecretEnvironment`),
 *   and the table created at start when missing.
 */
import { ENV, OTEL_ENV } from '@cart-platform/service/contract';

/** The persistence provider both worlds use. */
export const DYNAMODB_PROVIDER = 'dynamodb';

export interface EksCartEnvironmentProps {
  /** The region of the table (the AWS provider's region). */
  readonly region: string;
  /** The table's name (reference the table resource). */
  readonly tableName: string;
  /** Export traces over OTLP. @default - none: the service sets up no exporter */
  readonly tracing?: CartTracing;
}

/** Where and how much the cart traces. */
export interface CartTracing {
  /** Base URL of the OTLP/HTTP receiver (the CloudWatch agent's). */
  readonly endpoint: string;
  /** Share of new traces kept, 0 to 1. */
  readonly samplingRatio: number;
  /** The environment, as the `deployment.environment.name` resource attribute. */
  readonly environment: string;
}

/** The `service.name` of the cart's spans (upstream's service name). */
export const CART_SERVICE_NAME = 'carts';

/** The ConfigMap data of the cart on EKS. */
export function eksCartEnvironment(props: EksCartEnvironmentProps): Record<string, string> {
  return {
    [ENV.region]: props.region,
    [ENV.provider]: DYNAMODB_PROVIDER,
    [ENV.tableName]: props.tableName,
    ...(props.tracing !== undefined && tracingEnvironment(props.tracing)),
  };
}

/** The standard OTEL_* variables the service reads (service/src/contract.ts OTEL_ENV). */
export function tracingEnvironment(tracing: CartTracing): Record<string, string> {
  if (!(tracing.samplingRatio >= 0 && tracing.samplingRatio <= 1)) {
    throw new Error(`tracing samplingRatio: ${tracing.samplingRatio} — must be between 0 and 1`);
  }
  return {
    [OTEL_ENV.endpoint]: tracing.endpoint,
    [OTEL_ENV.protocol]: 'http/protobuf',
    [OTEL_ENV.serviceName]: CART_SERVICE_NAME,
    [OTEL_ENV.resourceAttributes]: `deployment.environment.name=${tracing.environment}`,
    // Children follow the caller's decision, so a trace is never cut in half.
    [OTEL_ENV.sampler]: 'parentbased_traceidratio',
    [OTEL_ENV.samplerArg]: String(tracing.samplingRatio),
  };
}

export interface LocalCartEnvironmentProps extends EksCartEnvironmentProps {
  /** DynamoDB Local's URL, e.g. `http://dynamodb:8000`. */
  readonly endpoint: string;
}

/** The ConfigMap data of the cart next to DynamoDB Local. */
export function localCartEnvironment(props: LocalCartEnvironmentProps): Record<string, string> {
  return {
    ...eksCartEnvironment(props),
    [ENV.endpoint]: props.endpoint,
    [ENV.createTable]: 'true',
  };
}

/** Dummy credentials DynamoDB Local accepts (it checks nothing); kept in a Secret all the same. */
export const LOCAL_DUMMY_CREDENTIALS: Readonly<Record<string, string>> = {
  [ENV.accessKeyId]: 'local',
  [ENV.secretAccessKey]: 'local',
};

/** Variables taken from a Secret: variable name → key in the Secret. */
export function localCartSecretEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.keys(LOCAL_DUMMY_CREDENTIALS).map((name) => [name, name]));
}
