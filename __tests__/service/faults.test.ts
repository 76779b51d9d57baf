/**
 * Storage faults: throttling and server errors become 503 with Retry-After, unexpected errors a 500 without a
 * stack trace, unprocessed batch items are retried with backoff, and the real client's retries are bounded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamoDBClient,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createMetrics } from '../../service/src/metrics.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { DynamoDbCartRepository } from '../../service/src/repository/dynamodb.js';
import { StorageUnavailableError } from '../../service/src/repository/errors.js';
import { jsonRequest, testApp } from './helpers/app.js';
import { appConfig, dynamoDbConfig, startEmulator, tableOn } from './helpers/dynamodb.js';

type Send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown>;

/** A document client whose send is replaced: no network, full control over answers. */
function mockedClient(send: Send) {
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
  );
  const fn = vi.fn(send);
  (documentClient as unknown as { send: Send }).send = fn;
  return { documentClient, send: fn };
}

function serviceError(name: string, status: number, fault: 'client' | 'server') {
  return new DynamoDBServiceException({
    name,
    message: `${name} happened`,
    $fault: fault,
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  });
}

function appWith(send: Send, sleep?: (ms: number) => Promise<void>) {
  const { documentClient, send: spy } = mockedClient(send);
  const repository = new DynamoDbCartRepository({
    client: documentClient,
    tableName: 'Items',
    ...(sleep ? { sleep } : {}),
  });
  const config = appConfig(dynamoDbConfig('http://127.0.0.1:1', 'Items'));
  return { ...testApp(repository, config), send: spy };
}

describe('throttling and DynamoDB server errors are 503 with Retry-After', () => {
  test.each([
    [
      'ProvisionedThroughputExceededException',
      () =>
        new ProvisionedThroughputExceededException({
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        }),
    ],
    ['ThrottlingException', () => serviceError('ThrottlingException', 400, 'client')],
    ['RequestLimitExceeded', () => serviceError('RequestLimitExceeded', 400, 'client')],
    ['InternalServerError (500)', () => serviceError('InternalServerError', 500, 'server')],
    ['ServiceUnavailable (503)', () => serviceError('ServiceUnavailable', 503, 'server')],
    [
      'an unreachable endpoint',
      () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'an unreachable network',
      () => Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH' }),
    ],
    [
      'credentials that could not be fetched (the Pod Identity agent restarting)',
      () =>
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
    ],
    ['credentials that expired before a refresh', () => serviceError('ExpiredTokenException', 400, 'client')],
    [
      'STS not answering an IRSA token exchange',
      () => serviceError('IDPCommunicationErrorException', 400, 'client'),
    ],
  ])('%s', async (_name, error) => {
    const { app, logs } = appWith(async () => {
      throw error();
    });
    for (const [path, init] of [
      ['/carts/c1', undefined],
      ['/carts/c1/items', jsonRequest('POST', { itemId: 'a', quantity: 1, unitPrice: 1 })],
      ['/carts/c1/items/a', { method: 'DELETE' }],
    ] as const) {
      const res = await app.request(path, init);
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('1');
      expect(res.headers.get('Content-Type')).toBe('application/json');
      expect(await res.json()).toEqual({
        error: 'unavailable',
        message: 'The cart store is temporarily unavailable; retry later',
      });
    }
    expect(logs.lines().filter((l) => l.msg === 'storage unavailable')).toHaveLength(3);
  });
});

describe('no response carries a stack trace', () => {
  test.each([
    ['a bug in our code', () => new TypeError('Cannot read properties of undefined (reading "x")')],
    ['a client error DynamoDB blames on us', () => serviceError('ValidationException', 400, 'client')],
  ])('%s is a bare 500, logged with its stack', async (_name, error) => {
    const { app, logs } = appWith(async () => {
      throw error();
    });
    const res = await app.request('/carts/c1', { headers: { 'X-Request-Id': 'req-500' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'Internal server error' });
    expect(text).not.toMatch(/ at |stack|\.ts:\d+/);
    const logged = logs.lines().find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 'error', reqId: 'req-500' });
    expect(String((logged?.err as { stack?: string }).stack)).toContain(' at ');
  });
});

describe('BatchWriteItem unprocessed items', () => {
  const unprocessed = (ids: string[]) => ({
    UnprocessedItems: { Items: ids.map((id) => ({ DeleteRequest: { Key: { id } } })) },
  });

  test('are re-sent with backoff until processed', async () => {
    const delays: number[] = [];
    let batchCalls = 0;
    const { app, send } = appWith(
      async (command) => {
        if (command.constructor.name === 'QueryCommand') {
          return { Items: [{ id: 'c1:a' }, { id: 'c1:b' }, { id: 'c1:c' }] };
        }
        batchCalls++;
        if (batchCalls === 1) return unprocessed(['c1:b', 'c1:c']);
        if (batchCalls === 2) return unprocessed(['c1:c']);
        return {};
      },
      async (ms) => {
        delays.push(ms);
      },
    );
    const res = await app.request('/carts/c1', { method: 'DELETE' });
    expect(res.status).toBe(202);
    const batches = send.mock.calls.map(([c]) => c).filter((c) => c.constructor.name === 'BatchWriteCommand');
    expect(batches.map((c) => (c.input.RequestItems as { Items: unknown[] }).Items.length)).toEqual([
      3, 2, 1,
    ]);
    expect(delays).toHaveLength(2);
    // Full jitter under an exponential cap: 50 ms, then 100 ms.
    expect(delays[0]).toBeLessThanOrEqual(50);
    expect(delays[1]).toBeLessThanOrEqual(100);
  });

  test('still unprocessed after every attempt: 503 with Retry-After', async () => {
    const { documentClient, send } = mockedClient(async (command) =>
      command.constructor.name === 'QueryCommand' ? { Items: [{ id: 'c1:a' }] } : unprocessed(['c1:a']),
    );
    const repository = new DynamoDbCartRepository({
      client: documentClient,
      tableName: 'Items',
      batchMaxAttempts: 4,
      sleep: async () => undefined,
    });
    await expect(repository.deleteCart('c1')).rejects.toEqual(
      new StorageUnavailableError('DynamoDB left 1 deletes unprocessed after 4 attempts'),
    );
    expect(send.mock.calls.filter(([c]) => c.constructor.name === 'BatchWriteCommand')).toHaveLength(4);

    const { app } = testApp(repository, appConfig(dynamoDbConfig('http://127.0.0.1:1', 'Items')));
    const res = await app.request('/carts/c1', { method: 'DELETE' });
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
  });
});

describe('the real client against a throttling endpoint', () => {
  let server: Server;
  let requests = 0;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('adaptive retries stop at maxAttempts, then the API answers 503', async () => {
    const config = dynamoDbConfig(endpoint, 'Items', 2);
    const metrics = createMetrics();
    const { client, documentClient } = createDynamoDbClients(config, { metrics });
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    const repository = new DynamoDbCartRepository({ client: documentClient, tableName: 'Items' });
    const { app } = testApp(repository, appConfig(config), { metrics });
    requests = 0;
    const res = await app.request('/carts/c1');
    client.destroy();
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
    expect(requests).toBe(2);
    const text = await (await app.request('/actuator/prometheus')).text();
    expect(text).toContain(
      'cart_dynamodb_errors_total{operation="Query",error="ProvisionedThroughputExceededException"} 1',
    );
  });
});

describe('the real client whose credential source fails mid-life', () => {
  test('every request is 503 with Retry-After, and recovers when credentials come back', async () => {
    const emulator = await startEmulator();
    const table = await tableOn(emulator.endpoint);
    let agentUp = false;
    const client = new DynamoDBClient({
      region: 'us-west-2',
      endpoint: emulator.endpoint,
      maxAttempts: 1,
      // What the SDK's container provider throws when the Pod Identity agent does not answer.
      credentials: async () => {
        if (agentUp) return { accessKeyId: 'x', secretAccessKey: 'y' };
        throw Object.assign(new Error('Failed to load credentials from the container endpoint'), {
          name: 'CredentialsProviderError',
        });
      },
    });
    const repository = new DynamoDbCartRepository({
      client: DynamoDBDocumentClient.from(client),
      tableName: table.config.tableName,
    });
    const { app } = testApp(repository, appConfig(table.config));
    try {
      const down = await app.request('/carts/c1');
      expect(down.status).toBe(503);
      expect(down.headers.get('Retry-After')).toBe('1');
      agentUp = true;
      const back = await app.request('/carts/c1');
      expect(back.status).toBe(200);
      expect(await back.json()).toEqual({ customerId: 'c1', items: [] });
    } finally {
      client.destroy();
      table.client.destroy();
      await emulator.stop();
    }
  });
});

describe('merge', () => {
  test('a failed add puts the claimed line back into the session cart, then 503', async () => {
    const line = { id: 'session-1:x', customerId: 'session-1', itemId: 'x', quantity: 2, unitPrice: 5 };
    const { app, send } = appWith(async (command) => {
      const name = command.constructor.name;
      const key = (command.input.Key as { id?: string } | undefined)?.id;
      if (name === 'QueryCommand') return { Items: [line] };
      if (name === 'DeleteCommand') return { Attributes: line };
      if (name === 'UpdateCommand' && key === 'c1:x')
        throw serviceError('ThrottlingException', 400, 'client');
      return { Attributes: line };
    });
    const res = await app.request('/carts/c1/merge?sessionId=session-1');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('1');
    const writes = send.mock.calls
      .map(([c]) => c)
      .filter((c) => c.constructor.name !== 'QueryCommand')
      .map((c) => [
        c.constructor.name,
        (c.input.Key as { id: string }).id,
        (c.input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':quantity'],
      ]);
    expect(writes).toEqual([
      ['DeleteCommand', 'session-1:x', undefined],
      ['UpdateCommand', 'c1:x', 2],
      ['UpdateCommand', 'session-1:x', 2],
    ]);
  });
});
