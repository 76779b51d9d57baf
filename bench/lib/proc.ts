/**
 * Child processes with bounded waits. Each child gets its own process group so that stopping it also stops
 * what it started (cdktf synth runs the app as a grandchild), and each is registered for cleanup.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup, tempDir } from './cleanup';

export interface Tracked {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Resolves when its stdout and stderr have closed (or 2 s after this call at most). */
  drained(): Promise<void>;
  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Spawns a child in its own process group, killed at cleanup if still running. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      done = true;
      resolve(error.message);
    });
  });
  // 'close' comes after 'exit' once stdio has drained; bounded, since a grandchild may hold a pipe open.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const forget = onCleanup(() => {
    if (!done) killGroup(pid, 'SIGKILL');
  });
  return {
    child,
    pid,
    exited,
    drained: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        void closed.then(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    async stop(graceMs = 5_000) {
      if (!done) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      forget();
    },
  };
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The run fails (and the group is killed) after this long. */
  readonly timeoutMs: number;
}

export interface RunResult {
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; rejects on a non-zero exit or a timeout, with the tail of its output. */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const proc = spawnTracked(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.stop(1_000);
  }, options.timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  await proc.drained();
  await proc.stop();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (timedOut || code !== 0) {
    const why = timedOut ? `timed out after ${options.timeoutMs} ms` : `exited with ${code}`;
    throw new Error(`${[command, ...args].join(' ')} ${why}\n${(stderr || stdout).slice(-2_000)}`);
  }
  return { wallMs, stdout, stderr };
}

const GNU_TIME = '/usr/bin/time';

export interface Measured {
  readonly wallMs: number;
  /** Peak resident set size of the largest process in the tree (GNU time's %M), or undefined without it. */
  readonly peakRssMb: number | undefined;
}

/**
 * Wall time (measured here) and peak RSS (GNU time, which reads the rusage of the child and its waited-for
 * descendants: the maximum of any single process, not their sum).
 */
export async function measure(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<Measured> {
  if (!existsSync(GNU_TIME)) {
    const { wallMs } = await run(command, args, options);
    return { wallMs, peakRssMb: undefined };
  }
  const out = join(tempDir('time'), 'rusage');
  const { wallMs } = await run(GNU_TIME, ['-f', '%M', '-o', out, command, ...args], options);
  const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  return { wallMs, peakRssMb: Number.isFinite(kb) ? kb / 1024 : undefined };
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits or the time is up. */
export function waitForLine(proc: Tracked, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    const onErr = (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000));
    const finish = (error?: Error, match?: RegExpMatchArray) => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', onData);
      proc.child.stderr?.off('data', onErr);
      if (match) resolve(match);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(pattern);
      if (match) finish(undefined, match);
    };
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    );
    proc.child.stdout?.on('data', onData);
    proc.child.stderr?.on('data', onErr);
    void proc.exited.then((code) =>
      finish(new Error(`process exited (${code}) before ${pattern}\n${stderr}`)),
    );
  });
}
