/**
 * `npm run bench` (full: 5 synth runs per variant, 5 s per load run, 50k lines) or `npm run bench -- --smoke`
 * (1 run, 1 s, 20k lines: for CI, no thresholds). `--only=synth` or `--only=cart` runs one half; `--only=instances`
 * only the synth with 1, 10, 50, 100 team instances (`--only=synth` includes it).
 * Prints Markdown tables and writes bench/results/<timestamp>.json. Every child process and temp dir is
 * removed on every way out, and a watchdog bounds the whole run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchCart, type CartSettings } from './cart/bench-cart';
import { cleanupAll, installCleanupHandlers } from './lib/cleanup';
import { renderReport, type BenchResult } from './report';
import { benchSynth } from './synth/bench-synth';
import { benchGuardrailsShare } from './synth/guardrails-share';
import { benchInstances } from './synth/instances';

const smoke = process.argv.includes('--smoke');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== undefined && only !== 'synth' && only !== 'cart' && only !== 'instances') {
  console.error(`--only=${only}: expected --only=synth, --only=cart or --only=instances`);
  process.exit(2);
}

const SYNTH_RUNS = smoke ? 1 : 5;
/** Runs per instance count (1, 10, 50, 100): a 100-instance synth takes ~10 s on this machine. */
const INSTANCE_RUNS = smoke ? 1 : 3;
const CART: CartSettings = {
  connections: 16,
  durationMs: smoke ? 1_000 : 5_000,
  // Full: two rounds of 2.5 s per side (A B A B); smoke: one of 1 s.
  rounds: smoke ? 1 : 2,
  initialWarmupMs: smoke ? 500 : 3_000,
  warmupMs: smoke ? 300 : 1_000,
  // Well below what either server manages on this machine while the other runs (~400 req/s each).
  pairedRate: 150,
  smallTableLines: 1_000,
  // dynalite writes a few thousand lines a second on this machine: 50k would take most of the smoke budget.
  largeTableLines: smoke ? 20_000 : 50_000,
};
const WATCHDOG_MS = (smoke ? 5 : 10) * 60_000;

const started = Date.now();
const log = (line: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);

async function main(): Promise<void> {
  installCleanupHandlers();
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 60_000} min; stopping`);
    cleanupAll();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  if (smoke)
    log(`smoke mode: 1 synth run, ${CART.durationMs / 1000} s runs, ${CART.largeTableLines} lines at most`);

  const appSynth = only === undefined || only === 'synth';
  const synth = appSynth ? await benchSynth(SYNTH_RUNS, log) : undefined;
  const guardrails = appSynth
    ? await benchGuardrailsShare(SYNTH_RUNS, synth?.environment ?? 'dev', log)
    : undefined;
  const instances = only === 'cart' ? undefined : await benchInstances(INSTANCE_RUNS, log);
  const cart = only === undefined || only === 'cart' ? await benchCart(CART, log) : undefined;
  const result: BenchResult = {
    mode: smoke ? 'smoke' : 'full',
    startedAt: new Date(started).toISOString(),
    machine: { node: process.versions.node, cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    totalSeconds: (Date.now() - started) / 1000,
    synth,
    guardrails,
    instances,
    cart,
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderReport(result));
  console.log(`\nResults: ${file}`);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanupAll();
    // Nothing may keep the bench alive once it is done (stdout to a pipe or file is synchronous on Linux).
    process.exit();
  });
