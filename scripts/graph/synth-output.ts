/**
 * Reading what `cdktf synth` wrote (manifest.json + stacks/<id>/cdk.tf.json) and summarizing each stack.
 * `summarizeStacks` is pure, so the diagram and the bench's resource counts come from one function that a
 * fixture can test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of cdktf's manifest.json used here. */
export interface SynthManifest {
  readonly stacks: Readonly<
    Record<string, { readonly dependencies: readonly string[]; readonly synthesizedStackPath: string }>
  >;
}

/** The parts of a synthesized stack (cdk.tf.json) used here. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly provider?: Readonly<Record<string, unknown>>;
}

export interface SynthOutput {
  readonly manifest: SynthManifest;
  /** Each stack's JSON by stack id. */
  readonly stacks: Readonly<Record<string, StackJson>>;
}

export interface StackSummary {
  readonly id: string;
  /** Stacks this one reads outputs from (cdktf's manifest `dependencies`), sorted. */
  readonly dependencies: readonly string[];
  /** Managed resources (every `resource` block). */
  readonly resources: number;
  /** Data sources, `terraform_remote_state` reads of other stacks included. */
  readonly dataSources: number;
  /** Provider names configured in the stack, sorted (aws, helm, kubernetes, ...). */
  readonly providers: readonly string[];
}

/** Reads the manifest and every stack it lists from a synth output directory. */
export function readSynthOutput(outdir: string): SynthOutput {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as SynthManifest;
  const stacks = Object.fromEntries(
    Object.entries(manifest.stacks).map(([id, entry]) => [
      id,
      JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as StackJson,
    ]),
  );
  return { manifest, stacks };
}

const countBlocks = (blocks: StackJson['resource']): number =>
  Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);

/**
 * One summary per stack in deployment order: stacks without dependencies first, then each wave of stacks whose
 * dependencies are all listed, alphabetical within a wave (stable output). Throws on a dependency the manifest
 * does not list, or a cycle.
 */
export function summarizeStacks(output: SynthOutput): StackSummary[] {
  const summaries = new Map<string, StackSummary>();
  for (const [id, entry] of Object.entries(output.manifest.stacks)) {
    const json = output.stacks[id];
    if (!json) throw new Error(`manifest lists stack "${id}" but its JSON is missing`);
    summaries.set(id, {
      id,
      dependencies: [...entry.dependencies].sort(),
      resources: countBlocks(json.resource),
      dataSources: countBlocks(json.data),
      providers: Object.keys(json.provider ?? {}).sort(),
    });
  }
  const ordered: StackSummary[] = [];
  const placed = new Set<string>();
  while (ordered.length < summaries.size) {
    const ready = [...summaries.values()]
      .filter((s) => !placed.has(s.id))
      .filter((s) =>
        s.dependencies.every((d) => {
          if (!summaries.has(d)) throw new Error(`stack "${s.id}" depends on unknown stack "${d}"`);
          return placed.has(d);
        }),
      )
      .sort((a, b) => a.id.localeCompare(b.id));
    if (ready.length === 0) throw new Error('stack dependencies form a cycle');
    // Level by level (Kahn): every stack whose dependencies are all placed, then the next wave.
    for (const s of ready) placed.add(s.id);
    ordered.push(...ready);
  }
  return ordered;
}
