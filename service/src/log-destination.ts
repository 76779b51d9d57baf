import { pino, type DestinationStream } from 'pino';

/** At most one write to stdout per this many ms while lines keep coming; the first line after a pause at once. */
export const LOG_WRITE_INTERVAL_MS = 100;

/** Past this many characters waiting, they are written at once (a burst never holds much in memory). */
const MAX_PENDING_CHARS = 64 * 1024;

export interface BatchedStdoutOptions {
  /**
   * The file descriptor written (tests: a file's).
   * @default 1 (stdout)
   */
  readonly fd?: number;
  /**
   * The shortest time between two writes while lines keep coming.
   * @default LOG_WRITE_INTERVAL_MS
   */
  readonly intervalMs?: number;
}

/**
 * stdout for the logger: one write per {@link LOG_WRITE_INTERVAL_MS} at most, not one per line. A write is a
 * syscall (and, written asynchronously as before, a round trip through libuv's thread pool): at one log line per
 * request it cost a cart request more CPU than pino's formatting, prom-client and zod together
 * (`bench/cart/profile.ts`). A line logged after a quiet interval is written at once; lines logged within an
 * interval of the last write wait for its end and go out together, in order. On exit (`process.exit`, a crash,
 * the end of the event loop) whatever waits is written, so only a SIGKILL can drop the last lines, as before.
 */
export function batchedStdout(options: BatchedStdoutOptions = {}): DestinationStream {
  const { fd = 1, intervalMs = LOG_WRITE_INTERVAL_MS } = options;
  // Synchronous: at one write per interval a syscall on the main thread costs less than a round trip through
  // libuv's thread pool, and no write can overtake another (in flight at exit, an asynchronous one could).
  const out = pino.destination({ dest: fd, sync: true });
  let pending = '';
  let lastWrite = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const writeNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastWrite = performance.now();
    const text = pending;
    pending = '';
    if (text !== '') out.write(text);
  };
  // A crash, process.exit() or the end of the event loop: what waits goes out before the process ends.
  process.once('exit', writeNow);
  return {
    write(line: string) {
      pending += line;
      if (pending.length >= MAX_PENDING_CHARS) return writeNow();
      if (timer !== undefined) return;
      const wait = lastWrite + intervalMs - performance.now();
      if (wait <= 0) return writeNow();
      // Unreferenced: a line waiting to be written must not keep an otherwise finished process alive.
      timer = setTimeout(writeNow, wait);
      timer.unref();
    },
  };
}
