import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const POOL = join(ROOT, 'bench', 'cart', 'pool.ts');
const dir = mkdtempSync(join(tmpdir(), 'bench-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A limit.ts result with the given service and bare figures (µs per request, one per iteration). */
function result(name: string, figures: Record<string, [number[], number[]]>, settings = {}): string {
  const file = join(dir, name);
  const body = Object.fromEntries(
    Object.entries(figures).map(([op, [service, bare]]) => [
      op,
      { service, bare, before: [], core: [], floor: [] },
    ]),
  );
  writeFileSync(
    file,
    JSON.stringify({ storage: 'dynamodb', rate: 150, iterations: 1, figures: body, ...settings }),
  );
  return file;
}

function pool(...files: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', POOL, ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('pools every iteration of every run: median, quartiles, count at the goal, bootstrap interval', () => {
  const first = result('first.json', {
    get: [
      [110, 120, 130],
      [100, 100, 100],
    ],
    post: [
      [110, 220],
      [100, 200],
    ],
    mix: [
      [90, 100],
      [100, 100],
    ],
  });
  const second = result('second.json', {
    get: [[105], [100]],
    post: [[330], [300]],
    mix: [[200], [100]],
  });
  const run = pool(first, second);
  expect(run.status).toBe(0);
  const rows = run.stdout.split('\n').filter((line) => /^\| (get|post|mix) /.test(line));
  const cells = rows.map((row) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
  expect(run.stdout).toContain('service ÷ bare over 2 runs (storage=dynamodb rate=150); goal ≤ ×1.15');
  // GET: 1.1, 1.2, 1.3 and 1.05; nearest-rank median 1.1, quartiles 1.05 and 1.2; two at or under 1.15.
  expect(cells[0].slice(0, 5)).toEqual(['get', '4', '×1.100', '×1.050–×1.200', '2 of 4']);
  const [low, high] = cells[0][5].split('–').map((v) => Number(v.slice(1)));
  expect(low).toBeGreaterThanOrEqual(1.05);
  expect(low).toBeLessThanOrEqual(1.1);
  expect(high).toBeGreaterThanOrEqual(1.1);
  expect(high).toBeLessThanOrEqual(1.3);
  // POST: every iteration ×1.1, so every resample's median is ×1.1 too: the whole interval is under the goal.
  expect(cells[1]).toEqual(['post', '3', '×1.100', '×1.100–×1.100', '3 of 3', '×1.100–×1.100', 'met']);
  // Mix: 0.9, 1.0 and 2.0; a resample of three 2.0s has a median of 2.0, so the interval reaches past ×1.15.
  expect(cells[2].slice(0, 5)).toEqual(['mix', '3', '×1.000', '×0.900–×2.000', '2 of 3']);
  expect(cells[2][6]).toBe('on the line');
});

test('the verdict: met, on the line or over, by where the interval of the median lies', () => {
  const file = result('verdicts.json', {
    // Every iteration ×1.15 exactly: at or under the goal counts as meeting it.
    get: [
      [115, 230],
      [100, 200],
    ],
    // ×1.14 and ×1.16, alternating: resamples' medians fall on either side.
    post: [
      [114, 116, 114, 116, 114, 116],
      [100, 100, 100, 100, 100, 100],
    ],
    // Every iteration ×1.16.
    mix: [
      [116, 232],
      [100, 200],
    ],
  });
  const run = pool(file);
  expect(run.status).toBe(0);
  const verdicts = run.stdout
    .split('\n')
    .filter((line) => /^\| (get|post|mix) /.test(line))
    .map((row) => row.split('|').at(-2)?.trim());
  expect(verdicts).toEqual(['met', 'on the line', 'over']);
});

test('the same files print the same interval (the bootstrap is seeded)', () => {
  const file = result('spread.json', {
    get: [
      [101, 107, 113, 119, 125, 131, 137],
      [100, 100, 100, 100, 100, 100, 100],
    ],
    post: [[110], [100]],
    mix: [[110], [100]],
  });
  expect(pool(file).stdout).toBe(pool(file).stdout);
});

test('no files: exit 2 with the usage', () => {
  const run = pool();
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe('usage: npx tsx bench/cart/pool.ts <bench/results/limit-….json> ...');
});

test('a file that is not a limit.ts result: exit 2 naming the file and what is missing', () => {
  const file = join(dir, 'other.json');
  writeFileSync(file, JSON.stringify({ figures: { get: { service: [1], bare: [1] } } }));
  const run = pool(file);
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe(
    `${file}: not a limit.ts result (figures.post.service and .bare, one value per iteration, are missing)`,
  );
});

test('a file holding JSON null: exit 2 with the same message, no stack trace', () => {
  const file = join(dir, 'null.json');
  writeFileSync(file, 'null');
  const run = pool(file);
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe(
    `${file}: not a limit.ts result (figures.get.service and .bare, one value per iteration, are missing)`,
  );
});

test('runs of different storage or rate: exit 2, both settings named', () => {
  const figures: Record<string, [number[], number[]]> = {
    get: [[110], [100]],
    post: [[110], [100]],
    mix: [[110], [100]],
  };
  const run = pool(result('a.json', figures), result('b.json', figures, { storage: 'memory' }));
  expect(run.status).toBe(2);
  expect(run.stderr.trim()).toBe(
    'runs of different settings do not pool: storage=dynamodb rate=150 and storage=memory rate=150',
  );
});
