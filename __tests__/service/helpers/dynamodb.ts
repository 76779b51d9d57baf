import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DUMMY_CREDENTIALS, type Config, type DynamoDbConfig } from '../../../service/src/config.js';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../../../service/src/embedded-dynamodb.js';
import type { Metrics } from '../../../service/src/metrics.js';
import {
  createDynamoDbClients,
  type DynamoDbClients,
} from '../../../service/src/repository/dynamodb-client.js';
import { ensureTable } from '../../../service/src/repository/table.js';

/** In-process DynamoDB emulator (dynalite, in memory) on 127.0.0.1 and a free port. */
export async function startEmulator(): Promise<EmbeddedDynamoDb> {
  return startEmbeddedDynamoDb();
}

export function dynamoDbConfig(endpoint: string, tableName: string, maxAttempts = 3): DynamoDbConfig {
  return {
    provider: 'dynamodb',
    tableName,
    endpoint,
    embedded: false,
    createTable: true,
    region: 'us-west-2',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts,
  };
}

export function appConfig(persistence: Config['persistence']): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'info',
    shutdownDrainMs: 0,
    shutdownTimeoutMs: 5_000,
    persistence,
    tracing: undefined,
  };
}

/** A new table name per test file (or test), so suites never see each other's data. */
export function uniqueTableName(prefix = 'carts'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Clients on the emulator, and a table created through the service's own create-if-missing helper. */
export async function tableOn(
  endpoint: string,
  tableName = uniqueTableName(),
  metrics?: Metrics,
): Promise<DynamoDbClients & { config: DynamoDbConfig }> {
  const config = dynamoDbConfig(endpoint, tableName);
  const clients = createDynamoDbClients(config, { metrics });
  await ensureTable(clients.client, tableName);
  return { ...clients, config };
}

/** Counts the calls a client sends, by operation (QueryCommand → Query). */
export function countCalls(client: DynamoDBClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `callCounter-${randomUUID()}` },
  );
  return counts;
}
