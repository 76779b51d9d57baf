import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { environmentOutDir, synthesizeEnvironment } from '../../scripts/platform/environment';
import { dependencyOrder, type ManifestStack } from '../../scripts/platform/manifest';
import { describePlan, parsePlan, planTable } from '../../scripts/platform/plan-summary';
import { selectStacks } from '../../scripts/platform/selection';

// The cdktf CLI, as far as synth goes: cdktf's App creates its output folder, when missing, with a plain (non-recursive) mkdir.
vi.mock('../../scripts/platform/run', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../scripts/platform/run')>();
  return {
    ...actual,
    cdktf: vi.fn((args: readonly string[]) => {
      const outDir = args[args.indexOf('--output') + 1] as string;
      if (!existsSync(outDir)) mkdirSync(outDir);
      writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ stacks: {} }));
      return Promise.resolve({ code: 0, output: '' });
    }),
  };
});

const stack = (id: string, ...dependencies: string[]): ManifestStack => ({
  id,
  dependencies,
  dir: `/out/${id}`,
});
/** The platform's stacks and the dependencies the app declares. */
const PLATFORM = [
  stack('cart-workload', 'platform', 'cluster', 'cart', 'state'),
  stack('platform', 'addons', 'cluster', 'network', 'state'),
  stack('addons', 'cluster', 'state'),
  stack('cart', 'cluster', 'state'),
  stack('cluster', 'network', 'state'),
  stack('network', 'state'),
  stack('state'),
];
const ids = (stacks: readonly ManifestStack[]) => stacks.map((s) => s.id);

describe('dependencyOrder', () => {
  test('every stack after its dependencies, ties by id', () => {
    expect(ids(dependencyOrder(PLATFORM))).toEqual([
      'state',
      'network',
      'cluster',
      'addons',
      'cart',
      'platform',
      'cart-workload',
    ]);
  });

  test('throws on a cycle, naming the stacks', () => {
    expect(() => dependencyOrder([stack('a', 'b'), stack('b', 'a')])).toThrow(
      'stack dependency cycle among a, b',
    );
  });
});

describe('selectStacks', () => {
  test('everything, minus skips, reported', () => {
    const selection = selectStacks(PLATFORM, { requested: [], skip: ['platform', 'cart-workload'] });
    expect(ids(selection.stacks)).toEqual(['state', 'network', 'cluster', 'addons', 'cart']);
    expect(selection.skipped).toEqual(['cart-workload', 'platform']);
  });

  test('destroy: dependants first, the state bucket left out of "everything"', () => {
    const selection = selectStacks(PLATFORM, {
      requested: [],
      skip: [],
      excludeFromAll: ['state'],
      reverse: true,
    });
    expect(ids(selection.stacks)).toEqual([
      'cart-workload',
      'platform',
      'cart',
      'addons',
      'cluster',
      'network',
    ]);
  });

  test('a named subset keeps the dependency order, whatever order it was named in', () => {
    expect(ids(selectStacks(PLATFORM, { requested: ['cart-workload', 'cart'], skip: [] }).stacks)).toEqual([
      'cart',
      'cart-workload',
    ]);
  });

  test('throws for an unknown stack, listing the known ones', () => {
    expect(() => selectStacks(PLATFORM, { requested: ['clusters'], skip: [] })).toThrow(
      'no stack named "clusters" in this environment; its stacks: cart-workload, platform, addons, cart, cluster, network, state',
    );
  });
});

describe('parsePlan', () => {
  test.each([
    ['No changes. Your infrastructure matches the configuration.', 0, 'no changes'],
    ['Plan: 3 to add, 1 to change, 0 to destroy.', 0, '3 to add, 1 to change, 0 to destroy'],
    ['Changes to Outputs:\n  + name = "x"', 0, '0 to add, 0 to change, 0 to destroy'],
    ['Error: configuring Terraform AWS Provider', 1, 'plan failed (exit 1)'],
  ])('%j (exit %i) → %s', (output, code, described) => {
    expect(describePlan(parsePlan(output, code))).toBe(described);
  });

  test('the job summary table', () => {
    expect(
      planTable('dev', [
        { stack: 'network', result: { kind: 'no-changes' } },
        { stack: 'cart', result: { kind: 'changes', add: 1, change: 0, destroy: 0 } },
      ]),
    ).toBe(
      '### Plan: dev\n\n| stack | plan |\n| --- | --- |\n| network | no changes |\n| cart | 1 to add, 0 to change, 0 to destroy |\n',
    );
  });
});

describe('synthesizeEnvironment', () => {
  test('creates the environment folder with its parents (a fresh clone has no cdktf.out/)', async () => {
    // A nested name stands in for a missing cdktf.out/: the folder's parent does not exist either.
    const parent = `vitest-fresh-${process.pid}`;
    const root = environmentOutDir(parent);
    rmSync(root, { recursive: true, force: true });
    try {
      await expect(synthesizeEnvironment(`${parent}/dev`)).resolves.toEqual([]);
      expect(existsSync(join(root, 'dev', 'manifest.json'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
