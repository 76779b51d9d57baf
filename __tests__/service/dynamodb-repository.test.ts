/**
 * The DynamoDB repository against an in-process DynamoDB emulator (dynalite), not a mocked client: paging,
 * atomic increments under concurrency, batched deletes, merges, and the exact set of actions it calls.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ItemNotFoundError } from '../../service/src/cart/errors.js';
import {
  CREATE_TABLE_DYNAMODB_ACTIONS,
  CUSTOMER_INDEX_NAME,
  REQUIRED_DYNAMODB_ACTIONS,
} from '@cart-platform/service/contract';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import type { DynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { DynamoDbCartRepository } from '../../service/src/repository/dynamodb.js';
import { ensureTable, tableDefinition } from '../../service/src/repository/table.js';
import { newId } from './helpers/app.js';
import { countCalls, startEmulator, tableOn, uniqueTableName } from './helpers/dynamodb.js';

let emulator: EmbeddedDynamoDb;
let table: DynamoDbClients & { config: { tableName: string } };
const opened: { destroy(): void }[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  table = await tableOn(emulator.endpoint);
  opened.push(table.client);
});

afterAll(async () => {
  opened.forEach((c) => c.destroy());
  await emulator.stop();
});

/** A repository on its own client, with a counter of the calls it makes. */
async function counted(options: { queryPageLimit?: number } = {}) {
  const clients = await tableOn(emulator.endpoint, table.config.tableName);
  opened.push(clients.client);
  const calls = countCalls(clients.client);
  const repository = new DynamoDbCartRepository({
    client: clients.documentClient,
    tableName: table.config.tableName,
    ...options,
  });
  calls.clear();
  return { repository, calls, documentClient: clients.documentClient };
}

const byId = <T extends { itemId: string }>(items: T[]) =>
  [...items].sort((a, b) => a.itemId.localeCompare(b.itemId));

describe('reading a cart', () => {
  test('follows every page of a cart larger than one 1 MB query page', async () => {
    const { repository, calls, documentClient } = await counted();
    const customer = newId();
    // Twelve lines of ~100 KB each (an extra attribute, as a table written by another tool might hold).
    const lines = Array.from({ length: 12 }, (_, i) => ({ itemId: `item-${String(i).padStart(2, '0')}`, i }));
    for (const { itemId, i } of lines) {
      await documentClient.send(
        new PutCommand({
          TableName: table.config.tableName,
          Item: {
            id: `${customer}:${itemId}`,
            customerId: customer,
            itemId,
            quantity: i + 1,
            unitPrice: 10 * i,
            padding: 'x'.repeat(100_000),
          },
        }),
      );
    }
    calls.clear();

    const items = byId(await repository.getItems(customer));

    expect(calls.get('Query')).toBeGreaterThanOrEqual(2);
    expect(calls.get('Scan')).toBeUndefined();
    expect(items).toEqual(lines.map(({ itemId, i }) => ({ itemId, quantity: i + 1, unitPrice: 10 * i })));
  });

  test('follows pages of a fixed size to the end', async () => {
    const { repository, calls } = await counted({ queryPageLimit: 2 });
    const customer = newId();
    for (let i = 0; i < 5; i++)
      await repository.addItem(customer, { itemId: `p${i}`, quantity: 1, unitPrice: 1 });
    calls.clear();
    expect(await repository.getItems(customer)).toHaveLength(5);
    // 2 + 2 + 1, and DynamoDB may answer one more empty page after a full one.
    expect(calls.get('Query')).toBeGreaterThanOrEqual(3);
  });
});

describe('adding', () => {
  test('200 concurrent adds of the same line end at the exact sum', async () => {
    const { repository } = await counted();
    const customer = newId();
    const quantities = Array.from({ length: 200 }, (_, i) => (i % 5) + 1);
    const results = await Promise.all(
      quantities.map((quantity) => repository.addItem(customer, { itemId: 'hot', quantity, unitPrice: 150 })),
    );
    const sum = quantities.reduce((a, b) => a + b, 0);
    expect(sum).toBe(600);
    expect(await repository.getItem(customer, 'hot')).toEqual({
      itemId: 'hot',
      quantity: sum,
      unitPrice: 150,
    });
    // Each add saw its own increment: the returned quantities are all distinct, the largest is the sum.
    expect(new Set(results.map((r) => r.quantity)).size).toBe(200);
    expect(Math.max(...results.map((r) => r.quantity))).toBe(sum);
  });

  test('stores upstream data model: id = customerId:itemId, customerId, itemId, numbers', async () => {
    const { repository, documentClient } = await counted();
    const customer = newId();
    await repository.addItem(customer, { itemId: 'a.b', quantity: 2, unitPrice: 150 });
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table.config.tableName, Key: { id: `${customer}:a.b` } }),
    );
    expect(Item).toEqual({
      id: `${customer}:a.b`,
      customerId: customer,
      itemId: 'a.b',
      quantity: 2,
      unitPrice: 150,
    });
  });
});

describe('updating', () => {
  test('a missing line throws ItemNotFoundError and is not created', async () => {
    const { repository } = await counted();
    const customer = newId();
    await expect(
      repository.updateItem(customer, { itemId: 'ghost', quantity: 1, unitPrice: 1 }),
    ).rejects.toEqual(new ItemNotFoundError(customer, 'ghost'));
    expect(await repository.getItem(customer, 'ghost')).toBeUndefined();
  });
});

describe('deleting a cart', () => {
  test('a cart of 60 lines goes in BatchWriteItem chunks of 25', async () => {
    const { repository, calls } = await counted();
    const customer = newId();
    const other = newId();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        repository.addItem(customer, { itemId: `l${i}`, quantity: 1, unitPrice: 1 }),
      ),
    );
    await repository.addItem(other, { itemId: 'l0', quantity: 1, unitPrice: 1 });
    calls.clear();

    await repository.deleteCart(customer);

    expect(calls.get('BatchWriteItem')).toBe(3);
    expect(await repository.getItems(customer)).toEqual([]);
    expect(await repository.getItems(other)).toEqual([{ itemId: 'l0', quantity: 1, unitPrice: 1 }]);
  });
});

describe('merging', () => {
  test('overlapping lines add up, the customer price wins, the session cart is emptied', async () => {
    const { repository } = await counted();
    const customer = newId();
    const session = newId('session');
    await repository.addItem(customer, { itemId: 'A', quantity: 3, unitPrice: 100 });
    await repository.addItem(customer, { itemId: 'C', quantity: 1, unitPrice: 7 });
    await repository.addItem(session, { itemId: 'A', quantity: 2, unitPrice: 150 });
    await repository.addItem(session, { itemId: 'B', quantity: 1, unitPrice: 20 });

    await repository.mergeCarts(customer, session);

    expect(byId(await repository.getItems(customer))).toEqual([
      { itemId: 'A', quantity: 5, unitPrice: 100 },
      { itemId: 'B', quantity: 1, unitPrice: 20 },
      { itemId: 'C', quantity: 1, unitPrice: 7 },
    ]);
    expect(await repository.getItems(session)).toEqual([]);
  });

  test('two concurrent merges of the same session move every line exactly once', async () => {
    const { repository } = await counted();
    const customer = newId();
    const session = newId('session');
    for (let i = 0; i < 10; i++)
      await repository.addItem(session, { itemId: `s${i}`, quantity: 2, unitPrice: 1 });
    await repository.addItem(customer, { itemId: 's0', quantity: 1, unitPrice: 1 });

    await Promise.all([repository.mergeCarts(customer, session), repository.mergeCarts(customer, session)]);

    const merged = byId(await repository.getItems(customer));
    expect(merged).toHaveLength(10);
    expect(merged.find((l) => l.itemId === 's0')?.quantity).toBe(3);
    expect(merged.filter((l) => l.itemId !== 's0').every((l) => l.quantity === 2)).toBe(true);
    expect(await repository.getItems(session)).toEqual([]);
  });

  test('a line read from a stale index (already moved) is not counted again', async () => {
    const { repository, documentClient } = await counted();
    const customer = newId();
    const session = newId('session');
    await repository.addItem(session, { itemId: 'x', quantity: 4, unitPrice: 1 });
    // Simulate the index still listing a line another merge already claimed: answer the first Query with it.
    const stale = [{ id: `${session}:x`, customerId: session, itemId: 'x', quantity: 4, unitPrice: 1 }];
    await repository.mergeCarts(customer, session);
    const original = documentClient.send.bind(documentClient);
    const patched = documentClient as unknown as { send: (command: unknown) => Promise<unknown> };
    patched.send = async (command: unknown) =>
      command?.constructor.name === 'QueryCommand' ? { Items: stale } : original(command as never);
    await repository.mergeCarts(customer, session);
    patched.send = original as never;
    expect(await repository.getItems(customer)).toEqual([{ itemId: 'x', quantity: 4, unitPrice: 1 }]);
  });
});

describe('table and actions', () => {
  test('the table definition matches upstream data model', () => {
    expect(tableDefinition('Items')).toEqual({
      TableName: 'Items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'customerId', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: CUSTOMER_INDEX_NAME,
          KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  test('ensureTable creates a missing table with its index, then finds it', async () => {
    const clients = await tableOn(emulator.endpoint, uniqueTableName('ensure'));
    opened.push(clients.client);
    const name = uniqueTableName('fresh');
    const calls = countCalls(clients.client);
    expect(await ensureTable(clients.client, name)).toBe('created');
    expect(await ensureTable(clients.client, name)).toBe('existed');
    const { Table } = await clients.client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([CUSTOMER_INDEX_NAME]);
    expect([...calls.keys()].map((op) => `dynamodb:${op}`).sort()).toEqual(
      [...CREATE_TABLE_DYNAMODB_ACTIONS].sort(),
    );
  });

  test('concurrent creators both succeed (ResourceInUseException is tolerated)', async () => {
    const clients = await tableOn(emulator.endpoint, uniqueTableName('race'));
    opened.push(clients.client);
    const name = uniqueTableName('race');
    const results = await Promise.all([ensureTable(clients.client, name), ensureTable(clients.client, name)]);
    expect(results.sort()).toEqual(['created', 'existed']);
  });

  test('REQUIRED_DYNAMODB_ACTIONS is exactly what the repository calls', async () => {
    const { repository, calls } = await counted();
    const customer = newId();
    const session = newId('session');
    await repository.ping();
    await repository.addItem(customer, { itemId: 'a', quantity: 1, unitPrice: 1 });
    await repository.addItem(session, { itemId: 'b', quantity: 1, unitPrice: 1 });
    await repository.getItems(customer);
    await repository.getItem(customer, 'a');
    await repository.updateItem(customer, { itemId: 'a', quantity: 2, unitPrice: 1 });
    await repository.mergeCarts(customer, session);
    await repository.deleteItem(customer, 'a');
    await repository.deleteCart(customer);
    expect([...calls.keys()].map((op) => `dynamodb:${op}`).sort()).toEqual(
      [...REQUIRED_DYNAMODB_ACTIONS].sort(),
    );
  });
});
