/**
 * Storage failures the API reports as 503 with Retry-After: throttling, DynamoDB server errors, an unreachable
 * endpoint, credentials that could not be fetched or refreshed, and batch items still unprocessed after every
 * retry. Classified by duck typing so that nothing outside repository/ needs the SDK.
 */

/** Error names of DynamoDB throttling. */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** Node network errors: the endpoint does not answer. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Credential failures at request time: the EKS Pod Identity agent, STS (IRSA) or IMDS did not answer, or the
 * credentials expired before the SDK could refresh them. The start-up check has proved that the pod has a
 * working identity, so mid-life these are blips (an agent restarting, an STS hiccup), not misconfiguration.
 */
export const TRANSIENT_CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'IDPCommunicationErrorException',
  'IDPCommunicationError',
]);

/** Storage is temporarily unable to serve; the client should retry later. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The error's name (AWS exception names are a bounded set, usable as a metric label). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  const name = (error as AwsLikeError | undefined)?.name;
  return typeof name === 'string' ? name : 'Unknown';
}

/** Whether an SDK error means "retry later" rather than "this request is wrong" or "we have a bug". */
export function isTransientStorageError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsLikeError;
  if (typeof e.name === 'string') {
    if (THROTTLING_ERRORS.has(e.name) || TRANSIENT_CREDENTIAL_ERRORS.has(e.name)) return true;
    if (e.name === 'TimeoutError') return true;
  }
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

/** Wraps transient errors in StorageUnavailableError; returns every other error unchanged. */
export function classifyStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError || !isTransientStorageError(error)) return error;
  return new StorageUnavailableError(`DynamoDB is unavailable: ${errorName(error)}`, { cause: error });
}
