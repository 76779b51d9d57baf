import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../service/src/logger.js';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The raw text, as a log collector (or `kubectl logs | grep`) would see it. */
  text(): string;
}

/** A real pino logger writing JSON lines into memory. */
export function captureLogs(level: 'info' | 'debug' = 'info', traceIds = false): CapturedLogs {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger(level, { destination: stream, traceIds });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
