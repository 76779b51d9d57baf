import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { closeGracefully, waitAtLeast } from '../../service/src/shutdown.js';

let server: Server | undefined;
afterEach(() => server?.closeAllConnections());

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, agent: Agent | false = false): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', (error) => resolve(`error: ${error.message}`));
    req.end();
  });
}

test('an idle keep-alive connection does not delay the shutdown', async () => {
  const port = await listen((_req, res) => res.end('ok'));
  const agent = new Agent({ keepAlive: true });
  expect(await get(port, agent)).toBe('ok');
  const started = Date.now();
  expect(await closeGracefully(server as Server, 5_000)).toBe('drained');
  expect(Date.now() - started).toBeLessThan(1_000);
  agent.destroy();
});

test('a keep-alive connection whose request finishes after close() is closed too', async () => {
  let release: () => void = () => undefined;
  const port = await listen((_req, res) => {
    release = () => res.end('late');
  });
  const agent = new Agent({ keepAlive: true });
  const pending = get(port, agent);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = closeGracefully(server as Server, 5_000);
  release();
  expect(await pending).toBe('late');
  expect(await closing).toBe('drained');
  agent.destroy();
});

test('a request that never finishes is cut at the timeout', async () => {
  const port = await listen(() => undefined);
  const pending = get(port);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await closeGracefully(server as Server, 100)).toBe('timed-out');
  expect(await pending).toBe('error: socket hang up');
});

test('waitAtLeast: a timer that ends a millisecond short is waited out, so the window is never shorter', async () => {
  let now = 1_000.5;
  const waits: number[] = [];
  // The first wait ends 1 ms before it should by the clock, as a libuv timer can; the next is on time.
  const early = async (ms: number) => {
    waits.push(ms);
    now += waits.length === 1 ? ms - 1 : ms;
  };
  await waitAtLeast(4_000, () => now, early);
  expect(waits).toEqual([4_000, 1]);
  expect(now - 1_000.5).toBeGreaterThanOrEqual(4_000);
});

test('waitAtLeast: a timer on time is waited once; 0 ms waits not at all', async () => {
  let now = 0;
  const waits: number[] = [];
  const exact = async (ms: number) => {
    waits.push(ms);
    now += ms;
  };
  await waitAtLeast(250, () => now, exact);
  await waitAtLeast(0, () => now, exact);
  expect(waits).toEqual([250]);
});

test('waitAtLeast on the real clock: at least the time asked for', async () => {
  const started = performance.now();
  await waitAtLeast(30);
  expect(performance.now() - started).toBeGreaterThanOrEqual(30);
});
