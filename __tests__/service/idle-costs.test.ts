/**
 * Costs a service pays whatever its traffic, which the bare-server comparison (bench/cart/limit.ts) showed to be a
 * large share of what the service adds at a pod's paced traffic: a thread-pool hand-off per log line, and a lag
 * sampler waking the process 100 times a second.
 */
import { pino } from 'pino';
import { afterEach, expect, test, vi } from 'vitest';
import { createLogger } from '../../service/src/logger.js';
import { createMetrics, EVENT_LOOP_SAMPLE_MS } from '../../service/src/metrics.js';

// vi.mock is hoisted above the imports: metrics.ts gets this spy in place of prom-client's sampler.
const collectDefaultMetrics = vi.hoisted(() => vi.fn());
vi.mock('prom-client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('prom-client')>()),
  collectDefaultMetrics,
}));

afterEach(() => collectDefaultMetrics.mockClear());

test('log lines go to stdout synchronously: no thread-pool hand-off per line, nothing in flight at a crash', () => {
  // pino's destination (sonic-boom) keeps its file descriptor and mode as plain fields.
  const logger = createLogger('info') as unknown as Record<symbol, { fd: number; sync: boolean }>;
  const stream = logger[pino.symbols.streamSym];
  expect(stream.fd).toBe(1);
  expect(stream.sync).toBe(true);
});

test('process metrics sample the event-loop lag every 100 ms, not prom-client’s default 10 ms', () => {
  const metrics = createMetrics({ processMetrics: true });
  expect(EVENT_LOOP_SAMPLE_MS).toBe(100);
  expect(collectDefaultMetrics).toHaveBeenCalledTimes(1);
  expect(collectDefaultMetrics).toHaveBeenCalledWith({
    register: metrics.registry,
    eventLoopMonitoringPrecision: 100,
  });
});

test('without process metrics nothing samples at all', () => {
  createMetrics();
  expect(collectDefaultMetrics).not.toHaveBeenCalled();
});
