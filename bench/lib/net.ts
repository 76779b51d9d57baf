/** Loopback helpers: every server in the bench listens on 127.0.0.1 and a port the OS picked. */
import { createServer, type AddressInfo } from 'node:net';
import { delay } from './proc';

export const LOOPBACK = '127.0.0.1';

/** A port that was free a moment ago (the OS picks it; for servers that need the port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; rejects after `timeoutMs`, or at once when `alive()` turns false. */
export async function waitForHttpOk(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the process behind ${url} exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(100);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (${last})`);
}
