import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Tracer } from '@opentelemetry/api';
import type { DynamoDbConfig } from '../config.js';
import type { Metrics } from '../metrics.js';
import { traceDynamoDb } from './dynamodb-tracing.js';
import { errorName } from './errors.js';

export interface DynamoDbClients {
  /** Low-level client: table management and waiters. */
  readonly client: DynamoDBClient;
  /** Document client over the same connection pool: plain JS values in and out. */
  readonly documentClient: DynamoDBDocumentClient;
}

export interface DynamoDbClientOptions {
  /**
   * Records each call's latency and errors.
   * @default - no metrics
   */
  readonly metrics?: Metrics;
  /**
   * Makes a client span for each call.
   * @default - no spans (tracing off)
   */
  readonly tracer?: Tracer;
}

/**
 * Clients for both worlds. With an endpoint override (DynamoDB Local, the dev emulator) the config carries
 * dummy credentials unless keys are in the environment; without one, credentials are undefined and the SDK's
 * default chain finds Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI) or IRSA (AWS_WEB_IDENTITY_TOKEN_FILE).
 */
export function createDynamoDbClients(
  config: DynamoDbConfig,
  { metrics, tracer }: DynamoDbClientOptions = {},
): DynamoDbClients {
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.credentials !== undefined ? { credentials: { ...config.credentials } } : {}),
    // Adaptive mode adds client-side rate limiting on throttling to the standard backoff; attempts are bounded
    // so a throttled request fails within a request's lifetime and becomes a 503 with Retry-After.
    retryMode: 'adaptive',
    maxAttempts: config.maxAttempts,
    // A hung connection must not hold a request (or the readiness probe) forever.
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
  });
  if (tracer) traceDynamoDb(client, tracer, config.region);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  if (metrics) {
    instrument(client, metrics);
    instrument(documentClient, metrics);
  }
  return { client, documentClient };
}

/**
 * UpdateItem for the low-level UpdateItemCommand and for the document client's UpdateCommand alike: a document
 * client command carries the low-level command it sends as `clientCommand`.
 */
function operationOf(command: object): string {
  const sent = (command as { clientCommand?: object }).clientCommand ?? command;
  return sent.constructor.name.replace(/Command$/, '');
}

/** `send` as the clients are called here: a command, optionally options; a promise of its output. */
type Send = (command: object, ...rest: unknown[]) => Promise<unknown> | undefined;

/**
 * Records the latency (retries included) and the errors of every DynamoDB call by operation, around the
 * client's `send` (either client: the document client has its own). Not as a middleware on the clients' shared
 * stack: the SDK resolves the whole stack again for every call, and one middleware more cost each call ~40 µs
 * of CPU (a Query through a stubbed HTTP handler, 12 alternating rounds), far more than the timing itself.
 * Labels as the middleware's were: the low-level operation names.
 */
export function instrument(target: DynamoDBClient | DynamoDBDocumentClient, metrics: Metrics): void {
  const send = (target.send as Send).bind(target);
  const timed: Send = (command, ...rest) => {
    // The callback form (unused here) is passed through untimed: it returns nothing to time.
    if (typeof rest.at(-1) === 'function') return send(command, ...rest);
    const operation = operationOf(command);
    const stop = metrics.dynamodbDuration.startTimer({ operation });
    return (send(command, ...rest) as Promise<unknown>).then(
      (output) => {
        stop({ outcome: 'success' });
        return output;
      },
      (error: unknown) => {
        stop({ outcome: 'error' });
        metrics.dynamodbErrors.inc({ operation, error: errorName(error) });
        throw error;
      },
    );
  };
  (target as { send: Send }).send = timed;
}
