import type { Server } from 'node:http';

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
