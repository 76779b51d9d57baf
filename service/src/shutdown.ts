import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves once at least `ms` have passed by the monotonic clock. A timer alone can end a millisecond short by that
 * clock (libuv counts from the event loop's cached time, taken before the timer was set), and the drain window, which
 * keeps readiness DOWN while endpoints are updated, must never be shorter than configured.
 */
export async function waitAtLeast(
  ms: number,
  clock: () => number = () => performance.now(),
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<void> {
  const until = clock() + ms;
  for (let left = ms; left > 0; left = until - clock()) await wait(Math.ceil(left));
}

/**
 * Stops accepting connections and resolves once every in-flight request has finished, or after `timeoutMs`
 * (then the remaining connections are cut). Keep-alive connections are closed as soon as they go idle, so a
 * client holding one open does not delay the exit.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<'drained' | 'timed-out'> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: 'drained' | 'timed-out') => {
      if (settled) return;
      settled = true;
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve(outcome);
    };
    // server.close() closes the connections idle at that moment; connections whose request finishes later
    // become idle afterwards and would otherwise keep the server open.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish('timed-out');
    }, timeoutMs);
    server.close(() => finish('drained'));
  });
}
