import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { traceLogFields } from './log-trace-fields.js';

export type { Logger };

export interface LoggerOptions {
  /**
   * Where lines go (tests read them back).
   * @default - stdout
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
 * Written synchronously, pino's default: one `write` per line, nothing lost on a crash. The asynchronous mode
 * hands each write to libuv's thread pool, which at a service's paced traffic (a line every few milliseconds, so
 * nothing to batch) costs a thread wake-up per line: up to 5 % of a cart request's CPU, measured side by side with
 * `npx tsx bench/cart/limit.ts --before=<a commit with sync: false>`.
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'carts' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.traceIds ? { mixin: () => traceLogFields() } : {}),
  };
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
