import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GuardrailError, Guardrails } from '../../../modules/guardrails';
import type { EnvironmentOverrides } from '../../../stacks/config/schema';
import { buildTestPlatform } from '../../helpers/synth';

/** Builds the platform (buildPlatform applies the guardrails) and returns its report as `LEVEL RULE path` lines. */
function stockFindings(environment: string, overrides?: EnvironmentOverrides): string[] {
  const { app } = buildTestPlatform(environment, overrides);
  const report = Guardrails.reportOf(app);
  if (report === undefined) throw new Error('buildPlatform did not apply the guardrails');
  return [
    ...report.errors.map((f) => `ERROR ${f.ruleId} ${f.path}`),
    ...report.warnings.map((f) => `WARN ${f.ruleId} ${f.path}`),
    ...report.suppressed.map((s) => `SUPPRESSED ${s.finding.ruleId} ${s.finding.path}`),
  ];
}

describe('the stock configurations synthesize clean', () => {
  test.each([
    // The guide's dev cluster keeps its API open to the world: allowed in dev, printed at every synth.
    ['dev', ['WARN CART113 cluster/eks/cluster']],
    ['prod', []],
    ['emulator', ['WARN CART113 cluster/eks/cluster']],
    ['local', []],
  ])('%s', (environment, expected) => {
    expect(stockFindings(environment)).toEqual(expected);
  });

  test.each(['dev', 'prod'])('%s with IRSA instead of Pod Identity', (environment) => {
    const expected = environment === 'dev' ? ['WARN CART113 cluster/eks/cluster'] : [];
    expect(stockFindings(environment, { cart: { identity: 'irsa' } })).toEqual(expected);
  });
});

describe('buildPlatform refuses a configuration the guardrails reject', () => {
  test.each([
    [
      { cluster: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
      'CART113 [cluster/eks/cluster]',
    ],
    [{ cart: { pointInTimeRecovery: false } }, 'CART121 [cart/cart-table/table]'],
    [{ cart: { deletionProtection: false } }, 'CART122 [cart/cart-table/table]'],
    [{ cart: { encryption: 'aws-owned' } }, 'CART123 [cart/cart-table/table]'],
  ] as [EnvironmentOverrides, string][])('prod with %j fails with %s', (overrides, expected) => {
    expect(() => buildTestPlatform('prod', overrides)).toThrow(GuardrailError);
    expect(() => buildTestPlatform('prod', overrides)).toThrow(expected);
  });

  test('dev only warns about a table without point-in-time recovery', () => {
    expect(stockFindings('dev', { cart: { pointInTimeRecovery: false } })).toEqual([
      'WARN CART113 cluster/eks/cluster',
      'WARN CART121 cart/cart-table/table',
    ]);
  });
});

describe('main.ts', () => {
  test('prints the warnings with their construct path and still synthesizes', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guardrails-main-'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, CART_ENV: 'dev', CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      'WARN  CART113 [cluster/eks/cluster] has a public API endpoint open to 0.0.0.0/0.',
    );
  }, 120_000);
});
