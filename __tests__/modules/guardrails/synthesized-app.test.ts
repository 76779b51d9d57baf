/** The guardrails' view of an app is what Terraform receives: final JSON, references followed across stacks. */
import { describe, expect, test } from 'vitest';
import { Aspects, TerraformLocal, TerraformVariable } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { SynthesizedApp } from '../../../modules/guardrails';
import { NAMESPACE, TABLE_NAME, buildFixture } from './fixture';

describe('SynthesizedApp', () => {
  test('an element only a stack-level override defines is attributed to its stack, with its address', () => {
    const fixture = buildFixture();
    fixture.stacks.cart.addOverride('resource.aws_iam_role_policy.hotfix', { role: 'x', policy: '{}' });
    const element = SynthesizedApp.of(fixture.app)
      .resources('aws_iam_role_policy')
      .find((e) => e.logicalId === 'hotfix');
    expect(element).toMatchObject({
      path: 'cart',
      address: 'aws_iam_role_policy.hotfix',
      addedByOverride: true,
    });
    expect(element?.construct).toBe(fixture.stacks.cart);
  });

  test('resource-level and stack-level overrides are both in the configuration', () => {
    const fixture = buildFixture();
    fixture.repository.addOverride('image_tag_mutability', 'MUTABLE');
    fixture.stacks.cart.addOverride('resource.aws_ecr_repository.repository.force_delete', true);
    const [repository] = SynthesizedApp.of(fixture.app).resources('aws_ecr_repository');
    expect([repository.config.image_tag_mutability, repository.config.force_delete]).toEqual([
      'MUTABLE',
      true,
    ]);
    expect(repository.addedByOverride).toBe(false);
  });

  test('a value read across stacks through terraform_remote_state resolves to the literal it comes from', () => {
    const fixture = buildFixture();
    const app = SynthesizedApp.of(fixture.app);
    const [config] = app.resources('kubernetes_config_map_v1');
    const tableName = (config.config.data as Record<string, string>)
      .RETAIL_CART_PERSISTENCE_DYNAMODB_TABLE_NAME;
    expect(tableName).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cart\.outputs\./,
    );
    expect(app.literal(tableName, config)).toBe(TABLE_NAME);
    expect(app.follow(tableName, config)?.element.path).toBe('cart/table');
    expect(app.follow(tableName, config)?.attribute).toEqual(['name']);
  });

  test('variables resolve to their default, locals to their value; count = 0 removes an element', () => {
    const fixture = buildFixture();
    const endpoint = new TerraformVariable(fixture.stacks.workload, 'endpoint', {
      type: 'string',
      default: '',
    });
    const host = new TerraformLocal(fixture.stacks.workload, 'host', 'dynamodb-local');
    const secret = new TerraformVariable(fixture.stacks.workload, 'secret', { type: 'string' });
    const config = new ConfigMapV1(fixture.stacks.workload, 'extra', {
      metadata: { name: 'extra', namespace: NAMESPACE },
      data: { A: endpoint.stringValue, B: `http://${host.asString}:8000`, C: secret.stringValue },
    });
    fixture.repository.addOverride('count', 0);
    const app = SynthesizedApp.of(fixture.app);
    const extra = app.resources('kubernetes_config_map_v1').find((e) => e.construct === config);
    const data = extra?.config.data as Record<string, unknown>;
    expect([app.literal(data.A, extra!), app.literal(data.B, extra!), app.literal(data.C, extra!)]).toEqual([
      '',
      'http://dynamodb-local:8000',
      undefined,
    ]);
    expect(app.resolve(data.C, extra!)).toMatchObject({ kind: 'variable' });
    expect(app.resources('aws_ecr_repository')).toEqual([]);
  });

  test('an aspect on the App itself is not run by cdktf, so the guardrails do not see it either', () => {
    const fixture = buildFixture();
    Aspects.of(fixture.app).add({
      visit: (node) =>
        node instanceof EcrRepository ? node.addOverride('image_tag_mutability', 'MUTABLE') : undefined,
    });
    const [repository] = SynthesizedApp.of(fixture.app).resources('aws_ecr_repository');
    expect(repository.config.image_tag_mutability).toBe('IMMUTABLE');
  });

  test('a scope inside a stack sees only its elements', () => {
    const fixture = buildFixture();
    expect(SynthesizedApp.of(fixture.repository).elements.map((e) => e.address)).toEqual([
      'aws_ecr_repository.repository',
    ]);
  });
});
