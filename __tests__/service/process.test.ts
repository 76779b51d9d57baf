/**
 * The real entry point as a process: graceful shutdown on SIGTERM with a request in flight, and exit code 1 with
 * a clear log line for invalid configuration and for missing AWS credentials.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { DYNAMODB_ACCESS_ERROR } from '../../service/src/startup-check.js';
import { killStarted, removeHome, SERVER_ENTRY, startEntry } from './helpers/process.js';

const SERVER = SERVER_ENTRY;
const startServer = (env: Record<string, string>) => startEntry(SERVER, env);

afterEach(killStarted);
afterAll(removeHome);

test('the entry exists where the Dockerfile expects its build', () => {
  expect(existsSync(SERVER)).toBe(true);
});

describe('SIGTERM', () => {
  test('finishes the in-flight request, refuses new connections, exits 0', async () => {
    const server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      RETAIL_CART_PERSISTENCE_PROVIDER: 'in-memory',
      // No drain window: this test is about closing; the rollout test covers draining.
      SHUTDOWN_DRAIN_MS: '0',
    });
    const port = Number((await server.waitFor((l) => l.msg === 'listening')).port);

    // A POST whose body arrives in two parts: the request is in flight until the second part is sent.
    const body = JSON.stringify({
      itemId: 'd27cf49f-b689-4a75-a249-d373e0330bb5',
      quantity: 2,
      unitPrice: 150,
    });
    let settle: (value: { status: number; body: string }) => void = () => undefined;
    const response = new Promise<{ status: number; body: string }>((resolve) => (settle = resolve));
    const inFlight = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/carts/c1/items',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => settle({ status: res.statusCode ?? 0, body: text }));
      },
    );
    inFlight.on('error', (error) => settle({ status: -1, body: String(error) }));
    inFlight.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));

    server.child.kill('SIGTERM');
    await server.waitFor((l) => l.msg === 'closing: no new connections, finishing in-flight requests');

    // Not accepting any more.
    const refused = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => 'accepted',
      () => 'refused',
    );
    expect(refused).toBe('refused');

    inFlight.end(body.slice(10));
    expect(await response).toEqual({ status: 201, body });
    expect(await server.exit).toBe(0);
    expect(server.lines.find((l) => l.msg === 'stopped')).toMatchObject({ outcome: 'drained' });
  });
});

describe('start-up failures exit 1', () => {
  test('invalid configuration names the variable and what is allowed', async () => {
    const server = startServer({ RETAIL_CART_PERSISTENCE_PROVIDER: 'mongodb' });
    expect(await server.exit).toBe(1);
    expect(server.lines[0]).toMatchObject({ level: 'fatal' });
    expect(String(server.lines[0]?.msg)).toContain(
      'RETAIL_CART_PERSISTENCE_PROVIDER="mongodb" is not allowed: expected one of in-memory, dynamodb',
    );
  });

  test('missing AWS credentials: the workshop line, the diagnosis', async () => {
    // DynamoDB on AWS with no credential source at all: no keys, no Pod Identity, no IRSA, no IMDS.
    const server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      RETAIL_CART_PERSISTENCE_PROVIDER: 'dynamodb',
      AWS_REGION: 'us-west-2',
      RETAIL_CART_PERSISTENCE_DYNAMODB_MAX_ATTEMPTS: '1',
    });
    expect(await server.exit).toBe(1);
    const line = server.lines.find((l) => l.level === 'error');
    expect(String(line?.msg)).toContain(`${DYNAMODB_ACCESS_ERROR}: no AWS credentials were found`);
    expect(String(line?.msg)).toContain('service account is not associated with an IAM role');
    expect(server.lines.some((l) => l.msg === 'listening')).toBe(false);
  });
});
