/**
 * The guardrails pass as a share of synth (issue 13: keep it under 10 %). Each run is a fresh process doing what
 * `npm run synth` does (tsx, build the platform, `app.synth()`, which runs the guardrails first); the child reports
 * the pass's own time (`GuardrailReport.timing`), split into rendering the final JSON — which synth then writes
 * instead of rendering it again — and the rules.
 */
import { join } from 'node:path';
import { tempDir } from '../lib/cleanup';
import { fixed, markdownTable } from '../lib/markdown';
import { run } from '../lib/proc';
import { round, runStats, type RunStats } from '../lib/stats';

const ROOT = join(__dirname, '..', '..');
const RUN_TIMEOUT_MS = 180_000;

export interface GuardrailsShareResult {
  readonly environment: string;
  readonly runs: number;
  /** The synth command's wall time (process start to exit). */
  readonly synthWallMs: RunStats;
  /** Building the stacks and `app.synth()`, in the process (no Node start-up or module loading). */
  readonly buildSynthMs: RunStats;
  readonly passMs: RunStats;
  readonly rulesMs: RunStats;
  /** Median pass over median synth wall, in percent: the figure kept under 10. */
  readonly sharePercent: number;
  /** Median pass over median build + synth, in percent (the stricter view). */
  readonly shareOfBuildSynthPercent: number;
}

interface Sample {
  readonly passMs: number;
  readonly renderMs: number;
  readonly buildSynthMs: number;
}

export async function benchGuardrailsShare(
  runs: number,
  environment: string,
  log: (line: string) => void,
): Promise<GuardrailsShareResult> {
  const work = tempDir('guardrails-share');
  const walls: number[] = [];
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const script = join(ROOT, 'bench', 'synth', 'guardrails-share-run.ts');
    const result = await run(
      process.execPath,
      ['--import', 'tsx', script, environment, join(work, String(i))],
      {
        cwd: ROOT,
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
        timeoutMs: RUN_TIMEOUT_MS,
      },
    );
    walls.push(result.wallMs);
    samples.push(JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Sample);
  }
  log(`guardrails share: ${runs} synth run${runs === 1 ? '' : 's'} of ${environment} done`);
  const passMs = runStats(samples.map((s) => s.passMs));
  const buildSynthMs = runStats(samples.map((s) => s.buildSynthMs));
  const synthWallMs = runStats(walls);
  return {
    environment,
    runs,
    synthWallMs,
    buildSynthMs,
    passMs,
    rulesMs: runStats(samples.map((s) => s.passMs - s.renderMs)),
    sharePercent: round((100 * passMs.median) / synthWallMs.median, 1),
    shareOfBuildSynthPercent: round((100 * passMs.median) / buildSynthMs.median, 1),
  };
}

export function guardrailsShareSection(result: GuardrailsShareResult): string {
  const ms = (s: RunStats) => `${fixed(s.min, 0)} / ${fixed(s.median, 0)}`;
  return [
    `### Guardrails: their pass as a share of synth (\`${result.environment}\`, ${result.runs} run${result.runs === 1 ? '' : 's'})`,
    '',
    markdownTable(
      ['what', 'ms (min / median)'],
      [
        ['synth command, wall (tsx, build, `app.synth()`)', ms(result.synthWallMs)],
        ['building the stacks + `app.synth()`, in process', ms(result.buildSynthMs)],
        ['guardrails pass (render the final JSON + every rule)', ms(result.passMs)],
        ['of which the rules', ms(result.rulesMs)],
      ],
    ),
    '',
    `The pass is ${fixed(result.sharePercent, 1)} % of the synth command (target: under 10 %) and ` +
      `${fixed(result.shareOfBuildSynthPercent, 1)} % of building and synthesizing the stacks in process. Its ` +
      'rendering is not extra work: the stacks are written from the JSON the rules evaluated.',
  ].join('\n');
}
