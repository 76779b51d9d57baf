import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Aspects, TerraformStack } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  GuardrailError,
  Guardrails,
  RULES,
  SARIF_FILE,
  SUPPRESSION_METADATA,
  applyGuardrails,
  checkGuardrails,
  enforceGuardrails,
} from '../../../modules/guardrails';
import { ENV } from '@cart-platform/service/contract';
import { GUARDRAIL_POLICY_OF } from '../../../stacks/platform-app';
import { addEmulatorBackend, buildFixture } from './fixture';

const config = (name: keyof typeof GUARDRAIL_POLICY_OF) => GUARDRAIL_POLICY_OF[name];
const openEndpoint = () => {
  const fixture = buildFixture();
  fixture.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
  return fixture;
};

describe('severity per environment', () => {
  test('a baseline rule is a warning in dev: synth goes on and the warning names the path', () => {
    const report = applyGuardrails(openEndpoint().app, config('dev'));
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      ['CART113', 'warning', 'cluster/eks'],
    ]);
    expect(report.lines()[0]).toMatch(/^WARN {2}CART113 \[cluster\/eks\] has a public API endpoint open to/);
  });

  test('the same rule fails synth in prod', () => {
    expect(() => applyGuardrails(openEndpoint().app, config('prod'))).toThrow(GuardrailError);
  });

  test("the guide's EKS mistakes fail synth in dev too", () => {
    const fixture = buildFixture({ configData: { [ENV.createTable]: 'true' } });
    expect(() => applyGuardrails(fixture.app, config('dev'))).toThrow(/CART003 \[cart-workload\/config\]/);
  });

  test('the local world may carry endpoint, dummy keys and create-table', () => {
    const fixture = buildFixture({
      configData: {
        [ENV.endpoint]: 'http://dynamodb:8000',
        [ENV.createTable]: 'true',
        [ENV.accessKeyId]: 'local',
        [ENV.secretAccessKey]: 'local',
      },
    });
    expect(checkGuardrails(fixture.app, config('local')).findings).toEqual([]);
    expect(checkGuardrails(fixture.app, config('dev')).errors.map((f) => f.ruleId)).toEqual([
      'CART001',
      'CART001',
      'CART002',
      'CART003',
    ]);
  });

  test('the emulator override is refused in dev and prod, not in the emulator environment', () => {
    const fixture = buildFixture();
    addEmulatorBackend(fixture.stacks.cart);
    expect(checkGuardrails(fixture.app, config('emulator')).findings).toEqual([]);
    for (const name of ['dev', 'prod'] as const) {
      expect(checkGuardrails(fixture.app, config(name)).errors.map((f) => `${f.ruleId} ${f.path}`)).toEqual([
        'CART009 cart/backend',
      ]);
    }
  });

  test('production-only rules stay silent in dev', () => {
    const fixture = buildFixture();
    fixture.table.addOverride('deletion_protection_enabled', false);
    fixture.table.addOverride('server_side_encryption', { enabled: false });
    expect(checkGuardrails(fixture.app, config('dev')).findings).toEqual([]);
    expect(checkGuardrails(fixture.app, config('prod')).errors.map((f) => f.ruleId)).toEqual([
      'CART122',
      'CART123',
    ]);
  });
});

describe('suppression', () => {
  const mutableTags = () => {
    const fixture = buildFixture();
    fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
    return fixture;
  };

  test('a suppression with a reason lets synth pass and is reported', () => {
    const fixture = mutableTags();
    Guardrails.suppress(fixture.repository, 'CART132', 'CI re-tags "latest" for the preview environment');
    const report = applyGuardrails(fixture.app, config('prod'));
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => [s.finding.ruleId, s.finding.path, s.suppression.reason])).toEqual([
      ['CART132', 'cart/repository', 'CI re-tags "latest" for the preview environment'],
    ]);
    expect(report.lines()).toEqual([
      'SUPPRESSED CART132 [cart/repository] by cart/repository: "CI re-tags "latest" for the preview environment"',
    ]);
  });

  test('it is stored as metadata on the construct node', () => {
    const fixture = mutableTags();
    Guardrails.suppress(fixture.repository, 'CART132', 'reason');
    const entries = fixture.repository.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA);
    expect(entries.map((m) => [m.type, m.data])).toEqual([
      [SUPPRESSION_METADATA, { ruleId: 'CART132', reason: 'reason' }],
    ]);
  });

  test('a suppression on a scope covers every construct under it', () => {
    const fixture = mutableTags();
    Guardrails.suppress(fixture.stacks.cart, 'CART132', 'the whole cart stack is a sandbox');
    const report = applyGuardrails(fixture.app, config('prod'));
    expect(report.suppressed.map((s) => s.suppression.path)).toEqual(['cart']);
  });

  test('it silences only its rule, only where it is put', () => {
    const fixture = mutableTags();
    Guardrails.suppress(fixture.repository, 'CART131', 'scanning happens in the registry');
    Guardrails.suppress(fixture.table, 'CART132', 'wrong construct');
    expect(() => applyGuardrails(fixture.app, config('prod'))).toThrow(/CART132 \[cart\/repository\]/);
  });

  test('a suppression that matches nothing is reported as unused', () => {
    const fixture = buildFixture();
    Guardrails.suppress(fixture.table, 'CART121', 'left over from an old table');
    const report = applyGuardrails(fixture.app, config('prod'));
    expect(report.lines()).toEqual([
      'UNUSED SUPPRESSION CART121 on cart/table matched no finding: "left over from an old table"',
    ]);
  });

  test.each(['', '   '])('throws when the reason is %j', (reason) => {
    const fixture = buildFixture();
    expect(() => Guardrails.suppress(fixture.repository, 'CART132', reason)).toThrow(
      'Guardrails.suppress(cart/repository, CART132) reason: a suppression needs a non-empty reason',
    );
  });

  test('throws when the rule id is unknown', () => {
    const fixture = buildFixture();
    expect(() => Guardrails.suppress(fixture.repository, 'CART999', 'reason')).toThrow(
      /Guardrails.suppress ruleId: "CART999" is not a rule; known rules: CART001, /,
    );
  });
});

describe('the error', () => {
  test('GuardrailError lists errors, warnings and suppressions with their paths', () => {
    const fixture = buildFixture({ configData: { [ENV.createTable]: 'true' } });
    fixture.cluster.addOverride('vpc_config.public_access_cidrs', ['0.0.0.0/0']);
    fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
    Guardrails.suppress(fixture.repository, 'CART132', 'preview registry');
    let caught: unknown;
    try {
      applyGuardrails(fixture.app, config('dev'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GuardrailError);
    const lines = (caught as GuardrailError).message.split('\n');
    expect(lines[0]).toBe(
      'Guardrails (policy "development") refused to synthesize: 1 error (suppress one with Guardrails.suppress(construct, ruleId, reason); see docs/guardrails.md)',
    );
    expect(lines.slice(1).map((l) => l.split(' [')[0])).toEqual([
      '  ERROR CART003',
      '  WARN  CART113',
      '  SUPPRESSED CART132',
    ]);
    expect(Guardrails.reportOf(fixture.app)?.errors.map((f) => f.path)).toEqual(['cart-workload/config']);
  });
});

describe('enforceGuardrails: the gate inside app.synth()', () => {
  const stackFiles = (outdir: string) =>
    existsSync(join(outdir, 'stacks'))
      ? readdirSync(join(outdir, 'stacks')).filter((s) =>
          existsSync(join(outdir, 'stacks', s, 'cdk.tf.json')),
        )
      : [];

  test('an error stops synth before any stack is written; the SARIF is written all the same', () => {
    const fixture = buildFixture();
    enforceGuardrails(fixture.app, config('prod'));
    fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
    expect(() => fixture.app.synth()).toThrow(
      /CART132 \[cart\/repository\] has image_tag_mutability "MUTABLE"/,
    );
    expect(stackFiles(fixture.app.outdir)).toEqual([]);
    const sarif = JSON.parse(readFileSync(join(fixture.app.outdir, SARIF_FILE), 'utf8')) as {
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: object }[] }[] }[];
    };
    expect(sarif.runs[0].results.map((r) => [r.ruleId, r.level])).toEqual([['CART132', 'error']]);
    // No stack of this synth is written: the location names the file, not a line of a stale one.
    expect(Object.keys(sarif.runs[0].results[0].locations[0].physicalLocation)).toEqual(['artifactLocation']);
    expect(() => fixture.app.synth()).toThrow(GuardrailError);
    expect(stackFiles(fixture.app.outdir)).toEqual([]);
  });

  test('it sees what is added after it is installed (an override, a new stack)', () => {
    const fixture = buildFixture();
    enforceGuardrails(fixture.app, config('prod'));
    const late = new TerraformStack(fixture.app, 'late');
    new AwsProvider(late, 'aws', { region: 'us-east-1' });
    new EcrRepository(late, 'images', {
      name: 'late',
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(() => fixture.app.synth()).toThrow(/CART132 \[late\/images\]/);
  });

  test('warnings do not stop synth; the report is kept for main.ts and every stack is written', () => {
    const fixture = buildFixture();
    enforceGuardrails(fixture.app, config('dev'));
    fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
    fixture.app.synth();
    expect(Guardrails.reportOf(fixture.app)?.warnings.map((f) => `${f.ruleId} ${f.path}`)).toEqual([
      'CART132 cart/repository',
    ]);
    expect(stackFiles(fixture.app.outdir).sort()).toEqual(['cart', 'cart-workload', 'cluster', 'state']);
  });

  test('what the guardrails evaluated is exactly what synth wrote', () => {
    const fixture = buildFixture();
    fixture.stacks.cart.addOverride('resource.aws_ecr_repository.repository.force_delete', false);
    Aspects.of(fixture.stacks.cluster).add({
      visit: (node) => {
        if (node instanceof EksCluster) node.addOverride('tags.Audited', 'yes');
      },
    });
    enforceGuardrails(fixture.app, config('prod'));
    fixture.app.synth();
    const report = Guardrails.reportOf(fixture.app);
    for (const stack of report?.stacks ?? []) {
      const written: unknown = JSON.parse(readFileSync(join(fixture.app.outdir, stack.file), 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(stack.json)));
    }
    expect(report?.stacks.map((s) => s.name)).toEqual(['state', 'cluster', 'cart', 'cart-workload']);
  });

  test('aspects run once per construct across the guardrails pass and the synth after it', () => {
    const fixture = buildFixture();
    const visits: string[] = [];
    Aspects.of(fixture.stacks.cart).add({
      visit: (node) => {
        if (node instanceof EcrRepository) {
          visits.push(node.node.path);
          node.addOverride('tags', { Team: 'cart' });
        }
      },
    });
    checkGuardrails(fixture.app, config('prod'));
    enforceGuardrails(fixture.app, config('prod'));
    fixture.app.synth();
    expect(visits).toEqual(['cart/repository']);
    const written = JSON.parse(readFileSync(join(fixture.app.outdir, 'stacks/cart/cdk.tf.json'), 'utf8')) as {
      resource: { aws_ecr_repository: { repository: { tags: unknown } } };
    };
    expect(written.resource.aws_ecr_repository.repository.tags).toEqual({ Team: 'cart' });
  });
});

describe('docs/guardrails.md', () => {
  const docs = readFileSync(join(__dirname, '../../../docs/guardrails.md'), 'utf8');
  const cell = (severity: string) => (severity === 'off' ? '—' : severity);

  test.each(RULES.map((r) => [r.id, r] as const))(
    'has the row of %s with its severities and Checkov ids',
    (id, rule) => {
      const row = docs.split('\n').find((line) => line.startsWith(`| ${id} `));
      expect(row).toBeDefined();
      const cells = (row as string).split('|').map((c) => c.trim());
      expect(cells.slice(4, 7)).toEqual(
        [config('dev'), config('prod'), config('local')].map((p) => cell(p.severities[rule.category])),
      );
      for (const checkov of rule.checkov.filter((c) => !/^CKV_AWS_5[3-6]$/.test(c))) {
        expect(cells[7]).toContain(checkov);
      }
    },
  );
});
