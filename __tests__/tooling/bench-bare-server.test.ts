/**
 * The bare node:http server the cart bench compares the service with (bench/cart/bare-server.ts) must do the
 * service's work, or the ratio measures nothing: on in-memory storage (`limit.ts --storage=memory`) it answers
 * the two benchmarked routes with the service's bodies and statuses. In `core` mode (`limit.ts --core`) it must
 * be the service's own process, HTTP layer aside: its repository on DynamoDB, its metrics, its app for the rest.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { spawnTracked, waitForLine, type Tracked } from '../../bench/lib/proc';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { startEmulator, tableOn } from '../service/helpers/dynamodb';

const ROOT = join(__dirname, '..', '..');
let bare: Tracked;
let url: string;

/** The bare server with these options; its url once it listens. */
async function startBare(options: object): Promise<[Tracked, string]> {
  const proc = spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'cart', 'bare-server.ts'), JSON.stringify(options)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [, found] = await waitForLine(proc, /\{"url":"([^"]+)"\}/, 30_000);
  return [proc, found];
}

beforeAll(async () => {
  [bare, url] = await startBare({ storage: 'memory' });
}, 40_000);

afterAll(async () => {
  await bare?.stop(5_000);
});

const post = (customerId: string, body: unknown, base = url) =>
  fetch(`${base}/carts/${customerId}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('in memory: a POST adds to the line, as the service does (201, the stored line)', async () => {
  const first = await post('bare-a', { itemId: 'item-0', quantity: 2, unitPrice: 100 });
  expect(first.status).toBe(201);
  expect(first.headers.get('content-type')).toBe('application/json');
  expect(await first.json()).toEqual({ itemId: 'item-0', quantity: 2, unitPrice: 100 });
  const second = await post('bare-a', { itemId: 'item-0', quantity: 1, unitPrice: 999 });
  expect(await second.json()).toEqual({ itemId: 'item-0', quantity: 3, unitPrice: 100 });
});

test('in memory: a GET answers the cart with its lines, and an unknown cart as empty', async () => {
  await post('bare-b', { itemId: 'item-1', quantity: 1, unitPrice: 250 });
  const cart = await fetch(`${url}/carts/bare-b`);
  expect(cart.status).toBe(200);
  expect(await cart.json()).toEqual({
    customerId: 'bare-b',
    items: [{ itemId: 'item-1', quantity: 1, unitPrice: 250 }],
  });
  const empty = await fetch(`${url}/carts/nobody`);
  expect(await empty.json()).toEqual({ customerId: 'nobody', items: [] });
});

test('a route it does not serve is 404', async () => {
  const response = await fetch(`${url}/topology`);
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ error: 'not_found' });
});

describe("core mode: the service's process on DynamoDB, HTTP layer aside", () => {
  let emulator: EmbeddedDynamoDb;
  let table: Awaited<ReturnType<typeof tableOn>>;
  let core: Tracked;
  let coreUrl: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    table = await tableOn(emulator.endpoint);
    [core, coreUrl] = await startBare({
      storage: 'dynamodb',
      endpoint: emulator.endpoint,
      tableName: table.config.tableName,
      core: true,
    });
  }, 60_000);

  afterAll(async () => {
    await core?.stop(5_000);
    table?.client.destroy();
    await emulator?.stop();
  });

  test("the two routes go through the service's repository into the table, counted by its metrics", async () => {
    const added = await post('core-a', { itemId: 'item-7', quantity: 2, unitPrice: 300 }, coreUrl);
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ itemId: 'item-7', quantity: 2, unitPrice: 300 });
    const cart = await fetch(`${coreUrl}/carts/core-a`);
    expect(await cart.json()).toEqual({
      customerId: 'core-a',
      items: [{ itemId: 'item-7', quantity: 2, unitPrice: 300 }],
    });
    const stored = await table.documentClient.send(
      new GetCommand({ TableName: table.config.tableName, Key: { id: 'core-a:item-7' } }),
    );
    expect(stored.Item).toMatchObject({
      customerId: 'core-a',
      itemId: 'item-7',
      quantity: 2,
      unitPrice: 300,
    });

    // The start-up check's query, then the GET's; the POST's update. The HTTP histogram has no series: the two
    // routes bypass the app.
    const scrape = await (await fetch(`${coreUrl}/actuator/prometheus`)).text();
    expect(scrape).toContain('cart_dynamodb_operation_seconds_count{operation="Query",outcome="success"} 2');
    expect(scrape).toContain(
      'cart_dynamodb_operation_seconds_count{operation="UpdateItem",outcome="success"} 1',
    );
    expect(scrape).not.toContain('http_server_requests_seconds_count{');
    expect(scrape).toContain('nodejs_eventloop_lag_seconds');
  });

  test("every other path is the service's app: readiness UP, an unknown path the service's 404", async () => {
    const ready = await fetch(`${coreUrl}/actuator/health/readiness`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'UP' });
    const missing = await fetch(`${coreUrl}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'No route for GET /nowhere' });
  });
});
