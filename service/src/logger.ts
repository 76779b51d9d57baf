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

/** Structured JSON logs on stdout, one object per line, with ISO timestamps and textual levels. */
export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'carts' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    ...(options.traceIds ? { mixin: () => traceLogFields() } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
