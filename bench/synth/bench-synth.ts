/**
 * Synth speed and memory of the whole app, four ways, runs interleaved so that drift on a shared machine hits
 * all alike: the compiled app run directly; main.ts through tsx (cdktf.json's app command); the cdktf CLI,
 * which runs that command; and the barrel-import baseline. Also each stack's resource counts, and a check that
 * all four wrote the same Terraform.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readSynthOutput, summarizeStacks, type StackSummary } from '../../scripts/graph/synth-output';
import { tempDir } from '../lib/cleanup';
import { measure, run } from '../lib/proc';
import { ratio, runStats, type RunStats } from '../lib/stats';
import { makeBarrelApp } from './barrel';

const ROOT = join(__dirname, '..', '..');
const RUN_TIMEOUT_MS = 180_000;

export const VARIANTS = ['direct', 'tsx', 'cdktf', 'barrel'] as const;
export type Variant = (typeof VARIANTS)[number];

/** How each variant is shown in the report (Markdown). */
export const VARIANT_LABELS: Record<Variant, string> = {
  direct: '`node dist/main.js`',
  tsx: '`node --import tsx main.ts` (the CLI’s app command alone)',
  cdktf: '`npx cdktf synth`',
  barrel: 'barrel baseline (`node`, provider-aws root import)',
};

export interface VariantResult {
  readonly wallMs: RunStats;
  readonly peakRssMb: RunStats | undefined;
}

export interface SynthResult {
  readonly runs: number;
  readonly environment: string;
  readonly variants: Record<Variant, VariantResult>;
  /** Each variant's median over the direct run's median. */
  readonly ratios: Record<Exclude<Variant, 'direct'>, { readonly wall: number; readonly rss: number }>;
  readonly stacks: StackSummary[];
  readonly barrelImportsRewritten: number;
}

/** The variant's command; each writes into `outdir`. */
function command(variant: Variant, outdir: string, barrelMain: string): { cmd: string; args: string[] } {
  switch (variant) {
    case 'direct':
      return { cmd: process.execPath, args: [join(ROOT, 'dist', 'main.js')] };
    case 'tsx':
      // cdktf.json's app command: splits the CLI's cost from the cost of compiling main.ts on the fly.
      return { cmd: process.execPath, args: ['--import', 'tsx', join(ROOT, 'main.ts')] };
    case 'barrel':
      return { cmd: process.execPath, args: [barrelMain] };
    case 'cdktf':
      // What npx resolves `cdktf` to, without npx's own start-up in the figure. The app command is cdktf.json's.
      return { cmd: join(ROOT, 'node_modules', '.bin', 'cdktf'), args: ['synth', '--output', outdir] };
  }
}

/** Every stack's cdk.tf.json, by stack id, as text. */
function stackTexts(outdir: string): Record<string, string> {
  const { manifest } = readSynthOutput(outdir);
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([id, s]) => [
      id,
      readFileSync(join(outdir, s.synthesizedStackPath), 'utf8'),
    ]),
  );
}

export async function benchSynth(runs: number, log: (line: string) => void): Promise<SynthResult> {
  log('synth: npm run build');
  await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeoutMs: RUN_TIMEOUT_MS });
  const barrel = makeBarrelApp(ROOT);
  const work = tempDir('synth');
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete env.CDKTF_OUTDIR;

  const samples = Object.fromEntries(VARIANTS.map((v) => [v, { wall: [] as number[], rss: [] as number[] }]));
  const firstOutputs: Partial<Record<Variant, string>> = {};
  for (let i = 0; i < runs; i++) {
    for (const variant of VARIANTS) {
      const outdir = join(work, `${variant}-${i}`);
      const { cmd, args } = command(variant, outdir, barrel.mainJs);
      const m = await measure(cmd, args, {
        cwd: ROOT,
        env: { ...env, CDKTF_OUTDIR: outdir },
        timeoutMs: RUN_TIMEOUT_MS,
      });
      samples[variant].wall.push(m.wallMs);
      if (m.peakRssMb !== undefined) samples[variant].rss.push(m.peakRssMb);
      if (i === 0) firstOutputs[variant] = outdir;
      else rmSync(outdir, { recursive: true, force: true });
    }
    log(`synth: run ${i + 1}/${runs} done`);
  }

  // The comparison only means something if every variant wrote the same Terraform.
  const reference = stackTexts(firstOutputs.direct as string);
  for (const variant of VARIANTS) {
    const texts = stackTexts(firstOutputs[variant] as string);
    const differs = Object.keys({ ...reference, ...texts }).filter((id) => texts[id] !== reference[id]);
    if (differs.length > 0)
      throw new Error(`synth: ${variant} wrote different Terraform for ${differs.join(', ')}`);
  }

  const variants = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      {
        wallMs: runStats(samples[v].wall),
        peakRssMb: samples[v].rss.length > 0 ? runStats(samples[v].rss) : undefined,
      },
    ]),
  ) as Record<Variant, VariantResult>;
  const ratioTo = (v: Variant) => ({
    wall: ratio(variants[v].wallMs.median, variants.direct.wallMs.median),
    rss: ratio(variants[v].peakRssMb?.median ?? Number.NaN, variants.direct.peakRssMb?.median ?? Number.NaN),
  });
  return {
    runs,
    environment: env.CART_ENV ?? 'dev',
    variants,
    ratios: { tsx: ratioTo('tsx'), cdktf: ratioTo('cdktf'), barrel: ratioTo('barrel') },
    stacks: summarizeStacks(readSynthOutput(firstOutputs.direct as string)),
    barrelImportsRewritten: barrel.rewritten,
  };
}
