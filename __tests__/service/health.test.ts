import { describe, expect, test } from 'vitest';
import { HEALTH_PATHS } from '@cart-platform/service/contract';
import { createHealthChecks } from '../../service/src/health.js';
import { InMemoryCartRepository } from '../../service/src/repository/in-memory.js';
import { testApp } from './helpers/app.js';
import { appConfig, dynamoDbConfig } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';

const inMemory = appConfig({ provider: 'in-memory' });

describe('health endpoints', () => {
  test.each([[HEALTH_PATHS.readiness], [HEALTH_PATHS.liveness]])('%s is UP when ready', async (path) => {
    const { app } = testApp(new InMemoryCartRepository(), inMemory);
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'UP' });
  });

  test.each([[HEALTH_PATHS.health], [HEALTH_PATHS.alias]])(
    '%s reports readiness and storage',
    async (path) => {
      const { app } = testApp(new InMemoryCartRepository(), inMemory);
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'UP',
        components: { readinessState: { status: 'UP' }, storage: { status: 'UP' } },
      });
    },
  );

  test('readiness is 503 OUT_OF_SERVICE while draining; liveness stays UP', async () => {
    const { app } = testApp(new InMemoryCartRepository(), inMemory, {
      health: { ready: () => false, draining: () => true },
    });
    const readiness = await app.request(HEALTH_PATHS.readiness);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'OUT_OF_SERVICE' });
    expect((await app.request(HEALTH_PATHS.liveness)).status).toBe(200);
    const health = await app.request(HEALTH_PATHS.health);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'OUT_OF_SERVICE',
      components: { readinessState: { status: 'OUT_OF_SERVICE' }, storage: { status: 'UP' } },
    });
  });

  test('storage down: readiness and liveness stay UP (a shared blip must not empty the ALB), health is DOWN', async () => {
    const { app } = testApp(new InMemoryCartRepository(), inMemory, {
      health: { storage: async () => ({ status: 'DOWN', details: { error: 'ThrottlingException' } }) },
    });
    expect((await app.request(HEALTH_PATHS.readiness)).status).toBe(200);
    expect((await app.request(HEALTH_PATHS.liveness)).status).toBe(200);
    const health = await app.request(HEALTH_PATHS.health);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({
      status: 'DOWN',
      components: {
        readinessState: { status: 'UP' },
        storage: { status: 'DOWN', details: { error: 'ThrottlingException' } },
      },
    });
  });

  test('while draining every response carries Connection: close', async () => {
    const { app } = testApp(new InMemoryCartRepository(), inMemory, { health: { draining: () => true } });
    for (const path of ['/carts/c1', '/nowhere', HEALTH_PATHS.readiness]) {
      expect((await app.request(path)).headers.get('Connection')).toBe('close');
    }
    const { app: serving } = testApp(new InMemoryCartRepository(), inMemory);
    expect((await serving.request('/carts/c1')).headers.get('Connection')).toBeNull();
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

describe('health checks', () => {
  const repository = (ping: () => Promise<void>) => Object.assign(new InMemoryCartRepository(), { ping });
  const checks = (ping: () => Promise<void>, draining = false, timeoutMs?: number) => {
    const logs = captureLogs();
    const health = createHealthChecks({
      repository: repository(ping),
      logger: logs.logger,
      isDraining: () => draining,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    return { health, logs };
  };

  test('ready and storage UP when storage answers', async () => {
    const { health } = checks(async () => undefined);
    expect(health.ready()).toBe(true);
    expect(health.draining()).toBe(false);
    expect(await health.storage()).toEqual({ status: 'UP' });
  });

  test('storage failing: still ready, storage DOWN with the error name, and the log says why', async () => {
    const { health, logs } = checks(async () => {
      throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    });
    expect(health.ready()).toBe(true);
    expect(await health.storage()).toEqual({
      status: 'DOWN',
      details: { error: 'ResourceNotFoundException' },
    });
    expect(logs.lines()[0]).toMatchObject({ level: 'warn', msg: 'health: storage does not answer' });
  });

  test('storage hanging past the timeout is DOWN', async () => {
    const { health } = checks(() => new Promise(() => undefined), false, 20);
    expect(await health.storage()).toEqual({ status: 'DOWN', details: { error: 'TimeoutError' } });
  });

  test('not ready once draining has begun', () => {
    const { health } = checks(async () => undefined, true);
    expect(health.ready()).toBe(false);
    expect(health.draining()).toBe(true);
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
