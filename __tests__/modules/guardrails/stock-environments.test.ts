import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GuardrailError, Guardrails, SARIF_FILE, checkGuardrails } from '../../../modules/guardrails';
import type { EnvironmentOverrides } from '../../../stacks/config/schema';
import { GUARDRAIL_POLICY_OF } from '../../../stacks/platform-app';
import { buildTestPlatform } from '../../helpers/synth';

/** The guardrails report of a stock environment, as `LEVEL RULE path` lines. */
function stockFindings(
  environment: keyof typeof GUARDRAIL_POLICY_OF,
  overrides?: EnvironmentOverrides,
): string[] {
  const { app } = buildTestPlatform(environment, overrides);
  const report = checkGuardrails(app, GUARDRAIL_POLICY_OF[environment]);
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
  ] as const)('%s', (environment, expected) => {
    expect(stockFindings(environment)).toEqual(expected);
  });

  test.each(['dev', 'prod'] as const)('%s with IRSA instead of Pod Identity', (environment) => {
    const expected = environment === 'dev' ? ['WARN CART113 cluster/eks/cluster'] : [];
    expect(stockFindings(environment, { cart: { identity: 'irsa' } })).toEqual(expected);
  });

  test.each(['pod-identity', 'irsa'] as const)('prod with cart secrets mounted under %s', (identity) => {
    expect(stockFindings('prod', { cart: { identity, secrets: ['retail/cart/api'] } })).toEqual([]);
  });

  test('CART013 refuses the SecretProviderClass the platform rendered before (Pod Identity) under IRSA', () => {
    const { app, stacks } = buildTestPlatform('prod', {
      cart: { identity: 'irsa', secrets: ['retail/cart/api'] },
    });
    stacks.cartWorkload?.secrets?.manifest.addOverride('manifest.spec.parameters.usePodIdentity', 'true');
    const report = checkGuardrails(app, GUARDRAIL_POLICY_OF.prod);
    expect(report.errors.map((f) => `${f.ruleId} ${f.path}`)).toEqual([
      'CART013 cart-workload/cart-secrets/manifest',
    ]);
  });
});

describe('buildPlatform puts the app under the guardrails: synth refuses what they reject', () => {
  test.each([
    [
      { cluster: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
      'CART113 [cluster/eks/cluster]',
    ],
    [{ cart: { pointInTimeRecovery: false } }, 'CART121 [cart/cart-table/table]'],
    [{ cart: { deletionProtection: false } }, 'CART122 [cart/cart-table/table]'],
    [{ cart: { encryption: 'aws-owned' } }, 'CART123 [cart/cart-table/table]'],
  ] as [EnvironmentOverrides, string][])('prod with %j fails with %s', (overrides, expected) => {
    const { app } = buildTestPlatform('prod', overrides);
    let caught: unknown;
    try {
      app.synth();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GuardrailError);
    expect((caught as GuardrailError).message).toContain(`ERROR ${expected}`);
    expect(existsSync(join(app.outdir, 'stacks', 'cart', 'cdk.tf.json'))).toBe(false);
  });

  test('dev only warns about a table without point-in-time recovery, and synth goes on', () => {
    const { app } = buildTestPlatform('dev', { cart: { pointInTimeRecovery: false } });
    app.synth();
    expect(Guardrails.reportOf(app)?.warnings.map((f) => `${f.ruleId} ${f.path}`)).toEqual([
      'CART113 cluster/eks/cluster',
      'CART121 cart/cart-table/table',
    ]);
    expect(existsSync(join(app.outdir, 'stacks', 'cart', 'cdk.tf.json'))).toBe(true);
  });
});

describe('main.ts', () => {
  test('prints the warnings with their construct path, synthesizes, and writes the SARIF next to the stacks', () => {
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
    const sarif = JSON.parse(readFileSync(join(outdir, SARIF_FILE), 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(sarif.runs[0].results.map((r) => [r.ruleId, r.level])).toEqual([['CART113', 'warning']]);
    const line = sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine;
    const file = readFileSync(join(outdir, 'stacks', 'cluster', 'cdk.tf.json'), 'utf8').split('\n');
    expect(file[line - 1]).toMatch(/^ {6}"eks_cluster_[0-9A-F]{8}": \{$/);
  }, 120_000);
});
