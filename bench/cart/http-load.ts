/**
 * HTTP load with autocannon at fixed concurrency for a fixed time. Latencies are taken from autocannon's
 * per-response event rather than its histogram, which rounds to whole milliseconds (too coarse here).
 */
import { createRequire } from 'node:module';
import type { Sample } from './load-result';
import { addItemBody, isPost, roundRobin, type Operation } from './operations';

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: CannonRequest) => CannonRequest;
}
interface CannonResult {
  readonly errors: number;
  readonly timeouts: number;
}
interface CannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  stop(): void;
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    requests: CannonRequest[];
    overallRate?: number;
  },
  done: (error: Error | null, result: CannonResult) => void,
) => CannonInstance;

// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

export interface HttpLoadOptions {
  readonly baseUrl: string;
  readonly operation: Operation;
  readonly customers: readonly string[];
  readonly connections: number;
  readonly durationMs: number;
  /**
   * Requests per second over all connections (open loop); the server's CPU per request is then compared at the
   * same rate, whatever each server's capacity.
   * @default - as fast as the server answers (closed loop)
   */
  readonly rate?: number;
}

/** The request sequence one connection cycles through: 1 GET, 1 POST, or 4 GETs then 1 POST. */
function requestsFor(operation: Operation, customers: readonly string[]): CannonRequest[] {
  const customer = roundRobin(customers);
  let posts = 0;
  const get: CannonRequest = { method: 'GET', setupRequest: (r) => ({ ...r, path: `/carts/${customer()}` }) };
  const post: CannonRequest = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    setupRequest: (r) => ({
      ...r,
      path: `/carts/${customer()}/items`,
      body: JSON.stringify(addItemBody(posts++)),
    }),
  };
  const cycle = operation === 'mix' ? 5 : 1;
  return Array.from({ length: cycle }, (_, n) => (isPost(operation, n) ? post : get));
}

/** One run; the caller adds the CPU time of the process it measures. */
export function httpLoad(options: HttpLoadOptions): Promise<Omit<Sample, 'cpuMs'>> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationMs / 1000,
        requests: requestsFor(options.operation, options.customers),
        ...(options.rate !== undefined ? { overallRate: options.rate } : {}),
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) return reject(error);
        resolve({
          latenciesMs: latencies,
          errors: failed + result.errors + result.timeouts,
          elapsedMs: performance.now() - started,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else failed++;
    });
    // autocannon stops itself after `duration`; this only bounds a hang.
    const guard = setTimeout(() => instance.stop(), options.durationMs + 30_000);
  });
}
