import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatReport } from './report';
import { runScheduled } from './schedule';
import { deploymentOrder, type SynthesizedStack } from './synth';
import {
  findProviderMirror,
  mirrorContents,
  providerAddress,
  terraformPlatform,
  writeTerraformCliConfig,
} from './terraform-cli';

const dir = mkdtempSync(join(tmpdir(), 'cart-harness-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeStack(id: string, dependencies: string[], backend = 's3'): SynthesizedStack {
  return { id, dependencies, backend, dir: '', json: { terraform: {} }, providers: [] };
}

describe('deploymentOrder', () => {
  test('local-backend stacks first, then dependencies before dependents', () => {
    const order = deploymentOrder([
      fakeStack('cart', ['cluster']),
      fakeStack('cluster', ['network']),
      fakeStack('network', []),
      fakeStack('state', [], 'local'),
    ]).map((s) => s.id);
    expect(order).toEqual(['state', 'network', 'cluster', 'cart']);
  });

  test('throws when the dependencies form a cycle', () => {
    expect(() => deploymentOrder([fakeStack('a', ['b']), fakeStack('b', ['a'])])).toThrow(
      'stack dependency cycle: a -> b -> a',
    );
  });
});

describe('provider mirror', () => {
  const mirror = join(dir, 'mirror');
  const platform = terraformPlatform();
  mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', platform), {
    recursive: true,
  });
  mkdirSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'helm'), { recursive: true });
  writeFileSync(
    join(
      mirror,
      'registry.terraform.io',
      'hashicorp',
      'helm',
      `terraform-provider-helm_3.1.1_${platform}.zip`,
    ),
    '',
  );
  const aws = { name: 'aws', address: providerAddress('aws'), version: '5.100.0' };

  test('lists unpacked and packed providers for this platform', () => {
    expect(mirrorContents(mirror)).toEqual(
      new Map([
        ['registry.terraform.io/hashicorp/aws', new Set(['5.100.0'])],
        ['registry.terraform.io/hashicorp/helm', new Set(['3.1.1'])],
      ]),
    );
  });

  test('TF_PROVIDER_MIRROR wins; an empty one is an error', () => {
    expect(findProviderMirror(aws, { TF_PROVIDER_MIRROR: mirror })).toBe(mirror);
    expect(() => findProviderMirror(aws, { TF_PROVIDER_MIRROR: join(dir, 'nothing') })).toThrow(
      'holds no provider',
    );
  });

  test('the CLI config installs the mirror’s providers from it, with a shared plugin cache', () => {
    const setup = writeTerraformCliConfig(join(dir, 'with-mirror'), mirror);
    const text = readFileSync(setup.cliConfigFile, 'utf8');
    expect(text).toContain(`plugin_cache_dir = ${JSON.stringify(join(dir, 'with-mirror', 'plugin-cache'))}`);
    // Later inits link to the cache instead of rewriting it under a concurrent `terraform validate`.
    expect(text).toContain('plugin_cache_may_break_dependency_lock_file = true');
    expect(text).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(text).toContain(
      'include = ["registry.terraform.io/hashicorp/aws","registry.terraform.io/hashicorp/helm"]',
    );
    expect(setup.canInstall(aws)).toBe(true);
    expect(
      setup.canInstall({ name: 'kubernetes', address: providerAddress('kubernetes'), version: '2.38.0' }),
    ).toBe(false);
  });

  test('without a mirror: the registry, no provider_installation block', () => {
    mkdirSync(join(dir, 'no-mirror'));
    const setup = writeTerraformCliConfig(join(dir, 'no-mirror'), undefined);
    expect(readFileSync(setup.cliConfigFile, 'utf8')).not.toContain('provider_installation');
    expect(
      setup.canInstall({ name: 'helm', address: providerAddress('hashicorp/helm'), version: '3.1.1' }),
    ).toBe(true);
  });
});

describe('runScheduled', () => {
  test('respects prerequisites and the concurrency limit; blocks dependents of a failure', async () => {
    const events: string[] = [];
    let running = 0;
    let peak = 0;
    const prerequisites: Record<string, string[]> = {
      a: [],
      b: ['a'],
      c: ['a'],
      d: ['b', 'c'],
      e: ['x'],
      x: [],
    };
    const result = await runScheduled(
      Object.keys(prerequisites),
      (id) => prerequisites[id],
      2,
      async (id) => {
        running++;
        peak = Math.max(peak, running);
        events.push(`start ${id}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (id === 'x') throw new Error('x failed');
        events.push(`end ${id}`);
      },
    );
    expect(peak).toBe(2);
    expect(events.indexOf('start b')).toBeGreaterThan(events.indexOf('end a'));
    expect(events.indexOf('start d')).toBeGreaterThan(
      Math.max(events.indexOf('end b'), events.indexOf('end c')),
    );
    expect([...result.failed.keys()]).toEqual(['x']);
    expect(result.blocked).toEqual(['e']);
  });
});

test('formatReport: one row per stack, the failures, then the corrections the run exercised', () => {
  const text = formatReport(
    [
      {
        id: 'cluster',
        expectedInstances: 2,
        planned: 2,
        applied: 2,
        changesAfterApply: 1,
        pendingChanges: ['aws_eks_cluster.eks (update)'],
        destroyed: 2,
        timings: { apply: 10, destroy: 5.5 },
      },
      { id: 'cart', expectedInstances: 6, planned: 6, applied: 5, timings: { apply: 3 }, error: 'boom\nwhy' },
    ],
    [{ id: 'platform', reason: 'needs helm, kubernetes' }],
    '# Report',
    {
      forwarded: 40,
      usage: [
        {
          name: 'eks-addons',
          moto: 'has no add-on API',
          fix: 'implements it',
          terraformTypes: ['aws_eks_addon'],
          operations: { CreateAddon: 2, DescribeAddon: 5 },
          total: 7,
        },
        {
          name: 'eks-tags',
          moto: 'tags clusters only',
          fix: 'tags',
          terraformTypes: [],
          operations: {},
          total: 0,
        },
      ],
    },
  );
  expect(text.split('\n').slice(0, 20)).toEqual([
    '# Report',
    '',
    '| stack | planned | applied | skipped | changes after apply | destroy | time (s) |',
    '|---|---:|---:|---:|---:|---|---:|',
    '| cluster | 2 | 2 | 0 | 1 | ok (2) | 15.5 |',
    '| cart | 6 | 5 | 1 | - | not run | 3.0 |',
    '| platform | - | - | all | - | - | - (needs helm, kubernetes) |',
    '',
    '- cluster: CHANGE AFTER APPLY aws_eks_cluster.eks (update)',
    '- cart: ERROR boom / why',
    '',
    'Emulator corrections (the gap filler in front of moto): 7 requests answered or corrected, 40 passed to moto untouched.',
    '',
    '| correction | what moto 5.2.1 does | requests | by operation |',
    '|---|---|---:|---|',
    '| eks-addons | has no add-on API | 7 | CreateAddon 2, DescribeAddon 5 |',
    '| eks-tags | tags clusters only | 0 | not exercised |',
    '',
    'Time per step:',
    '- cluster: apply 10.0s, destroy 5.5s',
  ]);
});
