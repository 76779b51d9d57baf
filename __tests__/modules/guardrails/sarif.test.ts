import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  GUARDRAIL_POLICIES,
  Guardrails,
  RULES,
  SARIF_FILE,
  checkGuardrails,
  enforceGuardrails,
  toSarif,
} from '../../../modules/guardrails';
import { lineOf } from '../../../modules/guardrails/sarif';
import { buildFixture } from './fixture';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  kind?: string;
  message: { text: string };
  locations: {
    physicalLocation?: {
      artifactLocation: { uri: string; uriBaseId: string };
      region?: { startLine: number };
    };
    logicalLocations: { fullyQualifiedName: string; name?: string; kind: string }[];
  }[];
  suppressions?: { kind: string; justification: string }[];
  partialFingerprints?: Record<string, string>;
}

/** A fixture with one error, one warning (dev), one suppressed finding and one stale suppression. */
function mixedFixture() {
  const fixture = buildFixture();
  fixture.launchTemplate.addOverride('metadata_options.http_tokens', 'optional');
  fixture.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
  fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
  Guardrails.suppress(fixture.repository, 'CART132', 'the preview registry re-tags latest');
  Guardrails.suppress(fixture.table, 'CART121', 'left over');
  return fixture;
}

describe('SARIF 2.1.0', () => {
  const fixture = mixedFixture();
  const report = checkGuardrails(fixture.app, GUARDRAIL_POLICIES.development);
  const log = toSarif(report);
  const run = log.runs[0];
  const results = run.results as SarifResult[];

  test('is a SARIF 2.1.0 log with one run of this tool', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('cart-platform-guardrails');
    expect(run.invocations[0].properties.policy).toBe('development');
  });

  test('describes every rule: id, title, what it prevents, the fix as help, Checkov ids', () => {
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const imds = run.tool.driver.rules.find((r) => r.id === 'CART008');
    expect(imds?.shortDescription.text).toBe(RULES.find((r) => r.id === 'CART008')?.title);
    expect(imds?.fullDescription.text).toContain('Pods reach IMDS');
    expect(imds?.help.text).toContain('http_put_response_hop_limit = 1');
    expect(imds?.properties.checkov).toEqual(['CKV_AWS_79', 'CKV_AWS_341', 'CKV_K8S_19']);
    expect(imds?.name).toMatch(/^[A-Za-z0-9]+$/);
  });

  test('gives each finding its level, its rule index and the construct path as the location', () => {
    expect(
      results.map((r) => [r.ruleId, r.level, r.locations[0].logicalLocations[0].fullyQualifiedName]),
    ).toEqual([
      ['CART008', 'error', 'cluster/launch-template'],
      ['CART113', 'warning', 'cluster/eks'],
      ['CART132', 'warning', 'cart/repository'],
      ['CART121', 'note', 'cart/table'],
    ]);
    for (const result of results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    }
    expect(results[0].locations[0].logicalLocations[0]).toEqual({
      fullyQualifiedName: 'cluster/launch-template',
      name: 'aws_launch_template.launch-template',
      kind: 'resource',
    });
    expect(results[0].message.text).toMatch(
      /^metadata_options\.http_tokens is "optional" .* What happens: .* Fix: /,
    );
    expect(results[0].partialFingerprints?.['cartGuardrails/v1']).toMatch(/^[0-9a-f]{32}$/);
  });

  test('keeps a suppressed finding, with the suppression and its reason', () => {
    expect(results[2].suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'the preview registry re-tags latest (on cart/repository)',
      },
    ]);
    expect(results[3].kind).toBe('informational');
    expect(results[3].message.text).toBe(
      'The suppression of CART121 on cart/table matched no finding: "left over".',
    );
  });
});

describe('guardrails.sarif next to the synthesized output', () => {
  test('points at the stack file and the line of the element', () => {
    const fixture = mixedFixture();
    fixture.launchTemplate.addOverride('metadata_options.http_tokens', 'required');
    enforceGuardrails(fixture.app, GUARDRAIL_POLICIES.development);
    fixture.app.synth();
    const log = JSON.parse(readFileSync(join(fixture.app.outdir, SARIF_FILE), 'utf8')) as {
      runs: { results: SarifResult[] }[];
    };
    const warning = log.runs[0].results[0];
    const file = join(fixture.app.outdir, 'stacks', 'cluster', 'cdk.tf.json');
    expect(warning.locations[0].physicalLocation?.artifactLocation).toEqual({
      uri: relative(process.cwd(), file).split('\\').join('/'),
      uriBaseId: '%SRCROOT%',
    });
    const line = warning.locations[0].physicalLocation?.region?.startLine ?? 0;
    expect(readFileSync(file, 'utf8').split('\n')[line - 1]).toBe('      "eks": {');
  });

  test("lineOf finds an element by its keys in cdktf's 2-space JSON", () => {
    const text = JSON.stringify({ resource: { a: { x: {} }, b: { x: { y: 1 } } } }, null, 2);
    expect(lineOf(text, ['resource', 'b', 'x'])).toBe(7);
    expect(lineOf(text, ['resource', 'c'])).toBeUndefined();
  });
});
