import type { Tracer } from '@opentelemetry/api';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { CartRepository } from './cart-repository.js';
import { createDynamoDbClients } from './dynamodb-client.js';
import { DynamoDbCartRepository } from './dynamodb.js';
import { InMemoryCartRepository } from './in-memory.js';
import { ensureTable } from './table.js';

export interface Storage {
  readonly repository: CartRepository;
  /** Releases connections. */
  close(): void;
}

/** The repository the configuration asks for; in create-table mode, the table first. */
export async function createStorage(
  config: Config,
  logger: Logger,
  observe: { readonly metrics?: Metrics; readonly tracer?: Tracer } = {},
): Promise<Storage> {
  const p = config.persistence;
  if (p.provider === 'in-memory') return { repository: new InMemoryCartRepository(), close: () => undefined };

  const { client, documentClient } = createDynamoDbClients(p, observe);
  // Config refuses create-table mode without an endpoint: on AWS the infrastructure owns the table.
  if (p.createTable && p.endpoint !== undefined) {
    const result = await ensureTable(client, p.tableName);
    logger.info({ table: p.tableName, endpoint: p.endpoint }, `table ${result}`);
  }
  return {
    repository: new DynamoDbCartRepository({ client: documentClient, tableName: p.tableName }),
    close: () => client.destroy(),
  };
}
