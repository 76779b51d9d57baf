/**
 * Zero-downtime scale-in, end to end: two real server processes on one DynamoDB emulator behind a small load
 * balancer that health-checks readiness like the ALB (and, in effect, like the endpoint controller), at
 * ≥ 50 requests/s over kept-alive connections. One server gets SIGTERM mid-traffic: no request may fail, its
 * readiness must turn 503 while it still serves, and it must exit within the pod's grace period.
 */
import { Agent, request } from 'node:http';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { ENV, HEALTH_PATHS, terminationGracePeriodSeconds } from '../../service/src/contract.js';
import type { EmbeddedDynamoDb } from '../../service/src/embedded-dynamodb.js';
import { startEmulator, tableOn } from './helpers/dynamodb.js';
import { killStarted, removeHome, SERVER_ENTRY, startEntry, type Started } from './helpers/process.js';

/** Longer than the balancer needs to see readiness fail (2 checks 200 ms apart) even on a loaded 2-core machine. */
const DRAIN_MS = 4_000;
const SHUTDOWN_TIMEOUT_MS = 3_000;
const GRACE_MS = terminationGracePeriodSeconds(DRAIN_MS, SHUTDOWN_TIMEOUT_MS) * 1000;
/** One request every 10 ms: 100/s offered. */
const REQUEST_EVERY_MS = 10;
/** The load balancer's health check: every 200 ms, out after 2 failures in a row (the ALB's threshold). */
const CHECK_EVERY_MS = 200;
const UNHEALTHY_THRESHOLD = 2;
/** Traffic before the SIGTERM, and the hard bound on the whole run. */
const BEFORE_SIGTERM_MS = 1_000;
const MAX_RUN_MS = 15_000;

let emulator: EmbeddedDynamoDb;
let tableName: string;
const destroy: (() => void)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  const table = await tableOn(emulator.endpoint);
  tableName = table.config.tableName;
  destroy.push(() => table.client.destroy());
});
afterEach(killStarted);
afterAll(async () => {
  destroy.forEach((d) => d());
  removeHome();
  await emulator.stop();
});

interface Backend {
  readonly name: string;
  readonly proc: Started;
  readonly port: number;
  readonly agent: Agent;
  healthy: boolean;
  failedChecks: number;
  /** When the load balancer first saw readiness answer 503 (performance.now()). */
  readinessDownAt?: number;
}

async function startBackend(name: string): Promise<Backend> {
  const proc = startEntry(SERVER_ENTRY, {
    [ENV.port]: '0',
    [ENV.host]: '127.0.0.1',
    [ENV.provider]: 'dynamodb',
    [ENV.endpoint]: emulator.endpoint,
    [ENV.tableName]: tableName,
    [ENV.region]: 'us-west-2',
    [ENV.shutdownDrainMs]: String(DRAIN_MS),
    [ENV.shutdownTimeoutMs]: String(SHUTDOWN_TIMEOUT_MS),
    // 'listening' (with the port) and 'stopped' (with the drain figures) are info lines.
    [ENV.logLevel]: 'info',
  });
  const port = Number((await proc.waitFor((l) => l.msg === 'listening', 20_000)).port);
  return { name, proc, port, agent: new Agent({ keepAlive: true }), healthy: true, failedChecks: 0 };
}

interface Answer {
  readonly status: number;
  readonly connection: string | undefined;
}

function send(
  backend: Backend,
  method: string,
  path: string,
  body?: string,
  agent: Agent | false = backend.agent,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: backend.port,
        method,
        path,
        agent,
        headers: body
          ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection?.toLowerCase() }),
        );
      },
    );
    req.on('error', () => resolve({ status: -1, connection: undefined }));
    req.end(body);
  });
}

test('SIGTERM under load: 0 failed requests, readiness 503 while draining, exit within the grace period', async () => {
  const [a, b] = await Promise.all([startBackend('a'), startBackend('b')]);
  const backends = [a, b];

  // The load balancer's health checks, on connections of their own.
  const checker = setInterval(() => {
    for (const backend of backends.filter((x) => x.healthy)) {
      void send(backend, 'GET', HEALTH_PATHS.readiness, undefined, false).then(({ status }) => {
        if (status === 503) backend.readinessDownAt ??= performance.now();
        backend.failedChecks = status === 200 ? 0 : backend.failedChecks + 1;
        if (backend.failedChecks >= UNHEALTHY_THRESHOLD) backend.healthy = false;
      });
    }
  }, CHECK_EVERY_MS);

  // Traffic: round robin over the healthy backends, alternating a cart read and an add.
  const answers: (Answer & { backend: string; at: number })[] = [];
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const fire = () => {
    const healthy = backends.filter((x) => x.healthy);
    const backend = healthy[n % healthy.length];
    const customer = `rollout-${n % 16}`;
    const sent = performance.now();
    const reply =
      n % 2 === 0
        ? send(backend, 'GET', `/carts/${customer}`)
        : send(
            backend,
            'POST',
            `/carts/${customer}/items`,
            JSON.stringify({ itemId: `item-${n % 4}`, quantity: 1, unitPrice: 100 }),
          );
    n++;
    const done = reply.then((answer) => {
      answers.push({ ...answer, backend: backend.name, at: sent });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  // Paced by the clock, not by the timer: a late tick sends what is due, so the offered rate holds at 100/s
  // even when this 2-core machine is busy.
  const loadStarted = performance.now();
  const load = setInterval(() => {
    const due = Math.floor((performance.now() - loadStarted) / REQUEST_EVERY_MS);
    while (n < due) fire();
  }, REQUEST_EVERY_MS / 2);
  await new Promise((resolve) => setTimeout(resolve, BEFORE_SIGTERM_MS));

  const sigtermAt = performance.now();
  a.proc.child.kill('SIGTERM');
  const exitCode = await Promise.race([
    a.proc.exit,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), MAX_RUN_MS)),
  ]);
  const exitedAt = a.proc.exitedAt() ?? performance.now();
  // Traffic keeps flowing to the survivor for a moment after the exit.
  await new Promise((resolve) => setTimeout(resolve, 500));
  clearInterval(load);
  const loadEnded = performance.now();
  clearInterval(checker);
  await Promise.all(inFlight);
  backends.forEach((x) => x.agent.destroy());

  const failed = answers.filter((x) => x.status < 200 || x.status >= 300);
  const duringDrain = answers.filter((x) => x.backend === 'a' && x.at >= sigtermAt);
  const stopped = a.proc.lines.find((l) => l.msg === 'stopped');
  const figures = {
    requestsSent: answers.length,
    failed: failed.length,
    requestsPerSecond: Math.round(answers.length / ((loadEnded - loadStarted) / 1000)),
    servedByStoppingPodAfterSigterm: duringDrain.length,
    readiness503AfterMs: a.readinessDownAt === undefined ? null : Math.round(a.readinessDownAt - sigtermAt),
    drainMs: stopped?.drainMs,
    closeMs: stopped?.closeMs,
    exitMs: Math.round(exitedAt - sigtermAt),
    gracePeriodMs: GRACE_MS,
  };
  console.log(`rollout figures: ${JSON.stringify(figures)}`);

  expect(exitCode).toBe(0);
  expect(failed).toEqual([]);
  expect(figures.requestsPerSecond).toBeGreaterThanOrEqual(50);
  // It kept serving after SIGTERM, and once the drain had begun (its readiness said so) it told every client to
  // reconnect elsewhere. (A request sent just after the signal may be handled before the process handles it.)
  expect(duringDrain.length).toBeGreaterThan(0);
  const afterDrainBegan = duringDrain.filter((x) => x.at >= (a.readinessDownAt ?? Infinity));
  expect(afterDrainBegan.length).toBeGreaterThan(0);
  expect(afterDrainBegan.filter((x) => x.connection !== 'close')).toEqual([]);
  // Readiness turned 503 during the drain window, not after it.
  expect(figures.readiness503AfterMs).not.toBeNull();
  expect(figures.readiness503AfterMs).toBeLessThan(DRAIN_MS);
  expect(stopped).toMatchObject({ outcome: 'drained' });
  expect(figures.drainMs).toBeGreaterThanOrEqual(DRAIN_MS);
  expect(figures.exitMs).toBeGreaterThanOrEqual(DRAIN_MS);
  expect(figures.exitMs).toBeLessThan(GRACE_MS);
  // The survivor took the traffic afterwards.
  expect(answers.some((x) => x.backend === 'b' && x.at > exitedAt)).toBe(true);
});
