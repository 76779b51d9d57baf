import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { batchedStdout } from './log-destination.js';
import { traceLogFields } from './log-trace-fields.js';

export type { Logger };

export interface LoggerOptions {
  /**
   * Where lines go (tests read them back).
   * @default - stdout, batched (log-destination.ts)
   */
  readonly destination?: DestinationStream;
  /**
   * Add the active span's `trace_id`, `span_id` and `trace_flags` to every line (tracing on).
   * @default false
   */
  readonly traceIds?: boolean;
}

/**
 * Structured JSON logs on stdout, one object per line, with ISO timestamps and textual levels.
 *
 * Batched: a write per line was the largest single cost of logging (one syscall per request). A line after a
 * quiet spell goes out at once; under traffic, lines go out together at most every 100 ms (log-destination.ts).
 * Whatever waits is written on exit, so the last lines (a crash, `stopped`) are not lost; only a SIGKILL can
 * drop them.
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'carts' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.traceIds ? { mixin: () => traceLogFields() } : {}),
  };
  return pino(settings, options.destination ?? batchedStdout());
}
