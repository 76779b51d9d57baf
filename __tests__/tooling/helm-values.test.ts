/**
 * Helm ignores a value key its chart does not read, silently: a misspelt key is a setting that never happens.
 * Every `helm_release` of the dev and prod platforms is checked against its chart version's keys file
 * (__tests__/fixtures/charts/, see the README there); the checker itself is tested on wrong keys.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import {
  chartKeys,
  FIXTURES_DIR,
  keysFileName,
  unreadValueKeys,
  type ChartKeysFile,
  type KeyType,
} from '../../scripts/chart-keys';
import { buildTestPlatform, synthStack } from '../helpers/synth';

interface ReleaseValues {
  /** `<stack>/<logical id>`. */
  readonly address: string;
  readonly chart: string;
  readonly version: string;
  /** Each `values` document, parsed. */
  readonly documents: readonly unknown[];
}

const synthesized = new Map<string, ReleaseValues[]>();

/** Every helm_release of every stack of an environment, with its values documents parsed (synthesized once). */
function helmReleases(environment: string): ReleaseValues[] {
  const cached = synthesized.get(environment);
  if (cached) return cached;
  const { app } = buildTestPlatform(environment);
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  const found = stacks.flatMap((stack) => {
    const releases = (synthStack(stack).resource?.helm_release ?? {}) as Record<
      string,
      { chart: string; version: string; values?: string[] }
    >;
    return Object.entries(releases).map(([id, r]) => ({
      address: `${stack.node.id}/${id}`,
      // An OCI chart is named by its URL (oci://registry/path/<chart>): the chart is the last segment.
      chart: r.chart.split('/').pop() as string,
      version: r.version,
      documents: (r.values ?? []).map((doc) => JSON.parse(doc) as unknown),
    }));
  });
  synthesized.set(environment, found);
  return found;
}

function loadKeys(chart: string, version: string): ChartKeysFile {
  const file = join(FIXTURES_DIR, keysFileName(chart, version));
  if (!existsSync(file)) {
    throw new Error(
      `no keys file for ${chart} ${version}: add ${file} (see __tests__/fixtures/charts/README.md)`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as ChartKeysFile;
}

describe.each(['dev', 'prod'])('%s platform', (environment) => {
  const releases = helmReleases(environment);

  test('has Helm releases to check', () => {
    expect(releases.map((r) => r.chart)).toContain('aws-load-balancer-controller');
    expect(releases.every((r) => r.documents.length > 0)).toBe(true);
  });

  test.each(releases.map((r) => [r.address, r] as const))('%s sets only keys its chart reads', (_, r) => {
    const { keys } = loadKeys(r.chart, r.version);
    expect(r.documents.flatMap((doc) => unreadValueKeys(doc, keys))).toEqual([]);
  });
});

describe('unreadValueKeys', () => {
  const KEYS: Record<string, KeyType> = {
    replicaCount: 'number',
    'serviceAccount.create': 'boolean',
    'serviceAccount.annotations': 'object',
    'serviceAccount.name': 'null',
    tolerations: 'array',
    'podSecurityContext.fsGroup': 'number',
    clusterName: 'null',
  };

  test.each<[string, unknown]>([
    ['a listed scalar', { replicaCount: 2 }],
    ['a listed nested scalar', { serviceAccount: { create: false } }],
    [
      'a key under a free-form map',
      { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'x' } } },
    ],
    ['an object under a null default', { clusterName: { anything: { goes: 1 } } }],
    ['a list for an array default', { tolerations: [{ key: 'a', operator: 'Exists' }] }],
    ['an empty map where the chart has a map', { podSecurityContext: {} }],
  ])('accepts %s', (_, values) => {
    expect(unreadValueKeys(values, KEYS)).toEqual([]);
  });

  test.each<[string, unknown, string[]]>([
    ['an unknown top-level key', { replicas: 2 }, ['replicas']],
    ['a misspelt nested key', { serviceAccount: { nmae: 'lbc' } }, ['serviceAccount.nmae']],
    [
      'a key the chart does not define in a map',
      { podSecurityContext: { runAsUser: 1 } },
      ['podSecurityContext.runAsUser'],
    ],
    ['a key under a scalar default', { replicaCount: { min: 1 } }, ['replicaCount.min']],
    ['a scalar where the chart has a map', { serviceAccount: 'lbc' }, ['serviceAccount']],
    ['several at once, in document order', { a: 1, replicaCount: 1, b: { c: true } }, ['a', 'b.c']],
  ])('refuses %s', (_, values, unread) => {
    expect(unreadValueKeys(values, KEYS)).toEqual(unread);
  });

  test('finds a deliberately wrong key in the synthesized load balancer controller values', () => {
    const lbc = helmReleases('dev').find((r) => r.chart === 'aws-load-balancer-controller');
    if (!lbc) throw new Error('the dev platform has no aws-load-balancer-controller release');
    const { keys } = loadKeys(lbc.chart, lbc.version);
    const [values] = lbc.documents as Array<Record<string, unknown>>;
    expect(unreadValueKeys(values, keys)).toEqual([]);
    const wrong = {
      ...values,
      enableServiceMutatorWebhok: false,
      serviceAccount: { create: true, nam: 'x' },
    };
    expect(unreadValueKeys(wrong, keys)).toEqual(['serviceAccount.nam', 'enableServiceMutatorWebhok']);
  });
});

describe('chartKeys (values.yaml → keys file)', () => {
  test('lists every leaf with its default type; empty maps, lists and nulls are free-form leaves', () => {
    const valuesYaml = [
      'replicaCount: 2',
      'image:',
      '  repository: public.ecr.aws/eks/aws-load-balancer-controller',
      '  tag: v3.5.0',
      'podAnnotations: {}',
      'tolerations: []',
      'args:',
      '  - --verbose',
      'clusterName:',
      'crds:',
      '  annotations:',
      '    argocd.argoproj.io/sync-options: Replace=true',
      'hostNetwork: false',
    ].join('\n');
    expect(chartKeys(parse(valuesYaml))).toEqual({
      replicaCount: 'number',
      'image.repository': 'string',
      'image.tag': 'string',
      podAnnotations: 'object',
      tolerations: 'array',
      args: 'array',
      clusterName: 'null',
      'crds.annotations.argocd.argoproj.io/sync-options': 'string',
      hostNetwork: 'boolean',
    });
  });

  const fixtures = readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.keys.json'));

  test('a fixture per pinned chart', () => {
    expect(fixtures).toEqual([
      'argo-cd-10.1.1.keys.json',
      'aws-load-balancer-controller-3.5.0.keys.json',
      'karpenter-1.14.1.keys.json',
      'secrets-store-csi-driver-1.6.0.keys.json',
      'secrets-store-csi-driver-provider-aws-3.1.1.keys.json',
    ]);
  });

  test.each(fixtures)('%s has the keys file format', (name) => {
    const file = JSON.parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as ChartKeysFile;
    expect(keysFileName(file.chart, file.version)).toBe(name);
    expect(Object.keys(file)).toEqual(['chart', 'version', 'source', 'note', 'keys']);
    const types = new Set(Object.values(file.keys));
    expect(
      [...types].filter((t) => !['string', 'number', 'boolean', 'object', 'array', 'null'].includes(t)),
    ).toEqual([]);
  });
});
