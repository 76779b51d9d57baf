/**
 * GitHub Actions' OIDC federation: the account's identity provider for `token.actions.githubusercontent.com`, and
 * IAM roles a workflow job assumes with its OIDC token (no stored keys). Each role trusts one repository, with
 * exact `sub` values (`repo:<owner>/<name>:ref:refs/heads/main`, `…:environment:prod`, `…:pull_request`).
 */
import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, type PolicyStatement } from './iam-policy';

/** The issuer host of GitHub Actions' OIDC tokens (the provider's URL without `https://`). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/** `owner/name` as GitHub allows it (no wildcards). */
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
/** A branch or environment name: no IAM wildcard characters, no `:` (the subject's separator). */
const SUBJECT_PART = /^[^*?:\s]{1,255}$/;

function unresolved(value: string): boolean {
  return value.includes('${');
}

/** Validates `owner/name`; throws naming the prop. */
export function requireRepository(where: string, value: string): void {
  if (!unresolved(value) && !REPOSITORY.test(value)) {
    throw new Error(
      `${where}: "${value}" is not a GitHub repository; expected owner/name (letters, digits, . _ -, no wildcards)`,
    );
  }
}

/** The token subjects a GitHub job presents, built so that no part can widen the match. */
export const githubSubject = {
  /** A job on a push to (or a workflow_run of) the branch, without a GitHub environment. */
  branch: (repository: string, branch: string) => subject(repository, 'ref', `refs/heads/${part(branch)}`),
  /** A job that runs in a GitHub environment (whose protection rules run first). */
  environment: (repository: string, environment: string) =>
    subject(repository, 'environment', part(environment)),
  /** A job on a pull_request event (same repository; forks get no token in the plan workflow). */
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
};

function subject(repository: string, kind: string, value: string): string {
  requireRepository('githubSubject repository', repository);
  return `repo:${repository}:${kind}:${value}`;
}

function part(value: string): string {
  if (!unresolved(value) && !SUBJECT_PART.test(value)) {
    throw new Error(
      `githubSubject: "${value}" may not contain *, ?, : or spaces (a branch or environment name)`,
    );
  }
  return value;
}

export interface GithubOidcProviderProps {
  /**
   * ARN of the account's existing provider for token.actions.githubusercontent.com (an account holds one per URL).
   * @default - a provider is created
   */
  readonly existingProviderArn?: string;
}

/**
 * The account's GitHub Actions OIDC provider, created or reused. No thumbprint: IAM trusts GitHub's issuer through
 * its own root CAs, and aws provider 5.x leaves `thumbprint_list` optional (IAM fills it).
 */
export class GithubOidcProvider extends Construct {
  /** The provider's ARN (the trust policies' Federated principal). */
  public readonly arn: string;
  /** The provider resource; undefined when an existing one is reused. */
  public readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    const existing = props.existingProviderArn;
    if (existing !== undefined) {
      if (!unresolved(existing) && !existing.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)) {
        throw new Error(
          `GithubOidcProvider existingProviderArn: "${existing}" is not a provider for ${GITHUB_OIDC_HOST}; expected arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`,
        );
      }
      this.arn = existing;
      return;
    }
    this.provider = new IamOpenidConnectProvider(this, 'provider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      tags: { Name: GITHUB_OIDC_HOST },
    });
    this.arn = this.provider.arn;
  }
}

export interface GithubActionsRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** What the role is for (the role's description). */
  readonly description: string;
  /** ARN of the GitHub OIDC provider. */
  readonly providerArn: string;
  /** The exact token subjects allowed (`githubSubject.*`); at least one, no wildcards. */
  readonly subjects: readonly string[];
  /** The role's inline policy. */
  readonly statements: readonly PolicyStatement[];
  /** Longest session in seconds. @default 3600 */
  readonly maxSessionDuration?: number;
}

/** An IAM role assumed by GitHub Actions jobs of one repository, matched with StringEquals on aud and sub. */
export class GithubActionsRole extends Construct {
  public readonly role: IamRole;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    if (props.subjects.length === 0) {
      throw new Error(`GithubActionsRole ${props.roleName} subjects: empty; give at least one exact subject`);
    }
    for (const value of props.subjects) {
      if (!unresolved(value) && (/[*?]/.test(value) || !value.startsWith('repo:'))) {
        throw new Error(
          `GithubActionsRole ${props.roleName} subjects: "${value}" — must be an exact repo:<owner>/<name>:… subject without * or ?`,
        );
      }
    }
    if (props.statements.length === 0) {
      throw new Error(`GithubActionsRole ${props.roleName} statements: empty; a role needs permissions`);
    }
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: policyDocument([
        {
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: { Federated: props.providerArn },
          conditions: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
              [`${GITHUB_OIDC_HOST}:sub`]:
                props.subjects.length === 1 ? props.subjects[0] : [...props.subjects],
            },
          },
        },
      ]),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'delivery',
      role: this.role.id,
      policy: policyDocument(props.statements),
    });
    this.arn = this.role.arn;
  }
}
