/**
 * The cart service as a real process (`node --import tsx service/src/server.ts`), wired to a DynamoDB table on
 * the emulator through its upstream environment variables.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './moto';
import { startProcess, stopProcess } from './process';
import { REPO_ROOT } from './synth';

export interface CartServiceOptions {
  readonly tableName: string;
  /** The emulator's DynamoDB endpoint. */
  readonly endpoint: string;
  readonly region: string;
}

export interface RunningCartService {
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

function spawnService(options: CartServiceOptions, port: number): { child: ChildProcess; output: string[] } {
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  const child = startProcess(
    process.execPath,
    ['--import', tsx, join(REPO_ROOT, 'service', 'src', 'server.ts')],
    {
      cwd: join(REPO_ROOT, 'service'),
      env: {
        ...env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        RETAIL_CART_PERSISTENCE_PROVIDER: 'dynamodb',
        RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME: options.tableName,
        RETAIL_CART_PERSISTENCE_DYNAMODB_ENDPOINT: options.endpoint,
        AWS_REGION: options.region,
        AWS_ACCESS_KEY_ID: 'emulator',
        AWS_SECRET_ACCESS_KEY: 'emulator',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  return { child, output };
}

/** Starts the service and waits (bounded) until its readiness probe answers 200. */
export async function startCartService(
  options: CartServiceOptions,
  timeoutMs = 60_000,
): Promise<RunningCartService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = spawnService(options, port);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the cart service exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output.join('')}`,
      );
    }
    try {
      const response = await fetch(`${url}/actuator/health/readiness`, {
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return { url, log: () => output.join(''), stop: () => stopProcess(child) };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopProcess(child);
  throw new Error(`the cart service was not ready within ${timeoutMs} ms:\n${output.join('')}`);
}

/** Starts the service expecting it to fail its start-up check; returns its exit code and output. */
export async function startCartServiceExpectingFailure(
  options: CartServiceOptions,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const { child, output } = spawnService(options, await freePort());
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const outcome = await Promise.race([exited, timer]);
  if (outcome === 'timeout') {
    await stopProcess(child);
    return { code: null, output: output.join(''), timedOut: true };
  }
  // Let the pipes drain.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { code: outcome, output: output.join(''), timedOut: false };
}
