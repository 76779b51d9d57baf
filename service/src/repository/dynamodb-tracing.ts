/**
 * A client span for every DynamoDB call, as a middleware on the client's own stack: no require hooks (the
 * official aws-sdk instrumentation patches modules on load, which this ES module service would need a loader
 * for), and the document client, which shares this stack, is covered too. One span per call, retries included.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { context, SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_RPC_METHOD,
} from '@opentelemetry/semantic-conventions';
import { errorName } from './errors.js';

// Still "incubating" in the semantic conventions, but what AWS X-Ray and CloudWatch Application Signals read to
// name the remote service and resource. Copied rather than imported: the incubating entry point is large and
// not covered by the package's stability promise.
const ATTR_RPC_SYSTEM = 'rpc.system';
const ATTR_RPC_SERVICE = 'rpc.service';
const ATTR_CLOUD_REGION = 'cloud.region';
const ATTR_AWS_DYNAMODB_TABLE_NAMES = 'aws.dynamodb.table_names';
const ATTR_AWS_DYNAMODB_INDEX_NAME = 'aws.dynamodb.index_name';
const ATTR_AWS_REQUEST_ID = 'aws.request_id';
const DB_SYSTEM_NAME_VALUE_AWS_DYNAMODB = 'aws.dynamodb';

interface TableInput {
  readonly TableName?: string;
  readonly IndexName?: string;
  /** BatchWriteItem / BatchGetItem: keyed by table name. */
  readonly RequestItems?: Record<string, unknown>;
}

interface WithMetadata {
  readonly $metadata?: { readonly requestId?: string };
}

/** Adds the tracing middleware; spans are children of whatever span is active when the call is made. */
export function traceDynamoDb(client: DynamoDBClient, tracer: Tracer, region: string): void {
  client.middlewareStack.add(
    (next, { commandName }) =>
      async (args) => {
        const operation = String(commandName ?? 'Unknown').replace(/Command$/, '');
        const span = tracer.startSpan(
          `DynamoDB.${operation}`,
          { kind: SpanKind.CLIENT, attributes: attributesOf(operation, args.input as TableInput, region) },
          context.active(),
        );
        try {
          const result = await next(args);
          const requestId = (result.output as WithMetadata).$metadata?.requestId;
          if (requestId) span.setAttribute(ATTR_AWS_REQUEST_ID, requestId);
          return result;
        } catch (error) {
          const requestId = (error as WithMetadata).$metadata?.requestId;
          if (requestId) span.setAttribute(ATTR_AWS_REQUEST_ID, requestId);
          span.setAttribute(ATTR_ERROR_TYPE, errorName(error));
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
          if (error instanceof Error) span.recordException(error);
          throw error;
        } finally {
          span.end();
        }
      },
    { step: 'initialize', name: 'cartServiceTracing', priority: 'high' },
  );
}

function attributesOf(operation: string, input: TableInput, region: string): Attributes {
  const tables = input.TableName ? [input.TableName] : Object.keys(input.RequestItems ?? {});
  return {
    [ATTR_RPC_SYSTEM]: 'aws-api',
    [ATTR_RPC_SERVICE]: 'DynamoDB',
    [ATTR_RPC_METHOD]: operation,
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_AWS_DYNAMODB,
    [ATTR_DB_OPERATION_NAME]: operation,
    [ATTR_CLOUD_REGION]: region,
    [ATTR_AWS_DYNAMODB_TABLE_NAMES]: tables,
    ...(tables.length === 1 ? { [ATTR_DB_COLLECTION_NAME]: tables[0] } : {}),
    ...(input.IndexName ? { [ATTR_AWS_DYNAMODB_INDEX_NAME]: input.IndexName } : {}),
  };
}
