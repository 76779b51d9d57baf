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
  if (metrics) instrument(client, metrics);
  if (tracer) traceDynamoDb(client, tracer, config.region);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { client, documentClient };
}

/**
 * Records the latency (retries included) and the errors of every DynamoDB call by operation. The document
 * client shares this middleware stack, and its commands report the low-level names (QueryCommand, ...).
 */
export function instrument(client: DynamoDBClient, metrics: Metrics): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const stop = metrics.dynamodbDuration.startTimer({ operation });
      try {
        const output = await next(args);
        stop({ outcome: 'success' });
        return output;
      } catch (error) {
        stop({ outcome: 'error' });
        metrics.dynamodbErrors.inc({ operation, error: errorName(error) });
        throw error;
      }
    },
    { step: 'initialize', name: 'cartServiceMetrics' },
  );
}
