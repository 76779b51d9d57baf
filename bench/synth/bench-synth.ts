/**
 * Synth speed and memory of the whole app, six ways, runs interleaved so that drift on a shared machine hits
 * all alike. End to end, as a user types them: `npm run synth` (the fast path: esbuild bundle, then the app, no
 * type-check), `npm run synth:checked` (tsc's type-check first, then the same: what the tsc path used to cost,
 * since tsc's build was a type-check plus an emit) and the cdktf CLI (whose app command is the fast path). The
 * app alone: the bundle, main.ts through tsx's loader, and the barrel-import baseline. Also each stack's resource
 * counts, and a check that all of them wrote the same Terraform.
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
/** Where scripts/build-app.mjs writes the bundle. */
export const BUNDLE_MAIN = join(ROOT, 'dist', 'bundle', 'main.js');

export const VARIANTS = ['synth', 'synthChecked', 'cdktf', 'bundle', 'tsx', 'barrel'] as const;
export type Variant = (typeof VARIANTS)[number];
/** The variant the others are compared with: the main command. */
export const REFERENCE: Variant = 'synth';

/** How each variant is shown in the report (Markdown). */
export const VARIANT_LABELS: Record<Variant, string> = {
  synth: '`npm run synth` (esbuild bundle + app, no type-check)',
  synthChecked: '`npm run synth:checked` (tsc type-check + bundle + app)',
  cdktf: '`npx cdktf synth` (app command: the bundle)',
  bundle: '`node dist/bundle/main.js` (the bundle alone)',
  tsx: '`node --import tsx main.ts`',
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
  /** Each variant's median over the reference's (`npm run synth`) median. */
  readonly ratios: Record<Variant, { readonly wall: number; readonly rss: number }>;
  readonly stacks: StackSummary[];
  readonly barrelImportsRewritten: number;
}

/** The variant's command; each writes into `outdir` (CDKTF_OUTDIR, or the CLI's --output). */
function command(variant: Variant, outdir: string, barrelMain: string): { cmd: string; args: string[] } {
  switch (variant) {
    case 'synth':
      return { cmd: 'npm', args: ['run', '--silent', 'synth'] };
    case 'synthChecked':
      return { cmd: 'npm', args: ['run', '--silent', 'synth:checked'] };
    case 'cdktf':
      // What npx resolves `cdktf` to, without npx's own start-up in the figure. The app command is cdktf.json's.
      return { cmd: join(ROOT, 'node_modules', '.bin', 'cdktf'), args: ['synth', '--output', outdir] };
    case 'bundle':
      return { cmd: process.execPath, args: [BUNDLE_MAIN] };
    case 'tsx':
      // main.ts compiled file by file on the fly (what cdktf.json's app command was before the bundle).
      return { cmd: process.execPath, args: ['--import', 'tsx', join(ROOT, 'main.ts')] };
    case 'barrel':
      return { cmd: process.execPath, args: [barrelMain] };
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
  log('synth: the bundle');
  await run(process.execPath, [join(ROOT, 'scripts', 'build-app.mjs')], {
    cwd: ROOT,
    timeoutMs: RUN_TIMEOUT_MS,
  });
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
  const reference = stackTexts(firstOutputs[REFERENCE] as string);
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
  const ref = variants[REFERENCE];
  const ratioTo = (v: Variant) => ({
    wall: ratio(variants[v].wallMs.median, ref.wallMs.median),
    rss: ratio(variants[v].peakRssMb?.median ?? Number.NaN, ref.peakRssMb?.median ?? Number.NaN),
  });
  return {
    runs,
    environment: env.CART_ENV ?? 'dev',
    variants,
    ratios: Object.fromEntries(VARIANTS.map((v) => [v, ratioTo(v)])) as SynthResult['ratios'],
    stacks: summarizeStacks(readSynthOutput(firstOutputs[REFERENCE] as string)),
    barrelImportsRewritten: barrel.rewritten,
  };
}
