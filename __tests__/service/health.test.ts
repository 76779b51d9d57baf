import { describe, expect, test } from 'vitest';
import { HEALTH_PATHS } from '@cart-platform/service/contract';
import { createReadinessProbe } from '../../service/src/readiness.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';
import { testApp } from './helpers/app.js';
import { appConfig, dynamoDbConfig } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';

const inMemory = appConfig({ provider: 'in-memory' });

describe('health endpoints', () => {
  test.each([[HEALTH_PATHS.health], [HEALTH_PATHS.alias], [HEALTH_PATHS.readiness], [HEALTH_PATHS.liveness]])(
    '%s is UP when ready',
    async (path) => {
      const { app } = testApp(new InMemoryCartRepository(), inMemory);
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/json');
      expect(await res.json()).toEqual({ status: 'UP' });
    },
  );

  test.each([[HEALTH_PATHS.health], [HEALTH_PATHS.alias], [HEALTH_PATHS.readiness]])(
    '%s is 503 DOWN when not ready',
    async (path) => {
      const { app } = testApp(new InMemoryCartRepository(), inMemory, { readiness: async () => false });
      const res = await app.request(path);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'DOWN' });
    },
  );

  test('liveness stays UP when storage is down (an outage must not restart every pod)', async () => {
    const { app } = testApp(new InMemoryCartRepository(), inMemory, { readiness: async () => false });
    const res = await app.request(HEALTH_PATHS.liveness);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'UP' });
  });

  test('probes and scrapes are logged at debug, not info', async () => {
    const { app, logs } = testApp(new InMemoryCartRepository(), inMemory);
    await app.request(HEALTH_PATHS.readiness);
    await app.request('/carts/c1');
    expect(logs.lines().map((l) => [l.level, l.path])).toEqual([
      ['debug', HEALTH_PATHS.readiness],
      ['info', '/carts/c1'],
    ]);
  });
});

describe('readiness probe', () => {
  const repository = (ping: () => Promise<void>) => Object.assign(new InMemoryCartRepository(), { ping });

  test('ready when storage answers', async () => {
    const probe = createReadinessProbe({
      repository: repository(async () => undefined),
      logger: captureLogs().logger,
      isShuttingDown: () => false,
    });
    expect(await probe()).toBe(true);
  });

  test('not ready when storage fails, and says why', async () => {
    const logs = captureLogs();
    const probe = createReadinessProbe({
      repository: repository(async () => {
        throw new Error('ResourceNotFoundException');
      }),
      logger: logs.logger,
      isShuttingDown: () => false,
    });
    expect(await probe()).toBe(false);
    expect(logs.lines()[0]).toMatchObject({ level: 'warn', msg: 'readiness: storage does not answer' });
  });

  test('not ready when storage hangs past the timeout', async () => {
    const probe = createReadinessProbe({
      repository: repository(() => new Promise(() => undefined)),
      logger: captureLogs().logger,
      isShuttingDown: () => false,
      timeoutMs: 20,
    });
    expect(await probe()).toBe(false);
  });

  test('not ready once shutdown has begun', async () => {
    const probe = createReadinessProbe({
      repository: repository(async () => undefined),
      logger: captureLogs().logger,
      isShuttingDown: () => true,
    });
    expect(await probe()).toBe(false);
  });
});

describe('GET /topology', () => {
  test.each([
    [
      'in-memory',
      inMemory,
      { persistenceProvider: 'in-memory', dynamodbTable: 'N/A', dynamodbEndpoint: 'N/A' },
    ],
    [
      'DynamoDB Local',
      appConfig(dynamoDbConfig('http://dynamodb-local:8000', 'Items')),
      {
        persistenceProvider: 'dynamodb',
        dynamodbTable: 'Items',
        dynamodbEndpoint: 'http://dynamodb-local:8000',
      },
    ],
    [
      'DynamoDB on AWS',
      appConfig({ ...dynamoDbConfig('x', 'carts-prod'), endpoint: undefined }),
      { persistenceProvider: 'dynamodb', dynamodbTable: 'carts-prod', dynamodbEndpoint: null },
    ],
  ])('%s', async (_name, config, body) => {
    const { app } = testApp(new InMemoryCartRepository(), config);
    const res = await app.request('/topology');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.json()).toEqual(body);
  });
});
