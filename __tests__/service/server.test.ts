/**
 * What only the real server exercises: under @hono/node-server the service reads request headers and bodies
 * from Node's request and sets response headers on Node's response (routes.test.ts covers the same rules through
 * `app.request`, where Hono's Fetch objects are used instead).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../../service/src/start.js';
import { appConfig } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';

let running: RunningService;
let base: string;
const logs = captureLogs();

beforeAll(async () => {
  running = await startService(appConfig({ provider: 'in-memory' }), logs.logger);
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(() => running.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  test.each([
    ['a well-formed id is echoed', 'trace-me_123=', 'trace-me_123='],
    ['none: a new UUID', undefined, UUID],
    ['a malformed id is replaced', 'no spaces allowed', UUID],
    ['an id over 128 characters is replaced', 'a'.repeat(129), UUID],
  ])('%s', async (_name, given, expected) => {
    const res = await fetch(`${base}/carts/ids`, given ? { headers: { 'X-Request-Id': given } } : {});
    expect(res.status).toBe(200);
    const id = res.headers.get('X-Request-Id');
    if (typeof expected === 'string') expect(id).toBe(expected);
    else expect(id).toMatch(expected);
    const line = logs.lines().findLast((l) => l.msg === 'request');
    expect(line?.reqId).toBe(id);
  });
});

/** A raw request, so that the test controls Content-Length and chunking. */
function raw(
  headers: Record<string, string | number>,
  chunks: string[],
): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: running.port, method: 'POST', path: '/carts/bodies/items', headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
        );
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('request bodies read from the socket', () => {
  const item = JSON.stringify({ itemId: 'a', quantity: 2, unitPrice: 3 });

  test('a JSON body, with Content-Length or chunked, is 201', async () => {
    const sized = await raw({ 'Content-Type': 'application/json', 'Content-Length': item.length }, [item]);
    expect(sized).toMatchObject({ status: 201, body: item });
    const chunked = await raw({ 'Content-Type': 'application/json' }, [item.slice(0, 5), item.slice(5)]);
    expect(chunked.status).toBe(201);
    expect(JSON.parse(chunked.body)).toEqual({ itemId: 'a', quantity: 4, unitPrice: 3 });
  });

  test('over 64 KiB: 413 from Content-Length alone, or while reading a chunked body', async () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const expected = { error: 'payload_too_large', message: 'Request bodies are limited to 65536 bytes' };
    const sized = await raw({ 'Content-Type': 'application/json', 'Content-Length': big.length }, [big]);
    expect(sized.status).toBe(413);
    expect(JSON.parse(sized.body)).toEqual(expected);
    const chunked = await raw({ 'Content-Type': 'application/json' }, [
      big.slice(0, 40_000),
      big.slice(40_000),
    ]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual(expected);
  });

  test.each([
    ['no body', {}, [], 400, 'A JSON request body is required'],
    [
      'malformed JSON',
      { 'Content-Type': 'application/json' },
      ['{"itemId":'],
      400,
      'The request body is not valid JSON',
    ],
    [
      'a text body',
      { 'Content-Type': 'text/plain' },
      ['{}'],
      415,
      'Content-Type "text/plain" is not supported: use application/json',
    ],
    [
      'a field out of bounds',
      { 'Content-Type': 'application/json' },
      ['{"itemId":"a","quantity":0,"unitPrice":1}'],
      400,
      'quantity must be an integer from 1 to 10000',
    ],
  ] as const)('%s: %d', async (_name, headers, chunks, status, message) => {
    const res = await raw({ ...headers }, [...chunks]);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ message });
  });
});
