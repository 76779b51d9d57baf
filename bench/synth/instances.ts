/**
 * Synth as team instances are added (issue 18): the dev app with 1, 10, 50 and 100 `cart.instances`, each run a
 * fresh process on the same fast path as `npm run synth` (an esbuild bundle of bench/synth/instances-run.ts, npm
 * packages external). Reports wall time, the in-process build + synth, the guardrails pass and peak RSS, the
 * per-instance marginal cost, and whether 100 instances cost no more than 10× what 10 do (linear or better).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { tempDir } from '../lib/cleanup';
import { fixed, markdownTable } from '../lib/markdown';
import { run } from '../lib/proc';
import { round, runStats, type RunStats } from '../lib/stats';

const ROOT = join(__dirname, '..', '..');
const RUN_TIMEOUT_MS = 300_000;
/** The instance counts of the issue. */
export const INSTANCE_COUNTS = [1, 10, 50, 100] as const;

export interface InstanceCountResult {
  readonly instances: number;
  /** Process start to exit. */
  readonly wallMs: RunStats;
  /** Building the stacks and `app.synth()` (guardrails included), in the process. */
  readonly buildSynthMs: RunStats;
  readonly passMs: RunStats;
  readonly peakRssMb: RunStats;
  /** Median pass over median wall, percent. */
  readonly guardrailsSharePercent: number;
}

export interface InstancesResult {
  readonly environment: string;
  readonly runs: number;
  readonly counts: readonly InstanceCountResult[];
  /** (largest − smallest count) / instances added, on the medians. */
  readonly marginal: { readonly wallMs: number; readonly buildSynthMs: number; readonly peakRssMb: number };
  /** Median time with 100 instances over 10 (linear growth is 10; less is better than linear). */
  readonly ratio100vs10: { readonly wall: number; readonly buildSynth: number; readonly linear: number };
  readonly noWorseThanLinear: boolean;
}

interface Sample {
  readonly passMs: number;
  readonly buildSynthMs: number;
  readonly peakRssMb: number;
}

/** Bundles the runner as `npm run synth` bundles main.ts (scripts/build-app.mjs): packages stay external. */
function bundleRunner(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const outfile = join(dir, 'instances-run.js');
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'bench', 'synth', 'instances-run.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)],
    keepNames: true,
    logLevel: 'warning',
  });
  return outfile;
}

async function measureCount(runner: string, work: string, instances: number, runs: number) {
  const walls: number[] = [];
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await run(process.execPath, [runner, String(instances), join(work, `${instances}-${i}`)], {
      // From the root, as `npm run synth`: the bundle resolves its packages from ./node_modules.
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', NODE_PATH: join(ROOT, 'node_modules') },
      timeoutMs: RUN_TIMEOUT_MS,
    });
    walls.push(result.wallMs);
    samples.push(JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Sample);
  }
  const wallMs = runStats(walls);
  const passMs = runStats(samples.map((s) => s.passMs));
  return {
    instances,
    wallMs,
    buildSynthMs: runStats(samples.map((s) => s.buildSynthMs)),
    passMs,
    peakRssMb: runStats(samples.map((s) => s.peakRssMb)),
    guardrailsSharePercent: round((100 * passMs.median) / wallMs.median, 1),
  };
}

export async function benchInstances(runs: number, log: (line: string) => void): Promise<InstancesResult> {
  const work = tempDir('instances');
  const runner = bundleRunner(work);
  const counts: InstanceCountResult[] = [];
  for (const n of INSTANCE_COUNTS) {
    counts.push(await measureCount(runner, work, n, runs));
    log(`instances: ${runs} synth run${runs === 1 ? '' : 's'} with ${n} instance${n === 1 ? '' : 's'} done`);
  }
  const at = (n: number) => counts.find((c) => c.instances === n) as InstanceCountResult;
  const first = at(INSTANCE_COUNTS[0]);
  const last = at(INSTANCE_COUNTS[INSTANCE_COUNTS.length - 1]);
  const added = last.instances - first.instances;
  const perInstance = (pick: (c: InstanceCountResult) => RunStats) =>
    round((pick(last).median - pick(first).median) / added, 2);
  const wall = round(at(100).wallMs.median / at(10).wallMs.median, 2);
  const buildSynth = round(at(100).buildSynthMs.median / at(10).buildSynthMs.median, 2);
  return {
    environment: 'dev',
    runs,
    counts,
    marginal: {
      wallMs: perInstance((c) => c.wallMs),
      buildSynthMs: perInstance((c) => c.buildSynthMs),
      peakRssMb: perInstance((c) => c.peakRssMb),
    },
    ratio100vs10: { wall, buildSynth, linear: 10 },
    noWorseThanLinear: wall <= 10 && buildSynth <= 10,
  };
}

export function instancesSection(result: InstancesResult): string {
  const mm = (s: RunStats, scale = 1, digits = 2) =>
    `${fixed(s.min / scale, digits)} / ${fixed(s.median / scale, digits)}`;
  const rows = result.counts.map((c) => [
    String(c.instances),
    mm(c.wallMs, 1000),
    mm(c.buildSynthMs, 1000),
    mm(c.passMs, 1000),
    `${fixed(c.guardrailsSharePercent, 1)} %`,
    mm(c.peakRssMb, 1, 0),
  ]);
  const { marginal, ratio100vs10: r } = result;
  return [
    `### Synth with N team instances (\`${result.environment}\`, \`cart.instances\`, ${result.runs} run${result.runs === 1 ? '' : 's'} each, fresh process)`,
    '',
    markdownTable(
      [
        'instances',
        'wall s (min / median)',
        'build + synth s',
        'guardrails pass s',
        'pass / wall',
        'peak RSS MB',
      ],
      rows,
    ),
    '',
    `Each instance adds ${fixed(marginal.wallMs, 1)} ms of wall time (${fixed(marginal.buildSynthMs, 1)} ms of ` +
      `build + synth) and ${fixed(marginal.peakRssMb, 2)} MB of peak RSS. 100 vs 10 instances: ` +
      `${fixed(r.wall, 2)}× the wall time, ${fixed(r.buildSynth, 2)}× the build + synth (linear: ${r.linear}×) — ` +
      `${result.noWorseThanLinear ? 'no worse than linear' : 'WORSE THAN LINEAR'}.`,
  ].join('\n');
}
