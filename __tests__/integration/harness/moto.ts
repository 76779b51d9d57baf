/**
 * A local AWS emulator: `moto_server` on a free loopback port, with AWS's managed IAM policies loaded (the
 * cluster attaches AmazonEKSClusterPolicy & co. by ARN, which moto only knows with that switch).
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startProcess, stopProcess } from './process';

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Everything moto printed so far (request log), for diagnosing a failure. */
  log(): string;
  /** Kills the server's process group. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** The moto_server executable. @default 'moto_server' (on PATH) */
  readonly command?: string;
  /** How long to wait for the server to answer. @default 30_000 */
  readonly readyTimeoutMs?: number;
}

/** A port the kernel just handed out on 127.0.0.1 (free at the time of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  deadline: number,
): Promise<'ready' | 'exited'> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    if (await answers(url)) return 'ready';
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`moto_server did not answer ${url} within the deadline`);
}

/** Starts moto_server; retries on another port if the first one was taken in the meantime. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const command = options.command ?? 'moto_server';
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  let lastLog = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const output: string[] = [];
    const child = startProcess(command, ['-H', '127.0.0.1', '-p', String(port)], {
      cwd: process.cwd(),
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (error) => reject(new Error(`could not start ${command}: ${error.message}`))),
    );
    try {
      const state = await Promise.race([
        waitUntilReady(child, `${endpoint}/moto-api/`, Date.now() + readyTimeoutMs),
        spawnError,
      ]);
      if (state === 'ready') {
        return { endpoint, port, log: () => output.join(''), stop: () => stopProcess(child) };
      }
      lastLog = output.join('');
    } catch (error) {
      await stopProcess(child);
      throw error;
    }
  }
  throw new Error(`moto_server exited before answering, three times; last output:\n${lastLog}`);
}
