/** The synthesized app as cdktf's manifest describes it: stack ids and their dependencies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from './run';

export interface ManifestStack {
  readonly id: string;
  readonly dependencies: readonly string[];
  /** The stack's folder (cdk.tf.json, Terraform working directory). */
  readonly dir: string;
}

export function readManifest(outDir: string): ManifestStack[] {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; dependencies: string[]; workingDirectory: string }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    id: s.name,
    dependencies: s.dependencies,
    dir: join(outDir, s.workingDirectory),
  }));
}

/** Stacks in an order where every stack comes after its dependencies (Kahn's algorithm, ties by id). */
export function dependencyOrder(stacks: readonly ManifestStack[]): ManifestStack[] {
  const remaining = new Map(stacks.map((s) => [s.id, s]));
  const ordered: ManifestStack[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()]
      .filter((s) => s.dependencies.every((d) => !remaining.has(d)))
      .sort((a, b) => a.id.localeCompare(b.id));
    if (ready.length === 0)
      throw new CommandError(`stack dependency cycle among ${[...remaining.keys()].join(', ')}`);
    for (const stack of ready) {
      ordered.push(stack);
      remaining.delete(stack.id);
    }
  }
  return ordered;
}
