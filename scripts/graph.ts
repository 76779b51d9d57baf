/**
 * `npm run graph`: synthesizes the platform into a temp dir, draws its stacks, their dependencies and resource
 * counts as Mermaid, and rewrites only the block between the graph markers in README.md.
 * __tests__/scripts/graph.test.ts fails when that block is stale.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderGraphBlock, replaceMarkedBlock } from './graph/mermaid';
import { GRAPH_ENVIRONMENT, synthesizePlatform } from './graph/synthesize';
import { summarizeStacks } from './graph/synth-output';

const README = join(__dirname, '..', 'README.md');

const outdir = mkdtempSync(join(tmpdir(), 'cart-graph-'));
try {
  const block = renderGraphBlock(summarizeStacks(synthesizePlatform(outdir)), GRAPH_ENVIRONMENT);
  const before = readFileSync(README, 'utf8');
  const after = replaceMarkedBlock(before, block);
  if (after === before) console.log('README.md: the architecture diagram is up to date');
  else {
    writeFileSync(README, after);
    console.log('README.md: architecture diagram updated');
  }
  console.log(block);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
