/**
 * The real entry point as a process: graceful shutdown on SIGTERM with a request in flight, and exit code 1 with
 * a clear log line for invalid configuration and for missing AWS credentials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { DYNAMODB_ACCESS_ERROR } from '../../service/src/startup-check.js';

// vitest runs from the repository root.
const ROOT = process.cwd();
const SERVER = join(ROOT, 'service', 'src', 'server.ts');
const HOME = mkdtempSync(join(tmpdir(), 'carts-home-'));

interface Started {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exit: Promise<number | null>;
  waitFor(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

const children: ChildProcess[] = [];

/** Starts service/src/server.ts with only the given environment (plus PATH and an empty HOME). */
function startServer(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts.filter((p) => p.trim() !== '')) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ raw: part });
      }
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr?.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exit,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no such log line; got ${JSON.stringify(lines)}`)),
          timeoutMs,
        );
        const check = () => {
          const found = lines.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(HOME, { recursive: true, force: true }));

test('the entry exists where the Dockerfile expects its build', () => {
  expect(existsSync(SERVER)).toBe(true);
});

describe('SIGTERM', () => {
  test('finishes the in-flight request, refuses new connections, exits 0', async () => {
    const server = startServer({
      PORT: '0',
      HOST: '127.0.0.1',
      RETAIL_CART_PERSISTENCE_PROVIDER: 'in-memory',
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
    await server.waitFor((l) => l.msg === 'shutting down: finishing in-flight requests');

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
