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
 * Written asynchronously: a synchronous write per line was the largest single cost of logging (one syscall per
 * request). Lines logged while a write is in flight go out together in the next one; at low traffic each line
 * still goes out at once. pino flushes synchronously on exit, so the last lines (a crash, `stopped`) are not lost;
 * only a SIGKILL can drop what is in flight.
 */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'carts' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.traceIds ? { mixin: () => traceLogFields() } : {}),
  };
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
