/**
 * Every route and error case of carts-api.md through `app.request`, run against both repositories so their
 * semantics are the same.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Config } from '../../service/src/config.js';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { createMetrics, type Metrics } from '../../service/src/metrics.js';
import type { CartRepository } from '../../service/src/repository/cart-repository.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { DynamoDbCartRepository } from '../../service/src/repository/dynamodb.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';
import { JSON_HEADERS, jsonRequest, newId, PRODUCT, testApp, type TestApp } from './helpers/app.js';
import { appConfig, startEmulator, tableOn } from './helpers/dynamodb.js';

interface Backend {
  readonly config: Config;
  /** A repository; with `metrics`, its DynamoDB calls are recorded there. */
  repository(metrics: Metrics): CartRepository;
  /** Releases whatever repository() created. */
  release(): void;
  stop(): Promise<void>;
}

const BACKENDS: { name: string; start: () => Promise<Backend> }[] = [
  {
    name: 'in-memory',
    start: async () => ({
      config: appConfig({ provider: 'in-memory' }),
      repository: () => new InMemoryCartRepository(),
      release: () => undefined,
      stop: async () => undefined,
    }),
  },
  {
    name: 'dynamodb',
    start: async () => {
      const emulator: EmbeddedDynamoDb = await startEmulator();
      const table = await tableOn(emulator.endpoint);
      table.client.destroy();
      const open: { destroy(): void }[] = [];
      return {
        config: appConfig(table.config),
        repository: (metrics) => {
          const { client, documentClient } = createDynamoDbClients(table.config, { metrics });
          open.push(client);
          return new DynamoDbCartRepository({ client: documentClient, tableName: table.config.tableName });
        },
        release: () => open.splice(0).forEach((c) => c.destroy()),
        stop: () => emulator.stop(),
      };
    },
  },
];

describe.each(BACKENDS)('routes on the $name repository', ({ start }) => {
  let backend: Backend;
  let t: TestApp;
  let customer: string;

  beforeAll(async () => {
    backend = await start();
  });
  afterAll(async () => {
    await backend.stop();
  });
  beforeEach(() => {
    const metrics = createMetrics();
    t = testApp(backend.repository(metrics), backend.config, { metrics });
    customer = newId();
  });
  afterEach(() => backend.release());

  const call = (path: string, init?: RequestInit) => t.app.request(path, init);
  const add = (customerId: string, itemId: string, quantity: number, unitPrice: number) =>
    call(`/carts/${customerId}/items`, jsonRequest('POST', { itemId, quantity, unitPrice }));

  async function expectJson(res: Response, status: number, body: unknown) {
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.json()).toEqual(body);
  }

  async function expectEmpty(res: Response, status: number) {
    expect(res.status).toBe(status);
    expect(await res.text()).toBe('');
  }

  async function items(customerId: string) {
    const res = await call(`/carts/${customerId}/items`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { itemId: string }[];
    return list.sort((a, b) => a.itemId.localeCompare(b.itemId));
  }

  describe('GET /carts/{customerId}', () => {
    test('an unknown cart is empty and echoes the id', async () => {
      await expectJson(await call(`/carts/${customer}`), 200, { customerId: customer, items: [] });
    });

    test('returns the lines with all three keys', async () => {
      await add(customer, PRODUCT, 2, 150);
      await expectJson(await call(`/carts/${customer}`), 200, {
        customerId: customer,
        items: [{ itemId: PRODUCT, quantity: 2, unitPrice: 150 }],
      });
    });

    test('HEAD answers like GET without a body', async () => {
      const res = await call(`/carts/${customer}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    });
  });

  describe('DELETE /carts/{customerId}', () => {
    test('empties the cart and answers 202 with upstream body', async () => {
      await add(customer, 'a', 1, 1);
      await add(customer, 'b', 1, 1);
      await expectJson(await call(`/carts/${customer}`, { method: 'DELETE' }), 202, {
        customerId: null,
        items: [],
      });
      expect(await items(customer)).toEqual([]);
    });

    test('is idempotent', async () => {
      await expectJson(await call(`/carts/${customer}`, { method: 'DELETE' }), 202, {
        customerId: null,
        items: [],
      });
      await expectJson(await call(`/carts/${customer}`, { method: 'DELETE' }), 202, {
        customerId: null,
        items: [],
      });
    });

    test('leaves other carts alone', async () => {
      const other = newId();
      await add(other, 'keep', 1, 5);
      await add(customer, 'keep', 1, 5);
      await call(`/carts/${customer}`, { method: 'DELETE' });
      expect(await items(other)).toEqual([{ itemId: 'keep', quantity: 1, unitPrice: 5 }]);
    });
  });

  describe('GET /carts/{customerId}/items', () => {
    test('[] when empty', async () => {
      await expectJson(await call(`/carts/${customer}/items`), 200, []);
    });

    test('lists the lines', async () => {
      await add(customer, 'a', 1, 10);
      await add(customer, 'b', 3, 20);
      expect(await items(customer)).toEqual([
        { itemId: 'a', quantity: 1, unitPrice: 10 },
        { itemId: 'b', quantity: 3, unitPrice: 20 },
      ]);
    });
  });

  describe('POST /carts/{customerId}/items', () => {
    test('a new line stores the requested quantity (upstream stored 1)', async () => {
      await expectJson(await add(customer, PRODUCT, 3, 150), 201, {
        itemId: PRODUCT,
        quantity: 3,
        unitPrice: 150,
      });
      await expectJson(await call(`/carts/${customer}/items/${PRODUCT}`), 200, {
        itemId: PRODUCT,
        quantity: 3,
        unitPrice: 150,
      });
    });

    test('an existing line adds the quantity and keeps the stored price', async () => {
      await add(customer, PRODUCT, 3, 150);
      await expectJson(await add(customer, PRODUCT, 2, 999), 201, {
        itemId: PRODUCT,
        quantity: 5,
        unitPrice: 150,
      });
    });

    test('ignores unknown fields', async () => {
      const res = await call(
        `/carts/${customer}/items`,
        jsonRequest('POST', {
          itemId: 'x',
          quantity: 1,
          unitPrice: 2,
          color: 'red',
          customerId: 'someone-else',
        }),
      );
      await expectJson(res, 201, { itemId: 'x', quantity: 1, unitPrice: 2 });
      expect(await items(customer)).toEqual([{ itemId: 'x', quantity: 1, unitPrice: 2 }]);
    });

    test('accepts application/json with a charset and +json media types', async () => {
      const body = JSON.stringify({ itemId: 'x', quantity: 1, unitPrice: 2 });
      for (const type of ['application/json; charset=utf-8', 'application/vnd.cart+json']) {
        const res = await call(`/carts/${customer}/items`, {
          method: 'POST',
          headers: { 'Content-Type': type },
          body,
        });
        expect(res.status).toBe(201);
      }
    });

    test('item ids may contain dots, colons and encoded characters', async () => {
      for (const itemId of ['product.v2.1', 'a:b', 'with space']) {
        await expectJson(await add(customer, itemId, 1, 1), 201, { itemId, quantity: 1, unitPrice: 1 });
        await expectJson(await call(`/carts/${customer}/items/${encodeURIComponent(itemId)}`), 200, {
          itemId,
          quantity: 1,
          unitPrice: 1,
        });
      }
    });

    test('upper bounds are inclusive', async () => {
      const itemId = 'i'.repeat(256);
      await expectJson(await add(customer, itemId, 10_000, 1_000_000), 201, {
        itemId,
        quantity: 10_000,
        unitPrice: 1_000_000,
      });
    });
  });

  describe('PATCH /carts/{customerId}/items', () => {
    test('overwrites quantity and price, 202 with an empty body', async () => {
      await add(customer, PRODUCT, 3, 150);
      await expectEmpty(
        await call(
          `/carts/${customer}/items`,
          jsonRequest('PATCH', { itemId: PRODUCT, quantity: 7, unitPrice: 120 }),
        ),
        202,
      );
      expect(await items(customer)).toEqual([{ itemId: PRODUCT, quantity: 7, unitPrice: 120 }]);
    });

    test('quantity 0 is allowed (as upstream)', async () => {
      await add(customer, PRODUCT, 3, 150);
      await expectEmpty(
        await call(
          `/carts/${customer}/items`,
          jsonRequest('PATCH', { itemId: PRODUCT, quantity: 0, unitPrice: 150 }),
        ),
        202,
      );
      expect(await items(customer)).toEqual([{ itemId: PRODUCT, quantity: 0, unitPrice: 150 }]);
    });

    test('a missing line is 404 JSON and is not created (upstream: 500)', async () => {
      await expectJson(
        await call(
          `/carts/${customer}/items`,
          jsonRequest('PATCH', { itemId: 'ghost', quantity: 1, unitPrice: 1 }),
        ),
        404,
        { error: 'not_found', message: `Cart "${customer}" has no item "ghost"` },
      );
      expect(await items(customer)).toEqual([]);
    });
  });

  describe('GET /carts/{customerId}/items/{itemId}', () => {
    test('a missing line is 404 JSON (upstream: 500)', async () => {
      await expectJson(await call(`/carts/${customer}/items/nope`), 404, {
        error: 'not_found',
        message: `Cart "${customer}" has no item "nope"`,
      });
    });

    test("another customer's line is not visible", async () => {
      const other = newId();
      await add(other, 'mine', 1, 1);
      expect((await call(`/carts/${customer}/items/mine`)).status).toBe(404);
    });
  });

  describe('DELETE /carts/{customerId}/items/{itemId}', () => {
    test('removes the line, 202 with an empty body', async () => {
      await add(customer, 'a', 1, 1);
      await add(customer, 'b', 1, 1);
      await expectEmpty(await call(`/carts/${customer}/items/a`, { method: 'DELETE' }), 202);
      expect(await items(customer)).toEqual([{ itemId: 'b', quantity: 1, unitPrice: 1 }]);
    });

    test('is idempotent (upstream: 500 for a missing line)', async () => {
      await expectEmpty(await call(`/carts/${customer}/items/never`, { method: 'DELETE' }), 202);
      await expectEmpty(await call(`/carts/${customer}/items/never`, { method: 'DELETE' }), 202);
    });
  });

  describe('GET /carts/{customerId}/merge', () => {
    test('merges the session cart in, overlapping lines add up, then empties the session cart', async () => {
      const session = newId('session');
      await add(customer, 'A', 3, 100);
      await add(customer, 'C', 1, 7);
      await add(session, 'A', 2, 150);
      await add(session, 'B', 1, 20);
      await expectEmpty(await call(`/carts/${customer}/merge?sessionId=${session}`), 202);
      expect(await items(customer)).toEqual([
        { itemId: 'A', quantity: 5, unitPrice: 100 },
        { itemId: 'B', quantity: 1, unitPrice: 20 },
        { itemId: 'C', quantity: 1, unitPrice: 7 },
      ]);
      expect(await items(session)).toEqual([]);
    });

    test('an unknown session changes nothing', async () => {
      await add(customer, 'A', 1, 1);
      await expectEmpty(await call(`/carts/${customer}/merge?sessionId=${newId('session')}`), 202);
      expect(await items(customer)).toEqual([{ itemId: 'A', quantity: 1, unitPrice: 1 }]);
    });

    test('merging a cart into itself changes nothing', async () => {
      await add(customer, 'A', 2, 1);
      await expectEmpty(await call(`/carts/${customer}/merge?sessionId=${customer}`), 202);
      expect(await items(customer)).toEqual([{ itemId: 'A', quantity: 2, unitPrice: 1 }]);
    });

    test('sessionId is required', async () => {
      await expectJson(await call(`/carts/${customer}/merge`), 400, {
        error: 'validation_failed',
        message: 'sessionId is required',
        field: 'sessionId',
      });
      await expectJson(await call(`/carts/${customer}/merge?sessionId=`), 400, {
        error: 'validation_failed',
        message: 'sessionId is required',
        field: 'sessionId',
      });
    });
  });

  describe('request bodies', () => {
    const post = (init: RequestInit) => call(`/carts/${customer}/items`, { method: 'POST', ...init });

    test('a missing body is 400', async () => {
      await expectJson(await post({}), 400, {
        error: 'bad_request',
        message: 'A JSON request body is required',
      });
      await expectJson(await post({ headers: JSON_HEADERS }), 400, {
        error: 'bad_request',
        message: 'A JSON request body is required',
      });
    });

    test('malformed JSON is 400', async () => {
      await expectJson(await post({ headers: JSON_HEADERS, body: '{"itemId": "a",' }), 400, {
        error: 'bad_request',
        message: 'The request body is not valid JSON',
      });
    });

    test.each([
      ['text/plain', 'text/plain'],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
      [undefined, '(none)'],
    ])('content type %s is 415', async (type, shown) => {
      // A string body would get text/plain from fetch itself; bytes go without a content type.
      const body = new TextEncoder().encode('itemId=a&quantity=1');
      const res = await post({ headers: type ? { 'Content-Type': type } : {}, body });
      await expectJson(res, 415, {
        error: 'unsupported_media_type',
        message: `Content-Type "${shown}" is not supported: use application/json`,
      });
    });

    test('PATCH has the same body rules', async () => {
      const patch = (init: RequestInit) => call(`/carts/${customer}/items`, { method: 'PATCH', ...init });
      expect((await patch({})).status).toBe(400);
      expect((await patch({ headers: JSON_HEADERS, body: 'nope' })).status).toBe(400);
      expect((await patch({ headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    });

    test('a body over 64 KiB is 413', async () => {
      const body = JSON.stringify({ itemId: 'a', quantity: 1, unitPrice: 1, padding: 'x'.repeat(64 * 1024) });
      await expectJson(await post({ headers: JSON_HEADERS, body }), 413, {
        error: 'payload_too_large',
        message: 'Request bodies are limited to 65536 bytes',
      });
      expect(await items(customer)).toEqual([]);
    });

    test('a body of exactly 64 KiB is accepted', async () => {
      const base = JSON.stringify({ itemId: 'a', quantity: 1, unitPrice: 1, padding: '' });
      const body = base.replace('"padding":""', `"padding":"${'x'.repeat(64 * 1024 - base.length)}"`);
      expect(body.length).toBe(64 * 1024);
      expect((await post({ headers: JSON_HEADERS, body })).status).toBe(201);
    });
  });

  describe('validation', () => {
    const valid = { itemId: 'a', quantity: 1, unitPrice: 1 };

    test.each([
      ['missing itemId', { quantity: 1, unitPrice: 1 }, 'itemId', 'itemId is required'],
      ['empty itemId', { ...valid, itemId: '' }, 'itemId', 'itemId must not be empty'],
      ['numeric itemId', { ...valid, itemId: 12 }, 'itemId', 'itemId must be a string'],
      [
        'itemId over 256',
        { ...valid, itemId: 'i'.repeat(257) },
        'itemId',
        'itemId must be at most 256 characters',
      ],
      ['missing quantity', { itemId: 'a', unitPrice: 1 }, 'quantity', 'quantity is required'],
      ['quantity 0', { ...valid, quantity: 0 }, 'quantity', 'quantity must be an integer from 1 to 10000'],
      [
        'negative quantity',
        { ...valid, quantity: -1 },
        'quantity',
        'quantity must be an integer from 1 to 10000',
      ],
      [
        'fractional quantity',
        { ...valid, quantity: 1.5 },
        'quantity',
        'quantity must be an integer from 1 to 10000',
      ],
      [
        'quantity as a string',
        { ...valid, quantity: '2' },
        'quantity',
        'quantity must be an integer from 1 to 10000',
      ],
      [
        'quantity over bound',
        { ...valid, quantity: 10_001 },
        'quantity',
        'quantity must be an integer from 1 to 10000',
      ],
      ['missing unitPrice', { itemId: 'a', quantity: 1 }, 'unitPrice', 'unitPrice is required'],
      [
        'negative unitPrice',
        { ...valid, unitPrice: -1 },
        'unitPrice',
        'unitPrice must be an integer from 0 to 1000000',
      ],
      [
        'fractional unitPrice',
        { ...valid, unitPrice: 9.99 },
        'unitPrice',
        'unitPrice must be an integer from 0 to 1000000',
      ],
      [
        'unitPrice over bound',
        { ...valid, unitPrice: 1_000_001 },
        'unitPrice',
        'unitPrice must be an integer from 0 to 1000000',
      ],
    ])('POST rejects %s with 400 naming the field', async (_name, body, field, message) => {
      await expectJson(await call(`/carts/${customer}/items`, jsonRequest('POST', body)), 400, {
        error: 'validation_failed',
        message,
        field,
      });
      expect(await items(customer)).toEqual([]);
    });

    test.each([
      [
        'negative quantity',
        { ...valid, quantity: -1 },
        'quantity',
        'quantity must be an integer from 0 to 10000',
      ],
      [
        'quantity over bound',
        { ...valid, quantity: 10_001 },
        'quantity',
        'quantity must be an integer from 0 to 10000',
      ],
      ['empty itemId', { ...valid, itemId: '' }, 'itemId', 'itemId must not be empty'],
    ])('PATCH rejects %s with 400 naming the field', async (_name, body, field, message) => {
      await expectJson(await call(`/carts/${customer}/items`, jsonRequest('PATCH', body)), 400, {
        error: 'validation_failed',
        message,
        field,
      });
    });

    test.each([['[]'], ['"a string"'], ['42'], ['null']])('a non-object body %s is 400', async (body) => {
      const res = await call(`/carts/${customer}/items`, { method: 'POST', headers: JSON_HEADERS, body });
      await expectJson(res, 400, {
        error: 'validation_failed',
        message: 'The request body must be a JSON object',
      });
    });

    test('customer ids may not contain ":" (half of the storage key) nor exceed 256 characters', async () => {
      await expectJson(await call('/carts/a:b'), 400, {
        error: 'validation_failed',
        message: 'customerId must not contain ":"',
        field: 'customerId',
      });
      await expectJson(await call(`/carts/${'c'.repeat(257)}/items`), 400, {
        error: 'validation_failed',
        message: 'customerId must be at most 256 characters',
        field: 'customerId',
      });
    });

    test('item ids in the path over 256 characters are 400', async () => {
      await expectJson(await call(`/carts/${customer}/items/${'i'.repeat(257)}`), 400, {
        error: 'validation_failed',
        message: 'itemId must be at most 256 characters',
        field: 'itemId',
      });
    });
  });

  describe('unknown paths and wrong methods', () => {
    test.each([
      ['/nope'],
      ['/carts'],
      ['/carts/'],
      ['/carts/c1/'],
      ['/carts/c1/items/'],
      ['/carts/c1/items/a/b'],
      ['/carts/c1/merge/'],
      ['/topology/'],
      ['/actuator/health/'],
    ])('GET %s is 404 JSON', async (path) => {
      await expectJson(await call(path), 404, { error: 'not_found', message: `No route for GET ${path}` });
    });

    test.each([
      ['PUT', '/carts/c1', 'DELETE, GET, HEAD'],
      ['POST', '/carts/c1', 'DELETE, GET, HEAD'],
      ['PUT', '/carts/c1/items', 'GET, HEAD, PATCH, POST'],
      ['DELETE', '/carts/c1/items', 'GET, HEAD, PATCH, POST'],
      ['POST', '/carts/c1/items/x.y', 'DELETE, GET, HEAD'],
      ['POST', '/carts/c1/merge', 'GET, HEAD'],
      ['POST', '/topology', 'GET, HEAD'],
      ['DELETE', '/actuator/health/readiness', 'GET, HEAD'],
    ])('%s %s is 405 JSON with Allow: %s', async (method, path, allow) => {
      const res = await call(path, { method });
      expect(res.headers.get('Allow')).toBe(allow);
      await expectJson(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed here` });
    });
  });

  describe('operations', () => {
    test('request ids: an incoming X-Request-Id is echoed and logged, otherwise one is generated', async () => {
      const res = await call(`/carts/${customer}`, { headers: { 'X-Request-Id': 'trace-123' } });
      expect(res.headers.get('X-Request-Id')).toBe('trace-123');
      const line = t.logs.lines().find((l) => l.reqId === 'trace-123');
      expect(line).toMatchObject({
        level: 'info',
        msg: 'request',
        method: 'GET',
        path: `/carts/${customer}`,
        uri: '/carts/{customerId}',
        status: 200,
        service: 'carts',
      });

      const generated = (await call(`/carts/${customer}`)).headers.get('X-Request-Id');
      expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const unsafe = await call(`/carts/${customer}`, { headers: { 'X-Request-Id': 'bad id\u00e9' } });
      expect(unsafe.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    test('metrics count requests per route pattern and status, never per raw path', async () => {
      await call(`/carts/${customer}`);
      await call(`/carts/${newId()}`);
      await add(customer, 'a', 1, 1);
      await call(`/carts/${customer}/items/missing`);
      await call('/nope');
      const res = await call('/actuator/prometheus');
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      expect(text).toContain(
        'http_server_requests_seconds_count{method="GET",uri="/carts/{customerId}",status="200",outcome="SUCCESS"} 2',
      );
      expect(text).toContain(
        'http_server_requests_seconds_count{method="POST",uri="/carts/{customerId}/items",status="201",outcome="SUCCESS"} 1',
      );
      expect(text).toContain(
        'http_server_requests_seconds_count{method="GET",uri="/carts/{customerId}/items/{itemId}",status="404",outcome="CLIENT_ERROR"} 1',
      );
      expect(text).toContain(
        'http_server_requests_seconds_count{method="GET",uri="NOT_FOUND",status="404",outcome="CLIENT_ERROR"} 1',
      );
      expect(text).not.toContain(customer);
    });
  });
});

describe('DynamoDB call metrics', () => {
  let emulator: EmbeddedDynamoDb;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  test('latency and errors by operation', async () => {
    const metrics = createMetrics();
    const table = await tableOn(emulator.endpoint, undefined, metrics);
    const repository = new DynamoDbCartRepository({
      client: table.documentClient,
      tableName: table.config.tableName,
    });
    const t = testApp(repository, appConfig(table.config), { metrics });
    const customer = newId();
    await t.app.request(
      `/carts/${customer}/items`,
      jsonRequest('POST', { itemId: 'a', quantity: 1, unitPrice: 1 }),
    );
    await t.app.request(`/carts/${customer}`);
    await t.app.request(
      `/carts/${customer}/items`,
      jsonRequest('PATCH', { itemId: 'zz', quantity: 1, unitPrice: 1 }),
    );
    const text = await (await t.app.request('/actuator/prometheus')).text();
    table.client.destroy();
    expect(text).toContain(
      'cart_dynamodb_operation_seconds_count{operation="UpdateItem",outcome="success"} 1',
    );
    expect(text).toContain('cart_dynamodb_operation_seconds_count{operation="UpdateItem",outcome="error"} 1');
    expect(text).toContain('cart_dynamodb_operation_seconds_count{operation="Query",outcome="success"} 1');
    expect(text).toContain(
      'cart_dynamodb_operation_seconds_count{operation="CreateTable",outcome="success"} 1',
    );
    expect(text).toContain(
      'cart_dynamodb_errors_total{operation="UpdateItem",error="ConditionalCheckFailedException"} 1',
    );
  });
});
