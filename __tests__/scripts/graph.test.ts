/**
 * The architecture diagram: the pure generator on a tiny fixture, and the README's embedded diagram against one
 * generated now from the real platform (stale → run `npm run graph`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  extractMarkedBlock,
  GRAPH_END,
  GRAPH_START,
  renderGraphBlock,
  renderMermaid,
  replaceMarkedBlock,
} from '../../scripts/graph/mermaid';
import { summarizeStacks, type SynthOutput } from '../../scripts/graph/synth-output';
import { GRAPH_ENVIRONMENT, synthesizePlatform } from '../../scripts/graph/synthesize';

const entry = (id: string, dependencies: string[]) => ({
  dependencies,
  synthesizedStackPath: `stacks/${id}/cdk.tf.json`,
});

/** Three stacks: `app-db` reads `net`; `solo` stands alone. Manifest order is deliberately not deployment order. */
const FIXTURE: SynthOutput = {
  manifest: {
    stacks: { 'app-db': entry('app-db', ['net']), solo: entry('solo', []), net: entry('net', []) },
  },
  stacks: {
    'app-db': {
      resource: { aws_dynamodb_table: { t: {} }, aws_iam_role: { r1: {}, r2: {} } },
      data: { terraform_remote_state: { net: {} } },
      provider: { aws: [{}], kubernetes: [{}] },
    },
    solo: {},
    net: { resource: { aws_vpc: { v: {} } }, provider: { aws: [{}] } },
  },
};

describe('summarizeStacks', () => {
  test('counts resources, data sources and providers, in deployment order', () => {
    expect(summarizeStacks(FIXTURE)).toEqual([
      { id: 'net', dependencies: [], resources: 1, dataSources: 0, providers: ['aws'] },
      { id: 'solo', dependencies: [], resources: 0, dataSources: 0, providers: [] },
      { id: 'app-db', dependencies: ['net'], resources: 3, dataSources: 1, providers: ['aws', 'kubernetes'] },
    ]);
  });

  test.each([
    ['an unknown dependency', { a: entry('a', ['ghost']) }, /depends on unknown stack "ghost"/],
    ['a cycle', { a: entry('a', ['b']), b: entry('b', ['a']) }, /cycle/],
  ])('throws on %s', (_name, stacks, message) => {
    expect(() => summarizeStacks({ manifest: { stacks }, stacks: { a: {}, b: {} } })).toThrow(message);
  });
});

describe('renderMermaid', () => {
  test('one node per stack, an arrow from each dependency to its dependent', () => {
    expect(renderMermaid(summarizeStacks(FIXTURE))).toBe(
      [
        'flowchart LR',
        '  stack_net["<b>net</b><br/>1 resource<br/>aws"]',
        '  stack_solo["<b>solo</b><br/>0 resources<br/>no provider"]',
        '  stack_app_db["<b>app-db</b><br/>3 resources, 1 data source<br/>aws, kubernetes"]',
        '  stack_net --> stack_app_db',
      ].join('\n'),
    );
  });
});

describe('README markers', () => {
  const doc = `# T\n\n${GRAPH_START}\nold\n${GRAPH_END}\n\nrest\n`;

  test('replaces only the text between the markers', () => {
    expect(replaceMarkedBlock(doc, 'new')).toBe(`# T\n\n${GRAPH_START}\n\nnew\n\n${GRAPH_END}\n\nrest\n`);
    expect(extractMarkedBlock(replaceMarkedBlock(doc, 'new'))).toBe('new');
  });

  test.each([
    ['no markers', '# T\n'],
    ['only the start marker', `${GRAPH_START}\n`],
    ['the markers swapped', `${GRAPH_END}\n${GRAPH_START}\n`],
    ['a repeated start marker', `${GRAPH_START}\n${GRAPH_START}\n${GRAPH_END}\n`],
  ])('throws with %s', (_name, document) => {
    expect(() => replaceMarkedBlock(document, 'x')).toThrow(/exactly one/);
  });
});

describe('README architecture diagram', () => {
  test('is up to date with the synthesized platform', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cart-graph-test-'));
    try {
      const expected = renderGraphBlock(summarizeStacks(synthesizePlatform(outdir)), GRAPH_ENVIRONMENT);
      const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
      const embedded = extractMarkedBlock(readme);
      if (embedded !== expected) {
        expect.fail(
          'The architecture diagram in README.md is stale: run `npm run graph` and commit README.md.\n' +
            `Expected:\n${expected}\n\nFound:\n${embedded}`,
        );
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
