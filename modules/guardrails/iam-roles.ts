/**
 * The effective permissions of an IAM role as the app defines them: inline policies (`inline_policy` blocks and
 * `aws_iam_role_policy`), managed policies however attached (`aws_iam_role_policy_attachment`,
 * `aws_iam_policy_attachment`, `aws_iam_role_policy_attachments_exclusive`, the role's `managed_policy_arns`) —
 * customer policies of the app read from their documents, AWS-managed ones by ARN or through a `data.aws_iam_policy`
 * lookup — and the permissions boundary that caps them.
 */
import { AWS_MANAGED_POLICIES, awsManagedPolicyName } from './aws-managed-policies';
import { documentStatements, type Statement } from './iam-documents';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { blocks, strings } from './values';

export interface RolePermissions {
  readonly role: ElementView;
  /** Every identity-policy statement. */
  readonly statements: readonly Statement[];
  /** The permissions boundary's statements; undefined without a boundary. */
  readonly boundary?: readonly Statement[];
  /** Policies synth cannot read (outside the app, or unknown AWS-managed): absence of a permission is not proven. */
  readonly unreadable: readonly string[];
  /** True when the boundary itself cannot be read. */
  readonly boundaryUnreadable: boolean;
}

/** An attached managed policy, read. */
function managedPolicy(
  app: SynthesizedApp,
  arn: unknown,
  near: ElementView,
): { statements?: Statement[]; name: string } {
  const target = app.follow(arn, near);
  if (target?.element.type === 'aws_iam_policy' && target.element.kind === 'resource') {
    const policy = target.element;
    const origin = `aws_iam_policy ${policy.path}`;
    return { statements: documentStatements(app, policy.config.policy, policy, origin), name: origin };
  }
  const lookup =
    target?.element.type === 'aws_iam_policy' && target.element.kind === 'data' ? target.element : undefined;
  const literal = lookup === undefined ? app.literal(arn, near) : app.literal(lookup.config.arn, lookup);
  const name =
    (literal === undefined ? undefined : awsManagedPolicyName(literal)) ??
    (lookup === undefined ? undefined : app.literal(lookup.config.name, lookup));
  const grants = name === undefined ? undefined : AWS_MANAGED_POLICIES[name];
  if (name !== undefined && grants !== undefined) {
    const origin = `AWS-managed ${name}`;
    const statements = grants.map((g) => ({
      effect: 'Allow' as const,
      actions: g.actions,
      notActions: g.notActions,
      resources: ['*'],
      principals: {},
      conditions: [],
      source: near,
      origin,
    }));
    return { statements, name: origin };
  }
  // A customer policy of the app named by a literal ARN.
  const customer = literal === undefined ? undefined : /:policy\/(?:.*\/)?([^/]+)$/.exec(literal)?.[1];
  const defined = app
    .resources('aws_iam_policy')
    .find((p) => customer !== undefined && app.literal(p.config.name, p) === customer);
  if (defined !== undefined) return managedPolicy(app, `\${${defined.address}.arn}`, defined);
  return { name: literal ?? name ?? String(arn) };
}

/** Whether a value (a role name, id or ARN, by reference or literally) designates the role. */
function designates(app: SynthesizedApp, value: unknown, near: ElementView, role: ElementView): boolean {
  if (app.mentions(value, role, near)) return true;
  const name = app.literal(role.config.name, role);
  const literal = app.literal(value, near);
  return (
    name !== undefined && literal !== undefined && (literal === name || literal.endsWith(`:role/${name}`))
  );
}

/** The policy ARNs attached to the role, each with the element that attaches it. */
function attachedArns(app: SynthesizedApp, role: ElementView): { arn: unknown; near: ElementView }[] {
  const own = strings(role.config.managed_policy_arns).map((arn) => ({ arn, near: role }));
  const single = app
    .resources('aws_iam_role_policy_attachment')
    .filter((a) => designates(app, a.config.role, a, role))
    .map((a) => ({ arn: a.config.policy_arn, near: a }));
  const shared = app
    .resources('aws_iam_policy_attachment')
    .filter((a) => strings(a.config.roles).some((r) => designates(app, r, a, role)))
    .map((a) => ({ arn: a.config.policy_arn, near: a }));
  const exclusive = app
    .resources('aws_iam_role_policy_attachments_exclusive')
    .filter((a) => designates(app, a.config.role_name, a, role))
    .flatMap((a) => strings(a.config.policy_arns).map((arn) => ({ arn, near: a })));
  return [...own, ...single, ...shared, ...exclusive];
}

const memo = new WeakMap<SynthesizedApp, Map<ElementView, RolePermissions>>();

/** The role's permissions (computed once per guardrails pass). */
export function rolePermissions(app: SynthesizedApp, role: ElementView): RolePermissions {
  let byRole = memo.get(app);
  if (byRole === undefined) {
    byRole = new Map();
    memo.set(app, byRole);
  }
  const cached = byRole.get(role);
  if (cached !== undefined) return cached;
  const permissions = readRolePermissions(app, role);
  byRole.set(role, permissions);
  return permissions;
}

function readRolePermissions(app: SynthesizedApp, role: ElementView): RolePermissions {
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  const add = (found: Statement[] | undefined, name: string) =>
    found === undefined ? unreadable.push(name) : statements.push(...found);

  for (const inline of blocks(role.config.inline_policy)) {
    if (inline.policy !== undefined) {
      add(
        documentStatements(app, inline.policy, role, `inline_policy of ${role.path}`),
        `inline_policy of ${role.path}`,
      );
    }
  }
  for (const policy of app.resources('aws_iam_role_policy')) {
    if (!designates(app, policy.config.role, policy, role)) continue;
    const origin = `aws_iam_role_policy ${policy.path}${policy.addedByOverride ? ` (${policy.address})` : ''}`;
    add(documentStatements(app, policy.config.policy, policy, origin), origin);
  }
  for (const { arn, near } of attachedArns(app, role)) {
    const managed = managedPolicy(app, arn, near);
    add(
      managed.statements?.map((s) => ({
        ...s,
        source: s.origin.startsWith('AWS-managed') ? near : s.source,
      })),
      managed.name,
    );
  }
  const boundaryArn = role.config.permissions_boundary;
  const boundary = boundaryArn === undefined ? undefined : managedPolicy(app, boundaryArn, role);
  return {
    role,
    statements,
    boundary: boundary?.statements,
    unreadable,
    boundaryUnreadable: boundary !== undefined && boundary.statements === undefined,
  };
}
