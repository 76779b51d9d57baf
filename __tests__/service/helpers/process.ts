/** The service's real entries (server.ts, dev.ts) as child processes, with their JSON log lines parsed. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// vitest runs from the repository root.
const ROOT = process.cwd();
export const SERVER_ENTRY = join(ROOT, 'service', 'src', 'server.ts');
export const DEV_ENTRY = join(ROOT, 'service', 'src', 'dev.ts');

export type LogLine = Record<string, unknown>;

export interface Started {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** The exit code, and when the process exited (performance.now()). */
  readonly exit: Promise<number | null>;
  readonly exitedAt: () => number | undefined;
  waitFor(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

const children: ChildProcess[] = [];
let home: string | undefined;

/** Starts an entry with only the given environment (plus PATH and an empty HOME, no AWS configuration). */
export function startEntry(entry: string, env: Record<string, string>): Started {
  home ??= mkdtempSync(join(tmpdir(), 'carts-home-'));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: LogLine[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts.filter((p) => p.trim() !== '')) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        lines.push({ raw: part });
      }
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr?.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString() }));
  let exitedAt: number | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitedAt = performance.now();
      resolve(code);
    }),
  );
  return {
    child,
    lines,
    exit,
    exitedAt: () => exitedAt,
    waitFor(predicate, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no such log line; got ${JSON.stringify(lines)}`)),
          timeoutMs,
        );
        const check = () => {
          const found = lines.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Kills what is still running (call from afterEach) and removes the temporary HOME (from afterAll). */
export function killStarted(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

export function removeHome(): void {
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
}
