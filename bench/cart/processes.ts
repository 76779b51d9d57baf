/** The emulator and the service, each in its own process on 127.0.0.1 and a free port. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, HEALTH_PATHS } from '@cart-platform/service/contract';
import { freePort, LOOPBACK, waitForHttpOk } from '../lib/net';
import { spawnTracked, waitForLine, type Tracked } from '../lib/proc';
import type { BareOptions } from './bare-server';

const ROOT = join(__dirname, '..', '..');

export interface Running {
  readonly proc: Tracked;
  /** Emulator: its endpoint; service: its base URL. */
  readonly url: string;
}

/** dynalite in a child process (bench/cart/emulator.ts). */
export async function startEmulator(): Promise<Running> {
  const proc = spawnTracked(process.execPath, ['--import', 'tsx', join(__dirname, 'emulator.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, endpoint] = await waitForLine(proc, /\{"endpoint":"([^"]+)"\}/, 30_000);
  return { proc, url: endpoint };
}

/**
 * The compiled service (`node <tmp>/dist/server.js`) on the emulator, configured the way the local world
 * configures it (endpoint override, dummy credentials) and logging at its default level, info, to /dev/null:
 * the cost of a log line per request is part of the service. A clean environment, so nothing of the caller's
 * (AWS keys, NODE_OPTIONS) changes what is measured.
 */
export interface ProcessOptions {
  /** Variables besides the ones set here. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags before the script (`--cpu-prof`, which NODE_OPTIONS refuses). @default [] */
  readonly nodeArgs?: readonly string[];
}

export async function startService(
  serverJs: string,
  endpoint: string,
  tableName: string,
  { env = {}, nodeArgs = [] }: ProcessOptions = {},
): Promise<Running> {
  const port = await freePort();
  let exited = false;
  const proc = spawnTracked(process.execPath, [...nodeArgs, serverJs], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      [ENV.port]: String(port),
      [ENV.host]: LOOPBACK,
      [ENV.provider]: 'dynamodb',
      [ENV.endpoint]: endpoint,
      [ENV.tableName]: tableName,
      [ENV.createTable]: 'false',
      [ENV.region]: 'us-west-2',
      [ENV.logLevel]: 'info',
      // Nothing routes to it through a load balancer: stop at once.
      [ENV.shutdownDrainMs]: '0',
      ...env,
    },
  });
  let stderr = '';
  proc.child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  void proc.exited.then(() => (exited = true));
  const url = `http://${LOOPBACK}:${port}`;
  try {
    await waitForHttpOk(`${url}${HEALTH_PATHS.readiness}`, 30_000, () => !exited);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nservice stderr:\n${stderr}`, { cause: error });
  }
  return { proc, url };
}

/** The bare node:http server (bare-server.ts, compiled like the service) on the emulator. */
export async function startBare(
  bareJs: string,
  options: BareOptions,
  { env = {}, nodeArgs = [] }: ProcessOptions = {},
): Promise<Running> {
  const proc = spawnTracked(process.execPath, [...nodeArgs, bareJs, JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  const [, url] = await waitForLine(proc, /\{"url":"([^"]+)"\}/, 30_000);
  return { proc, url };
}

/** Resident set size of a process in MB, from /proc (Linux); undefined elsewhere. */
export function rssMb(pid: number): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat (Linux); undefined elsewhere.
 * The kernel reports it in USER_HZ ticks, which is 100 per second on every Linux ABI.
 */
export function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces, hence the last ')'): utime is the 12th, stime 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until the returned stop function is called; it returns the samples. */
export function sampleRss(pid: number, everyMs = 100): () => number[] {
  const samples: number[] = [];
  const take = () => {
    const mb = rssMb(pid);
    if (mb !== undefined) samples.push(mb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return () => {
    clearInterval(timer);
    take();
    return samples;
  };
}
