/**
 * OpenTelemetry in the service: a server span per request with a DynamoDB client span under it (against the
 * emulator, through the real client), the trace ids in the log lines, W3C trace context continued, errors marked,
 * the standard samplers, and the real OTLP/protobuf exporter posting to a receiver.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../service/src/app.js';
import type { Config, SamplerName, TracingConfig } from '../../service/src/config.js';
import { CUSTOMER_INDEX_NAME, HEALTH_PATHS, OTLP_TRACES_PATH } from '../../service/src/contract.js';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { createMetrics } from '../../service/src/metrics.js';
import { createDynamoDbClients } from '../../service/src/repository/dynamodb-client.js';
import { DynamoDbCartRepository } from '../../service/src/repository/dynamodb.js';
import { startService } from '../../service/src/start.js';
import { createTracing, TRACER_NAME } from '../../service/src/tracing.js';
import { HEALTHY, jsonRequest } from './helpers/app.js';
import { appConfig, dynamoDbConfig, startEmulator, tableOn } from './helpers/dynamodb.js';
import { captureLogs } from './helpers/logs.js';

const TRACING: TracingConfig = {
  url: `http://127.0.0.1:1${OTLP_TRACES_PATH}`,
  headers: {},
  serviceName: 'carts-test',
  resourceAttributes: { 'deployment.environment.name': 'test' },
  sampler: 'parentbased_always_on',
  samplerRatio: 1,
};

let emulator: EmbeddedDynamoDb;
let tableName: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  const table = await tableOn(emulator.endpoint);
  tableName = table.config.tableName;
  cleanups.push(() => table.client.destroy());
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await emulator.stop();
});

/** The app on the emulator with tracing into memory (spans readable as soon as they end). */
function tracedApp(sampler: SamplerName = 'parentbased_always_on', samplerRatio = 1) {
  const exporter = new InMemorySpanExporter();
  const logs = captureLogs('info', true);
  const tracing = createTracing({ ...TRACING, sampler, samplerRatio }, logs.logger, {
    exporter,
    processor: (e) => new SimpleSpanProcessor({ exporter: e }),
  });
  const persistence = dynamoDbConfig(emulator.endpoint, tableName);
  const { client, documentClient } = createDynamoDbClients(persistence, { tracer: tracing.tracer });
  cleanups.push(
    () => client.destroy(),
    () => tracing.shutdown(),
  );
  const app = createApp({
    repository: new DynamoDbCartRepository({ client: documentClient, tableName }),
    config: appConfig(persistence),
    logger: logs.logger,
    metrics: createMetrics(),
    health: HEALTHY,
    tracer: tracing.tracer,
  });
  return { app, exporter, logs };
}

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

describe('GET cart', () => {
  test('a server span with a DynamoDB Query child span carrying the table name', async () => {
    const { app, exporter } = tracedApp();
    expect((await app.request('/carts/traced-1')).status).toBe(200);

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(['DynamoDB.Query', 'GET /carts/{customerId}']);
    const [server] = named(spans, 'GET /carts/{customerId}');
    const [query] = named(spans, 'DynamoDB.Query');

    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.instrumentationScope.name).toBe(TRACER_NAME);
    expect(server.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/carts/traced-1',
      'url.scheme': 'http',
      'http.route': '/carts/{customerId}',
      'http.response.status_code': 200,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(server.resource.attributes).toMatchObject({
      'service.name': 'carts-test',
      'deployment.environment.name': 'test',
      'telemetry.sdk.language': 'nodejs',
    });

    expect(query.kind).toBe(SpanKind.CLIENT);
    expect(query.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(query.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(query.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'Query',
      'db.system.name': 'aws.dynamodb',
      'db.operation.name': 'Query',
      'db.collection.name': tableName,
      'aws.dynamodb.table_names': [tableName],
      'aws.dynamodb.index_name': CUSTOMER_INDEX_NAME,
      'cloud.region': 'us-west-2',
    });
    // dynalite's request ids, like DynamoDB's: 52 characters.
    expect(query.attributes['aws.request_id']).toMatch(/^[A-Z0-9]{52}$/);
  });

  test("the request's log line carries the server span's trace and span ids", async () => {
    const { app, exporter, logs } = tracedApp();
    await app.request('/carts/traced-2');
    const [server] = named(exporter.getFinishedSpans(), 'GET /carts/{customerId}');
    const line = logs.lines().find((l) => l.msg === 'request');
    expect(line).toMatchObject({
      path: '/carts/traced-2',
      trace_id: server.spanContext().traceId,
      span_id: server.spanContext().spanId,
      trace_flags: '01',
    });
  });

  test("an incoming W3C traceparent continues the caller's trace", async () => {
    const { app, exporter } = tracedApp();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    await app.request('/carts/traced-3', { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    const [server] = named(exporter.getFinishedSpans(), 'GET /carts/{customerId}');
    expect(server.spanContext().traceId).toBe(traceId);
    expect(server.parentSpanContext?.spanId).toBe(parentId);
    expect(server.parentSpanContext?.isRemote).toBe(true);
  });
});

describe('other requests', () => {
  test('POST item: an UpdateItem span; 400 is not an error; 404 has no route', async () => {
    const { app, exporter } = tracedApp();
    await app.request(
      '/carts/traced-4/items',
      jsonRequest('POST', { itemId: 'a', quantity: 1, unitPrice: 2 }),
    );
    await app.request('/carts/traced-4/items', jsonRequest('POST', { itemId: 'a', quantity: -1 }));
    await app.request('/nowhere');
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.attributes['http.response.status_code'], s.status.code])).toEqual([
      ['DynamoDB.UpdateItem', undefined, SpanStatusCode.UNSET],
      ['POST /carts/{customerId}/items', 201, SpanStatusCode.UNSET],
      ['POST /carts/{customerId}/items', 400, SpanStatusCode.UNSET],
      ['GET', 404, SpanStatusCode.UNSET],
    ]);
    expect(spans[3].attributes['http.route']).toBeUndefined();
  });

  test('probes are traced like everything else (no storage call behind readiness)', async () => {
    const { app, exporter } = tracedApp();
    await app.request(HEALTH_PATHS.readiness);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([`GET ${HEALTH_PATHS.readiness}`]);
  });
});

describe('a throttled DynamoDB', () => {
  let stub: Server;
  let endpoint: string;
  beforeAll(async () => {
    stub = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'REQ123' });
        res.end(
          JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow' }),
        );
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  test('the client span is an error with its type and request id; the server span a 503 error', async () => {
    const exporter = new InMemorySpanExporter();
    const logs = captureLogs('info', true);
    const tracing = createTracing(TRACING, logs.logger, {
      exporter,
      processor: (e) => new SimpleSpanProcessor({ exporter: e }),
    });
    const persistence = dynamoDbConfig(endpoint, 'Items', 1);
    const { client, documentClient } = createDynamoDbClients(persistence, { tracer: tracing.tracer });
    const app = createApp({
      repository: new DynamoDbCartRepository({ client: documentClient, tableName: 'Items' }),
      config: appConfig(persistence),
      logger: logs.logger,
      metrics: createMetrics(),
      health: HEALTHY,
      tracer: tracing.tracer,
    });
    expect((await app.request('/carts/c1')).status).toBe(503);
    client.destroy();
    const [query, server] = exporter.getFinishedSpans();
    expect(query.name).toBe('DynamoDB.Query');
    expect(query.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ThrottlingException' });
    expect(query.attributes).toMatchObject({
      'error.type': 'ThrottlingException',
      'aws.request_id': 'REQ123',
    });
    expect(query.events.map((e) => e.name)).toEqual(['exception']);
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes).toMatchObject({
      'http.response.status_code': 503,
      'error.type': 'StorageUnavailableError',
    });
    // The warning about the unavailable store is in the same trace.
    const warning = logs.lines().find((l) => l.msg === 'storage unavailable');
    expect(warning?.trace_id).toBe(server.spanContext().traceId);
    await tracing.shutdown();
  });
});

describe('samplers', () => {
  test.each([
    ['always_off', 0, 0, '00'],
    ['traceidratio', 0, 0, '00'],
    ['parentbased_traceidratio', 1, 2, '01'],
    ['always_on', 1, 2, '01'],
  ] as const)(
    '%s (ratio %d): %d spans exported, logs still carry the trace id (flags %s)',
    async (sampler, ratio, count, flags) => {
      const { app, exporter, logs } = tracedApp(sampler, ratio);
      await app.request('/carts/sampled');
      expect(exporter.getFinishedSpans()).toHaveLength(count);
      const line = logs.lines().find((l) => l.msg === 'request');
      expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(line?.trace_flags).toBe(flags);
    },
  );
});

describe('the running service', () => {
  test('tracing on: spans from the real server; off: no trace fields in the logs', async () => {
    const exporter = new InMemorySpanExporter();
    const logs = captureLogs('info', true);
    const config: Config = { ...appConfig(dynamoDbConfig(emulator.endpoint, tableName)), tracing: TRACING };
    const running = await startService(config, logs.logger, {
      tracing: { exporter, processor: (e) => new SimpleSpanProcessor({ exporter: e }) },
    });
    let spans: ReadableSpan[];
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const res = await fetch(`http://127.0.0.1:${running.port}/carts/served`, { headers: { traceparent } });
      expect(res.status).toBe(200);
      // Before stop(): shutting the provider down empties an in-memory exporter.
      spans = exporter.getFinishedSpans();
    } finally {
      await running.stop();
    }
    const [server] = named(spans, 'GET /carts/{customerId}');
    // The caller's trace, read from Node's own request headers.
    expect(server.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const [query] = named(spans, 'DynamoDB.Query').filter((s) => s.parentSpanContext !== undefined);
    expect(query.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    // The start-up check's query ran before any request: a root span of its own.
    expect(named(spans, 'DynamoDB.Query').filter((s) => s.parentSpanContext === undefined)).toHaveLength(1);

    const plain = captureLogs('info');
    const untraced = await startService(
      appConfig(dynamoDbConfig(emulator.endpoint, tableName)),
      plain.logger,
    );
    try {
      await fetch(`http://127.0.0.1:${untraced.port}/carts/served`);
    } finally {
      await untraced.stop();
    }
    const line = plain.lines().find((l) => l.msg === 'request');
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('trace_id');
  });
});

describe('the OTLP exporter', () => {
  test('posts protobuf to the configured URL, flushed at shutdown', async () => {
    const received: { path: string; type: string | undefined; body: Buffer }[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          type: req.headers['content-type'],
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${OTLP_TRACES_PATH}`;
    try {
      const logs = captureLogs('info', true);
      const tracing = createTracing({ ...TRACING, url, headers: { 'x-tenant': 'carts' } }, logs.logger);
      const persistence = dynamoDbConfig(emulator.endpoint, tableName);
      const { client, documentClient } = createDynamoDbClients(persistence, { tracer: tracing.tracer });
      const app = createApp({
        repository: new DynamoDbCartRepository({ client: documentClient, tableName }),
        config: appConfig(persistence),
        logger: logs.logger,
        metrics: createMetrics(),
        health: HEALTHY,
        tracer: tracing.tracer,
      });
      await app.request('/carts/exported');
      // Batched: nothing has gone out yet; shutdown flushes.
      expect(received).toHaveLength(0);
      await tracing.shutdown();
      client.destroy();
      expect(received).toHaveLength(1);
      expect(received[0].path).toBe(OTLP_TRACES_PATH);
      expect(received[0].type).toBe('application/x-protobuf');
      const body = received[0].body.toString('latin1');
      for (const text of ['GET /carts/{customerId}', 'DynamoDB.Query', tableName, 'carts-test']) {
        expect(body).toContain(text);
      }
    } finally {
      receiver.close();
    }
  });
});
