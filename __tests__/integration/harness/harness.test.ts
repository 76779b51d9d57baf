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

test('formatReport: one row per stack, then every skipped resource with its reason', () => {
  const text = formatReport(
    [
      {
        id: 'cluster',
        plan: {
          addresses: ['aws_eks_cluster.eks', 'aws_eks_addon.cni'],
          expectedInstances: 1,
          skipped: [{ address: 'aws_eks_addon.cni', reason: 'no add-on API' }],
          targets: ['aws_eks_cluster.eks'],
          ignored: [
            { address: 'aws_eks_cluster.eks', attributes: ['access_config'], reason: 'not returned' },
          ],
          relaxed: [],
        },
        planned: 2,
        applied: 1,
        changesAfterApply: 0,
        pendingChanges: [],
        destroyed: 1,
        timings: { apply: 10, destroy: 5.5 },
      },
    ],
    [{ id: 'platform', reason: 'needs helm, kubernetes' }],
    '# Report',
  );
  expect(text.split('\n').slice(0, 9)).toEqual([
    '# Report',
    '',
    '| stack | planned | applied | skipped | changes after apply | destroy | time (s) |',
    '|---|---:|---:|---:|---:|---|---:|',
    '| cluster | 2 | 1 | 1 | 0 | ok (1) | 15.5 |',
    '| platform | - | - | all | - | - | - (needs helm, kubernetes) |',
    '',
    '- cluster: skipped aws_eks_addon.cni — no add-on API',
    '- cluster: applied aws_eks_cluster.eks, ignoring drift in access_config — not returned',
  ]);
});
