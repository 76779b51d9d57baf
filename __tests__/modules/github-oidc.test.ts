import { Testing, TerraformStack } from 'cdktf';
import { describe, expect, test } from 'vitest';
import { GithubActionsRole, GithubOidcProvider, githubSubject } from '../../modules/github-oidc';
import { settingsFromVariables } from '../../stacks/config/settings';

const stack = () => new TerraformStack(Testing.app(), 'test');
const role = (subjects: string[]) =>
  new GithubActionsRole(stack(), 'role', {
    roleName: 'github-publisher',
    description: 'test',
    providerArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    subjects,
    statements: [{ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }],
  });

describe('githubSubject', () => {
  test('builds the subjects GitHub puts in its tokens', () => {
    expect(githubSubject.branch('acme/cart', 'main')).toBe('repo:acme/cart:ref:refs/heads/main');
    expect(githubSubject.environment('acme/cart', 'prod')).toBe('repo:acme/cart:environment:prod');
    expect(githubSubject.pullRequest('acme/cart')).toBe('repo:acme/cart:pull_request');
  });

  test.each([
    [
      () => githubSubject.branch('acme/*', 'main'),
      'githubSubject repository: "acme/*" is not a GitHub repository',
    ],
    [() => githubSubject.branch('*', 'main'), 'githubSubject repository: "*" is not a GitHub repository'],
    [
      () => githubSubject.branch('acme/cart', 'release/*'),
      'githubSubject: "release/*" may not contain *, ?, : or spaces',
    ],
    [
      () => githubSubject.environment('acme/cart', 'prod:x'),
      'githubSubject: "prod:x" may not contain *, ?, : or spaces',
    ],
  ])('refuses a part that widens the subject (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('GithubActionsRole', () => {
  test.each([
    [[], 'GithubActionsRole github-publisher subjects: empty; give at least one exact subject'],
    [
      ['repo:acme/*:pull_request'],
      'subjects: "repo:acme/*:pull_request" — must be an exact repo:<owner>/<name>:… subject without * or ?',
    ],
    [['*'], 'subjects: "*" — must be an exact repo:<owner>/<name>:… subject without * or ?'],
  ])('refuses subjects %j', (subjects, message) => {
    expect(() => role(subjects)).toThrow(message);
  });

  test('several subjects become one StringEquals list', () => {
    const created = role(['repo:acme/cart:pull_request', 'repo:acme/cart:environment:dev']);
    const json = JSON.parse(Testing.synth(created.node.scope as TerraformStack)) as {
      resource: { aws_iam_role: Record<string, { assume_role_policy: string }> };
    };
    const [only] = Object.values(json.resource.aws_iam_role);
    const trust = JSON.parse(only.assume_role_policy) as { Statement: { Condition: unknown }[] };
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:acme/cart:pull_request',
          'repo:acme/cart:environment:dev',
        ],
      },
    });
  });
});

describe('GithubOidcProvider', () => {
  test('refuses an existing provider of another issuer', () => {
    expect(
      () =>
        new GithubOidcProvider(stack(), 'p', {
          existingProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com',
        }),
    ).toThrow(
      'GithubOidcProvider existingProviderArn: "arn:aws:iam::123456789012:oidc-provider/example.com" is not a provider for token.actions.githubusercontent.com',
    );
  });
});

describe('CART_GITHUB_* settings', () => {
  test('become the delivery section', () => {
    const { overrides } = settingsFromVariables(
      'prod',
      {
        CART_GITHUB_REPOSITORY: 'acme/cart',
        CART_GITHUB_MAIN_BRANCH: 'trunk',
        CART_GITHUB_ENVIRONMENT: 'production',
        CART_GITHUB_OIDC_PROVIDER_ARN:
          'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      },
      () => undefined,
    );
    expect(overrides.delivery).toEqual({
      repository: 'acme/cart',
      mainBranch: 'trunk',
      githubEnvironment: 'production',
      oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    });
  });
});
