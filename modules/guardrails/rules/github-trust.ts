/**
 * GitHub Actions' OIDC tokens are issued to every workflow of every repository on GitHub: a trust policy on
 * token.actions.githubusercontent.com that does not pin the `sub` claim to one repository lets anyone's workflow
 * assume the role.
 */
import { trustStatements } from '../identity';
import type { Statement } from '../iam-documents';
import { actionMatches } from '../iam-evaluation';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';

const GITHUB_HOST = 'token.actions.githubusercontent.com';
const SUB = `${GITHUB_HOST}:sub`;

/** Whether a Federated principal is GitHub's provider: by reference to the app's provider, or by ARN. */
function isGithubProvider(app: SynthesizedApp, principal: string, near: ElementView): boolean {
  const followed = app.follow(principal, near)?.element;
  if (followed?.type === 'aws_iam_openid_connect_provider') {
    return app.literal(followed.config.url, followed)?.replace(/^https:\/\//, '') === GITHUB_HOST;
  }
  return (app.literal(principal, near) ?? principal).endsWith(`:oidc-provider/${GITHUB_HOST}`);
}

function trustsGithub(app: SynthesizedApp, statement: Statement): boolean {
  if (statement.effect !== 'Allow' || !actionMatches(statement, 'sts:AssumeRoleWithWebIdentity'))
    return false;
  const federated = statement.principals.Federated ?? [];
  return (
    federated.some((p) => isGithubProvider(app, p, statement.source)) ||
    statement.conditions.some((c) => c.key.toLowerCase().startsWith(`${GITHUB_HOST}:`))
  );
}

/**
 * The `sub` patterns that admit more than one repository: a wildcard (StringLike) in `repo:<owner>/<name>`, or a
 * pattern that does not start with `repo:<owner>/<name>:` at all (`*`, `repo:*`).
 */
export function repositoryWildcards(statement: Statement): string[] {
  return statement.conditions
    .filter((c) => c.key.toLowerCase() === SUB && c.operator.startsWith('StringLike'))
    .flatMap((c) => c.values)
    .filter((value) => {
      const repository = /^repo:([^:]*):/.exec(value)?.[1];
      return repository === undefined || /[*?]/.test(repository);
    });
}

function problem(statement: Statement): string | undefined {
  // `Null` only tests presence: it pins nothing.
  const subs = statement.conditions.filter(
    (c) => c.key.toLowerCase() === SUB && !c.operator.endsWith('Null'),
  );
  if (subs.length === 0) return `trusts ${GITHUB_HOST} without a condition on ${SUB}`;
  const wide = repositoryWildcards(statement);
  if (wide.length > 0)
    return `trusts ${GITHUB_HOST} with ${SUB} like ${wide.map((w) => JSON.stringify(w)).join(', ')}, which admits any repository`;
  return undefined;
}

const FIX = `condition ${SUB} with StringEquals on exact subjects (repo:<owner>/<name>:ref:refs/heads/main, …:environment:<env>, …:pull_request) and ${GITHUB_HOST}:aud = sts.amazonaws.com (GithubActionsRole).`;

export const githubTrust: GuardrailRule = {
  id: 'CART011',
  title: 'GitHub Actions OIDC trust pinned to one repository',
  prevents:
    "any workflow of any GitHub repository assuming the role: GitHub signs tokens for everyone's workflows",
  fix: FIX,
  category: 'always',
  checkov: ['CKV_AWS_358'],
  check(app: SynthesizedApp): Violation[] {
    return app.resources('aws_iam_role').flatMap((role) =>
      (trustStatements(app, role) ?? [])
        .filter((statement) => trustsGithub(app, statement))
        .flatMap((statement) => {
          const message = problem(statement);
          return message === undefined ? [] : [{ element: role, message: `${message}.`, fix: FIX }];
        }),
    );
  },
};
