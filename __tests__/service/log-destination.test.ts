import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { batchedStdout, LOG_WRITE_INTERVAL_MS } from '../../service/src/log-destination.js';

const MODULE = join(__dirname, '..', '..', 'service', 'src', 'log-destination.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `expected` or `ms` pass; returns what it read last. */
async function settle(read: () => string, expected: string, ms: number): Promise<string> {
  const until = Date.now() + ms;
  let text = read();
  while (text !== expected && Date.now() < until) {
    await sleep(5);
    text = read();
  }
  return text;
}

describe('batchedStdout', () => {
  const dirs: string[] = [];
  const fds: number[] = [];
  afterEach(() => {
    fds.splice(0).forEach((fd) => closeSync(fd));
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
    dirs.push(dir);
    const path = join(dir, 'out.log');
    const fd = openSync(path, 'w');
    fds.push(fd);
    return { fd, read: () => readFileSync(path, 'utf8') };
  };

  test('writes at most every 100 ms by default', () => {
    expect(LOG_WRITE_INTERVAL_MS).toBe(100);
  });

  test('the first line goes out at once; lines within the interval wait for its end and go out together, in order', async () => {
    const { fd, read } = file();
    const destination = batchedStdout({ fd, intervalMs: 1_000 });
    const started = Date.now();
    destination.write('one\n');
    expect(await settle(read, 'one\n', 500)).toBe('one\n');
    destination.write('two\n');
    destination.write('three\n');
    await sleep(50);
    expect(read()).toBe('one\n');
    expect(await settle(read, 'one\ntwo\nthree\n', 3_000)).toBe('one\ntwo\nthree\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  test('a line after a quiet interval goes out at once', async () => {
    const { fd, read } = file();
    const destination = batchedStdout({ fd, intervalMs: 300 });
    destination.write('one\n');
    await sleep(400);
    const quiet = Date.now();
    destination.write('two\n');
    expect(await settle(read, 'one\ntwo\n', 250)).toBe('one\ntwo\n');
    expect(Date.now() - quiet).toBeLessThan(250);
  });

  test('over 64 KiB waiting is written without waiting for the interval', async () => {
    const { fd, read } = file();
    const destination = batchedStdout({ fd, intervalMs: 10_000 });
    destination.write('first\n');
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) destination.write(line);
    const expected = `first\n${line.repeat(64)}`;
    expect(await settle(read, expected, 2_000)).toBe(expected);
  });

  test('what waits is written on process.exit, after what was already handed over', () => {
    const script = [
      `const { batchedStdout } = await import(${JSON.stringify(MODULE)});`,
      `const out = batchedStdout({ intervalMs: 60_000 });`,
      `out.write('a\\n'); out.write('b\\n'); out.write('c\\n');`,
      `process.exit(0);`,
    ].join('\n');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(stdout).toBe('a\nb\nc\n');
  });

  test('what waits is written when the event loop runs out (the timer does not hold the process)', () => {
    const script = [
      `const { batchedStdout } = await import(${JSON.stringify(MODULE)});`,
      `const out = batchedStdout({ intervalMs: 60_000 });`,
      `out.write('a\\n'); out.write('b\\n');`,
    ].join('\n');
    // A referenced timer would hold the process for the interval: execFileSync would time out and throw.
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
      timeout: 20_000,
    });
    expect(stdout).toBe('a\nb\n');
  }, 30_000);
});
