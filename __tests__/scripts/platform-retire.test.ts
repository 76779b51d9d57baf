import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { environmentOutDir } from '../../scripts/platform/environment';
import { retireSynthesis } from '../../scripts/platform/retire';

/** An app of three stacks: CART_RETIRE changes `state` and `cart` (their protections), never `network`. */
vi.mock('../../scripts/platform/run', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../scripts/platform/run')>();
  return {
    ...actual,
    synthApp: vi.fn((outDir: string, options: { env?: Record<string, string> } = {}) => {
      const retiring = options.env?.CART_RETIRE === 'true';
      const stacks: Record<string, unknown> = {};
      for (const [id, protectedKey] of [
        ['state', 'force_destroy'],
        ['network', undefined],
        ['cart', 'deletion_protection_enabled'],
      ] as const) {
        mkdirSync(join(outDir, 'stacks', id), { recursive: true });
        const resource = protectedKey === undefined ? {} : { [protectedKey]: retiring };
        writeFileSync(join(outDir, 'stacks', id, 'cdk.tf.json'), JSON.stringify({ resource }));
        stacks[id] = { name: id, dependencies: [], workingDirectory: `stacks/${id}` };
      }
      writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ stacks }));
      return Promise.resolve({ code: 0, output: '' });
    }),
  };
});

const ENVIRONMENT = `vitest-retire-${process.pid}`;

afterAll(() => rmSync(environmentOutDir(ENVIRONMENT), { recursive: true, force: true }));

describe('retireSynthesis', () => {
  test('lifts protection only on the stacks whose configuration CART_RETIRE changes', async () => {
    const { stacks, lifted } = await retireSynthesis(ENVIRONMENT);
    expect(stacks.map((s) => s.id)).toEqual(['state', 'network', 'cart']);
    expect([...lifted].sort()).toEqual(['cart', 'state']);
    // The folder is left with the retire synthesis: that is what Terraform applies and destroys.
    const cart = stacks.find((s) => s.id === 'cart')?.dir as string;
    expect(JSON.parse(readFileSync(join(cart, 'cdk.tf.json'), 'utf8'))).toEqual({
      resource: { deletion_protection_enabled: true },
    });
  });
});
