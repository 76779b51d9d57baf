/** The bench's table: created with the service's own definition, filled with BatchWriteItem in parallel chunks. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { lineId } from '../../service/src/cart/types.js';
import { DUMMY_CREDENTIALS } from '../../service/src/config.js';
import { ATTRIBUTES } from '@cart-platform/service/contract';
import { createDynamoDbClients, type DynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { BATCH_WRITE_LIMIT } from '../../service/src/repository/dynamodb.js';
import { ensureTable } from '../../service/src/repository/table.js';
import { delay } from '../lib/proc';

export const TABLE_NAME = 'bench-items';

/** Clients on the emulator and the table, created if missing (and waited for until active). */
export async function benchTable(endpoint: string): Promise<DynamoDbClients> {
  const clients = createDynamoDbClients({
    provider: 'dynamodb',
    tableName: TABLE_NAME,
    endpoint,
    embedded: false,
    createTable: true,
    region: 'us-west-2',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: 5,
  });
  await ensureTable(clients.client, TABLE_NAME, { maxWaitSeconds: 30 });
  return clients;
}

/** `lines` lines (item-0, item-1, …: the ids POSTs add to) for each customer, as stored items. */
export function cartItems(customers: readonly string[], lines: number): Record<string, unknown>[] {
  return customers.flatMap((customerId) =>
    Array.from({ length: lines }, (_, n) => ({
      [ATTRIBUTES.id]: lineId(customerId, `item-${n}`),
      [ATTRIBUTES.customerId]: customerId,
      [ATTRIBUTES.itemId]: `item-${n}`,
      [ATTRIBUTES.quantity]: 1,
      [ATTRIBUTES.unitPrice]: 100,
    })),
  );
}

/**
 * Writes the items in chunks of 25, `parallel` chunks in flight, re-sending unprocessed items (bounded).
 * Returns the wall time in milliseconds.
 */
export async function seed(
  clients: DynamoDbClients,
  items: readonly Record<string, unknown>[],
  parallel = 8,
): Promise<number> {
  const started = performance.now();
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT)
    chunks.push(items.slice(i, i + BATCH_WRITE_LIMIT));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending = chunks[next++].map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > 8)
          throw new Error(`seeding: ${pending.length} items still unprocessed after 8 attempts`);
        if (attempt > 1) await delay(20 * attempt);
        const out = await clients.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: pending } }),
        );
        pending = (out.UnprocessedItems?.[TABLE_NAME] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return performance.now() - started;
}
