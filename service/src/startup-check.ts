import type { Config } from './config.js';
import { CUSTOMER_INDEX_NAME, ENV } from './contract.js';
import type { Logger } from './logger.js';
import type { CartRepository } from './repository/cart-repository.js';
import { errorName } from './repository/errors.js';

/**
 * The line upstream logs when DynamoDB fails at start; the EKS workshop's tests grep for exactly this text.
 */
export const DYNAMODB_ACCESS_ERROR = 'An error occurred when accessing Amazon DynamoDB';

/** The start-up check failed; the message is the diagnosis. server.ts exits with code 1. */
export class StartupCheckError extends Error {
  constructor(
    readonly diagnosis: string,
    options?: { cause?: unknown },
  ) {
    super(`${DYNAMODB_ACCESS_ERROR}: ${diagnosis}`, options);
    this.name = 'StartupCheckError';
  }
}

interface DiagnosisContext {
  readonly tableName: string;
  readonly region: string;
  readonly endpoint: string | undefined;
}

/** The likely cause of a DynamoDB error at start, in the words of the workshop's troubleshooting. */
export function diagnose(error: unknown, { tableName, region, endpoint }: DiagnosisContext): string {
  const name = errorName(error);
  const detail = error instanceof Error && error.message ? ` (${name}: ${error.message})` : ` (${name})`;
  const where = endpoint ? `at ${endpoint}` : `in region ${region}`;
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return (
      `AccessDenied: the pod's IAM role may not query table ${tableName} and its index ${CUSTOMER_INDEX_NAME}. ` +
      `Check the IAM policy attached to the role (dynamodb actions on the table and index ARNs) and that the ` +
      `EKS Pod Identity association (or IRSA annotation) maps the carts service account to that role` +
      detail
    );
  }
  if (name === 'ResourceNotFoundException') {
    return (
      `ResourceNotFound: table ${tableName} (or its index ${CUSTOMER_INDEX_NAME}) does not exist ${where}. ` +
      `Check ${ENV.tableName} and ${ENV.region}, and that the table has been created` +
      detail
    );
  }
  if (
    name === 'CredentialsProviderError' ||
    /credential/i.test(name) ||
    /Could not load credentials/i.test(detail)
  ) {
    return (
      `no AWS credentials were found: the carts service account is not associated with an IAM role. ` +
      `Create the EKS Pod Identity association for the service account (or annotate it for IRSA), then ` +
      `restart the pod` +
      detail
    );
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') {
    return `the credentials were rejected: check the IAM role the pod assumes and ${ENV.region}` + detail;
  }
  return `DynamoDB ${where} did not answer the ${CUSTOMER_INDEX_NAME} query; check the network path` + detail;
}

/** Logs the failure line with its diagnosis and returns the error to throw. */
export function startupFailure(error: unknown, config: Config, logger: Logger): StartupCheckError {
  const p = config.persistence;
  const context =
    p.provider === 'dynamodb'
      ? p
      : { tableName: 'N/A', region: 'N/A', endpoint: undefined as string | undefined };
  const failure = new StartupCheckError(diagnose(error, context), { cause: error });
  logger.error(
    { table: context.tableName, region: context.region, error: errorName(error) },
    failure.message,
  );
  return failure;
}

/**
 * At start, query the index once, as upstream does. On failure, log the line the workshop greps for with the
 * diagnosis, and throw (server.ts exits with code 1); tests call this without exiting.
 */
export async function startupCheck(
  repository: CartRepository,
  config: Config,
  logger: Logger,
): Promise<void> {
  const p = config.persistence;
  if (p.provider !== 'dynamodb') return;
  try {
    await repository.ping();
  } catch (error) {
    throw startupFailure(error, config, logger);
  }
  logger.info({ table: p.tableName, region: p.region, endpoint: p.endpoint ?? null }, 'DynamoDB answers');
}
