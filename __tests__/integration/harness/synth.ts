/**
 * Synthesizes the app the way `cdktf synth` does (cdktf.json's app command, `node --import tsx main.ts`) into a
 * folder of the harness's choosing, and reads the result: stacks, their providers, backend and dependencies.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './process';
import { providerAddress, type ProviderRequirement } from './terraform-cli';

/** The repository root (this file is __tests__/integration/harness/synth.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The parts of a synthesized cdk.tf.json the harness reads. */
export interface StackJson {
  terraform: {
    backend?: Record<string, Record<string, unknown>>;
    required_providers?: Record<string, { source: string; version: string }>;
  };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

export interface SynthesizedStack {
  readonly id: string;
  /** The folder with cdk.tf.json (Terraform's working directory for the stack). */
  readonly dir: string;
  readonly json: StackJson;
  /** Stacks this one depends on (from manifest.json). */
  readonly dependencies: readonly string[];
  readonly providers: readonly ProviderRequirement[];
  /** `s3`, `local`, … */
  readonly backend: string;
}

interface Manifest {
  stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string; workingDirectory: string }>;
}

/**
 * Runs the app with `variables` added to the environment. `cwd` matters: cdktf puts a stack without a remote
 * backend on a local backend at `<cwd>/terraform.<stack>.tfstate`, so the harness runs it inside its temp folder.
 */
export async function synthesize(options: {
  outdir: string;
  cwd: string;
  variables: Record<string, string>;
  timeoutMs?: number;
}): Promise<SynthesizedStack[]> {
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [REPO_ROOT] })).href;
  const result = await run(process.execPath, ['--import', tsx, join(REPO_ROOT, 'main.ts')], {
    cwd: options.cwd,
    env: { ...process.env, ...options.variables, CDKTF_OUTDIR: options.outdir },
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  if (result.code !== 0) {
    throw new Error(
      `synth failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${result.stderr}`,
    );
  }
  return readSynthesized(options.outdir);
}

/** Reads `<outdir>/manifest.json` and every stack's cdk.tf.json. */
export function readSynthesized(outdir: string): SynthesizedStack[] {
  const manifestFile = join(outdir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`no manifest.json in ${outdir}`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  return Object.entries(manifest.stacks).map(([id, entry]) => {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as StackJson;
    const providers = Object.entries(json.terraform.required_providers ?? {}).map(([name, p]) => ({
      name,
      address: providerAddress(p.source),
      version: p.version,
    }));
    return {
      id,
      dir: join(outdir, entry.workingDirectory),
      json,
      dependencies: entry.dependencies,
      providers,
      backend: Object.keys(json.terraform.backend ?? { local: {} })[0],
    };
  });
}

/**
 * Deployment order: stacks on a local backend first (the state stack creates the bucket every other stack's S3
 * backend needs, and the manifest cannot say so), then the manifest's dependencies, topologically. Ties keep
 * the manifest's order.
 */
export function deploymentOrder(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const ordered: SynthesizedStack[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stack: SynthesizedStack, path: string[]) => {
    if (state.get(stack.id) === 'done') return;
    if (state.get(stack.id) === 'visiting') {
      throw new Error(`stack dependency cycle: ${[...path, stack.id].join(' -> ')}`);
    }
    state.set(stack.id, 'visiting');
    for (const dep of stack.dependencies) {
      const target = byId.get(dep);
      if (!target) throw new Error(`stack ${stack.id} depends on unknown stack ${dep}`);
      visit(target, [...path, stack.id]);
    }
    state.set(stack.id, 'done');
    ordered.push(stack);
  };
  const bootstrap = stacks.filter((s) => s.backend !== 's3');
  for (const stack of [...bootstrap, ...stacks.filter((s) => s.backend === 's3')]) visit(stack, []);
  return ordered;
}

/**
 * The state stack keeps its state in the bucket it creates; `npm run bootstrap` applies it once on a local backend
 * and then moves that state into the bucket (the deploy-runbook test runs exactly that). This harness keeps the
 * bootstrap simple: the state stack runs on a local backend in its own folder (a Terraform override file, which
 * wins over cdk.tf.json's S3 backend), so the emulator's bucket only holds the other stacks' state.
 */
export function bootstrapLocally(
  stacks: readonly SynthesizedStack[],
  stateStackId = 'state',
): SynthesizedStack[] {
  return stacks.map((stack) => {
    if (stack.id !== stateStackId) return stack;
    const override = { terraform: { backend: { local: { path: join(stack.dir, 'terraform.tfstate') } } } };
    writeFileSync(join(stack.dir, 'bootstrap_override.tf.json'), JSON.stringify(override, null, 2));
    return { ...stack, backend: 'local' };
  });
}
