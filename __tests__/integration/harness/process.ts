/**
 * Child processes for the integration harness: every command runs with a deadline, in its own process group,
 * and is killed with its whole group on timeout or when the harness cleans up.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  /** Working directory. */
  readonly cwd: string;
  /** Environment (replaces the parent's). */
  readonly env: NodeJS.ProcessEnv;
  /** Kill the process group after this many milliseconds. */
  readonly timeoutMs: number;
}

export interface RunResult {
  readonly command: string;
  /** Exit code; `null` when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** Processes still running, so that `killAll` can end them when a test fails half-way. */
const live = new Set<ChildProcess>();

/**
 * The children lead their own process groups (so that a timeout kills terraform with its provider, moto with its
 * interpreter); they would outlive this process if it were stopped. Kill them on the way out.
 */
function killLiveGroupsNow(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}
process.once('exit', killLiveGroupsNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killLiveGroupsNow();
    process.kill(process.pid, signal);
  });
}

/** Sends a signal to a child's whole process group (it was spawned detached, so it leads one). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Ends a child's process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    killGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  }
}

/** Starts a long-running process in its own group and tracks it for `killAll`. */
export function startProcess(
  file: string,
  args: readonly string[],
  options: Omit<RunOptions, 'timeoutMs'>,
): ChildProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Runs a command to completion (or its deadline) and collects its output. Never throws on a non-zero exit. */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const command = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = startProcess(file, args, options);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopProcess(child);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        command,
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        durationMs: Date.now() - started,
      });
    });
  });
}

/** Ends every process the harness started that is still running (cleanup after a failure). */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopProcess(child)));
}
