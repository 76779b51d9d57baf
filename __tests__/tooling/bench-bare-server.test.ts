/**
 * The bare node:http server the cart bench compares the service with (bench/cart/bare-server.ts) must do the
 * service's work, or the ratio measures nothing: on in-memory storage (`limit.ts --storage=memory`) it answers
 * the two benchmarked routes with the service's bodies and statuses.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnTracked, waitForLine, type Tracked } from '../../bench/lib/proc';

const ROOT = join(__dirname, '..', '..');
let bare: Tracked;
let url: string;

beforeAll(async () => {
  bare = spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'cart', 'bare-server.ts'), JSON.stringify({ storage: 'memory' })],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  [, url] = await waitForLine(bare, /\{"url":"([^"]+)"\}/, 30_000);
}, 40_000);

afterAll(async () => {
  await bare?.stop(5_000);
});

const post = (customerId: string, body: unknown) =>
  fetch(`${url}/carts/${customerId}/items`, {
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
