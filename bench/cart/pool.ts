/**
 * `npx tsx bench/cart/pool.ts <limit-….json> ...`: one verdict over several runs of limit.ts. A single run's median
 * of 9 iterations moves by several hundredths between runs (README, "How stable the ratio is"), so whether the
 * service meets ×1.15 is read from every fresh-process iteration of several runs together.
 *
 * Prints, per operation: the iterations pooled, the median of service ÷ bare, its interquartile range, how many
 * iterations were at or under the goal, a 95 % bootstrap interval of the median (5,000 resamples with a fixed
 * seed, so the same files always print the same figures) and the verdict that interval supports: `met` when all
 * of it is at or under the goal, `over` when all of it is above, and `on the line` when it contains the goal (the
 * runs cannot tell the service from the goal either way). Runs of different storage or rate are not pooled.
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from '../lib/markdown';
import { percentile } from '../lib/stats';
import { OPERATIONS, type Operation } from './operations';

/** The goal of issue 18: the service's CPU per request at most ×1.15 the bare server's. */
const GOAL = 1.15;
const RESAMPLES = 5_000;

interface LimitRun {
  readonly storage: string;
  readonly rate: number;
  readonly figures: Record<Operation, { readonly service: number[]; readonly bare: number[] }>;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function load(file: string): LimitRun {
  let run: Partial<LimitRun> | null;
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as Partial<LimitRun>;
  } catch (error) {
    fail(`${file}: ${(error as Error).message}`);
  }
  for (const op of OPERATIONS) {
    const side = run?.figures?.[op];
    if (!side || !Array.isArray(side.service) || side.service.length !== side.bare?.length) {
      fail(
        `${file}: not a limit.ts result (figures.${op}.service and .bare, one value per iteration, are missing)`,
      );
    }
  }
  return run as LimitRun;
}

/** What the interval of the median says about the goal. */
function verdict(low: number, high: number): string {
  if (high <= GOAL) return 'met';
  if (low > GOAL) return 'over';
  return 'on the line';
}

/** mulberry32: a small seeded generator, so a bootstrap is repeatable. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 2.5th and 97.5th percentiles of the medians of `RESAMPLES` resamples of `values`. */
function bootstrapMedian(values: readonly number[]): [number, number] {
  const random = seeded(18);
  const medians = Float64Array.from({ length: RESAMPLES }, () =>
    percentile(
      Array.from(values, () => values[Math.floor(random() * values.length)]),
      50,
    ),
  );
  return [percentile(medians, 2.5), percentile(medians, 97.5)];
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) fail('usage: npx tsx bench/cart/pool.ts <bench/results/limit-….json> ...');
  const runs = files.map(load);
  const kinds = new Set(runs.map((run) => `storage=${run.storage} rate=${run.rate}`));
  if (kinds.size > 1) fail(`runs of different settings do not pool: ${[...kinds].join(' and ')}`);

  const x = (v: number) => `×${v.toFixed(3)}`;
  const rows = OPERATIONS.map((op) => {
    const ratios = runs.flatMap((run) => run.figures[op].service.map((s, i) => s / run.figures[op].bare[i]));
    const [low, high] = bootstrapMedian(ratios);
    return [
      op,
      String(ratios.length),
      x(percentile(ratios, 50)),
      `${x(percentile(ratios, 25))}–${x(percentile(ratios, 75))}`,
      `${ratios.filter((r) => r <= GOAL).length} of ${ratios.length}`,
      `${x(low)}–${x(high)}`,
      verdict(low, high),
    ];
  });
  console.log(`service ÷ bare over ${runs.length} runs (${[...kinds][0]}); goal ≤ ×${GOAL}\n`);
  console.log(
    markdownTable(
      [
        'operation',
        'iterations',
        'median',
        'interquartile range',
        `at or under ×${GOAL}`,
        '95 % interval of the median',
        'verdict',
      ],
      rows,
    ),
  );
}

main();
