import { describe, expect, test } from 'vitest';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { GUARDRAIL_POLICIES, applyGuardrails } from '../../../modules/guardrails';
import { GithubActionsRole, githubSubject } from '../../../modules/github-oidc';
import { buildFixture } from './fixture';

const HOST = 'token.actions.githubusercontent.com';
const AUD = { StringEquals: { [`${HOST}:aud`]: 'sts.amazonaws.com' } };

/** CART011 messages of a prod pass over the clean fixture plus one role trusting GitHub with `condition`. */
function cart011(condition: Record<string, unknown>, federated?: string): string[] {
  const f = buildFixture();
  const provider = new IamOpenidConnectProvider(f.stacks.cart, 'github', {
    url: `https://${HOST}`,
    clientIdList: ['sts.amazonaws.com'],
  });
  new IamRole(f.stacks.cart, 'github-role', {
    name: 'github-deployer',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: federated ?? provider.arn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: condition,
        },
      ],
    }),
  });
  const report = applyGuardrails(f.app, {
    ...GUARDRAIL_POLICIES.production,
    severities: { ...GUARDRAIL_POLICIES.production.severities, always: 'warning' },
  });
  return report.findings.filter((x) => x.ruleId === 'CART011').map((x) => x.problem);
}

const sub = (operator: string, value: string | string[]) => ({
  ...AUD,
  [operator]: { [`${HOST}:sub`]: value },
});

describe('CART011: a GitHub OIDC trust must pin the repository', () => {
  test.each([
    ['no sub condition', AUD, `trusts ${HOST} without a condition on ${HOST}:sub.`],
    [
      'only a Null test of sub',
      { ...AUD, Null: { [`${HOST}:sub`]: 'false' } },
      `trusts ${HOST} without a condition on ${HOST}:sub.`,
    ],
    [
      'sub like *',
      sub('StringLike', '*'),
      `trusts ${HOST} with ${HOST}:sub like "*", which admits any repository.`,
    ],
    [
      'sub like repo:*',
      sub('StringLike', 'repo:*'),
      `trusts ${HOST} with ${HOST}:sub like "repo:*", which admits any repository.`,
    ],
    [
      'any owner',
      sub('StringLike', 'repo:*/cart:ref:refs/heads/main'),
      `trusts ${HOST} with ${HOST}:sub like "repo:*/cart:ref:refs/heads/main", which admits any repository.`,
    ],
    [
      'any repository of the owner',
      sub('StringLike', ['repo:acme/cart:pull_request', 'repo:acme/*:pull_request']),
      `trusts ${HOST} with ${HOST}:sub like "repo:acme/*:pull_request", which admits any repository.`,
    ],
  ])('refuses %s', (_what, condition, message) => {
    expect(cart011(condition)).toEqual([message]);
  });

  test('recognizes the provider by a literal ARN too', () => {
    expect(cart011(AUD, `arn:aws:iam::123456789012:oidc-provider/${HOST}`)).toEqual([
      `trusts ${HOST} without a condition on ${HOST}:sub.`,
    ]);
  });

  test.each([
    ['an exact branch', sub('StringEquals', 'repo:acme/cart:ref:refs/heads/main')],
    ['an exact environment', sub('StringEquals', 'repo:acme/cart:environment:prod')],
    ['a wildcard after the repository (any branch of acme/cart)', sub('StringLike', 'repo:acme/cart:*')],
  ])('accepts %s', (_what, condition) => {
    expect(cart011(condition)).toEqual([]);
  });

  test('GithubActionsRole passes', () => {
    const f = buildFixture();
    const provider = new IamOpenidConnectProvider(f.stacks.cart, 'github', {
      url: `https://${HOST}`,
      clientIdList: ['sts.amazonaws.com'],
    });
    new GithubActionsRole(f.stacks.cart, 'publisher', {
      roleName: 'github-publisher',
      description: 'test',
      providerArn: provider.arn,
      subjects: [githubSubject.branch('acme/cart', 'main')],
      statements: [{ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }],
    });
    expect(applyGuardrails(f.app, GUARDRAIL_POLICIES.production).findings).toEqual([]);
  });
});
