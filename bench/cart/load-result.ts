/** What a load run records, and the figures made from one or more runs of the same kind. */
import { percentile } from '../lib/stats';

/** One run: every successful request's latency, the failures, and how long it ran. */
export interface Sample {
  readonly latenciesMs: number[];
  /** Non-2xx responses, socket errors, timeouts, SDK exceptions. */
  readonly errors: number;
  readonly elapsedMs: number;
  /** CPU time (user + system) the process doing the DynamoDB calls spent meanwhile: the service, or the floor. */
  readonly cpuMs: number | undefined;
}

export interface LoadResult {
  /** Successful requests. */
  readonly requests: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * CPU milliseconds per request of the process making the DynamoDB calls. Unlike latency, it hardly depends on
   * what else the machine runs, so it is the steadier measure of what the service costs over bare SDK calls.
   */
  readonly cpuMsPerRequest: number | undefined;
}

/**
 * Pools runs (the rounds of an interleaved comparison) into one result; throws when the runs mostly failed,
 * since such figures would describe error handling, not the cart.
 */
export function summarize(name: string, samples: readonly Sample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latenciesMs);
  const errors = samples.reduce((sum, s) => sum + s.errors, 0);
  const elapsedMs = samples.reduce((sum, s) => sum + s.elapsedMs, 0);
  const cpu = samples.map((s) => s.cpuMs);
  if (latencies.length === 0 || errors > latencies.length * 0.01) {
    throw new Error(`${name}: ${latencies.length} successful requests, ${errors} errors`);
  }
  return {
    requests: latencies.length,
    errors,
    elapsedMs,
    rps: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuMsPerRequest: cpu.every((ms) => ms !== undefined)
      ? cpu.reduce((sum: number, ms) => sum + ms, 0) / latencies.length
      : undefined,
  };
}
