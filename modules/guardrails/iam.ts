/**
 * Reading IAM out of the synthesized configuration: a role's statements (inline policies, `aws_iam_role_policy`,
 * attached `aws_iam_policy`) and whether they allow an action on a resource, with IAM's wildcard matching.
 */
import { block, blocks, isObject, strings, type ElementView, type SynthesizedApp } from './synthesized-app';

export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly hasCondition: boolean;
  /** The resource whose policy holds the statement. */
  readonly source: ElementView;
}

/** A managed policy attached by ARN (AWS-managed, or a customer policy outside the app). */
export interface AttachedArn {
  readonly arn: string;
  readonly source: ElementView;
}

export interface RolePolicies {
  readonly statements: readonly Statement[];
  readonly attachedArns: readonly AttachedArn[];
  /** Some policy could not be read at synth (a data source's JSON): absence of a permission is not proven. */
  readonly incomplete: boolean;
}

/** Parses an IAM policy document (JSON string or object); `undefined` when it is not readable at synth. */
export function parsePolicy(document: unknown, source: ElementView): Statement[] | undefined {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (!isObject(parsed)) return undefined;
  const raw = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return raw.filter(isObject).map((s) => ({
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: s.Action === undefined ? undefined : strings(s.Action),
    notActions: s.NotAction === undefined ? undefined : strings(s.NotAction),
    resources: s.Resource === undefined ? undefined : strings(s.Resource),
    notResources: s.NotResource === undefined ? undefined : strings(s.NotResource),
    hasCondition: s.Condition !== undefined,
    source,
  }));
}

/** Everything attached to a role that the app itself defines. */
export function rolePolicies(app: SynthesizedApp, role: ElementView): RolePolicies {
  const statements: Statement[] = [];
  const attachedArns: AttachedArn[] = [];
  let incomplete = false;
  const add = (document: unknown, source: ElementView) => {
    const parsed = parsePolicy(document, source);
    if (parsed === undefined) incomplete = true;
    else statements.push(...parsed);
  };
  const roleName = app.literal(role.config.name, role);
  const isThisRole = (value: unknown, near: ElementView) =>
    app.mentions(value, role) || (roleName !== undefined && app.literal(value, near) === roleName);

  for (const inline of blocks(role.config.inline_policy)) add(inline.policy, role);
  for (const policy of app.resources('aws_iam_role_policy')) {
    if (isThisRole(policy.config.role, policy)) add(policy.config.policy, policy);
  }
  for (const attachment of app.resources('aws_iam_role_policy_attachment')) {
    if (!isThisRole(attachment.config.role, attachment)) continue;
    const arn = attachment.config.policy_arn;
    const managed = app.follow(arn, attachment);
    if (managed?.element.type === 'aws_iam_policy') add(managed.element.config.policy, managed.element);
    else if (typeof arn === 'string') attachedArns.push({ arn, source: attachment });
  }
  return { statements, attachedArns, incomplete };
}

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.actions !== undefined) return statement.actions.some((a) => globMatch(a, action, true));
  if (statement.notActions !== undefined)
    return !statement.notActions.some((a) => globMatch(a, action, true));
  return false;
}

/** The resource an action is checked against: a DynamoDB table (or one of its indexes) the app defines. */
export interface TableTarget {
  readonly table: ElementView;
  /** Literal table name. */
  readonly name: string;
  /** `''` for the table, `/index/<name>` for an index. */
  readonly suffix: string;
}

/**
 * Whether an ARN pattern from a policy covers the target. `${aws_dynamodb_table.<id>.arn}` becomes that table's
 * ARN; any other expression (partition, account id from a data source) counts as unknown and matches anything.
 */
export function resourceMatches(app: SynthesizedApp, pattern: string, target: TableTarget): boolean {
  if (pattern === '*') return true;
  const normalized = pattern.replace(/\$\{([^}]*)\}/g, (_expression, inner: string) => {
    const table = /^aws_dynamodb_table\.([A-Za-z0-9_-]+)\.arn$/.exec(inner);
    if (table === null) return '*';
    const element = app.resourceAt('aws_dynamodb_table', table[1], target.table);
    const name = element === undefined ? undefined : app.literal(element.config.name, element);
    return `arn:*:dynamodb:*:*:table/${name ?? '*'}`;
  });
  const wanted = `table/${target.name}${target.suffix}`;
  const parts = normalized.split(':');
  if (parts.length < 6) return globMatch(normalized, `arn:aws:dynamodb:*:*:${wanted}`);
  const [arn, , service] = parts;
  return arn === 'arn' && globMatch(service, 'dynamodb') && globMatch(parts.slice(5).join(':'), wanted);
}

function statementCovers(app: SynthesizedApp, statement: Statement, target: TableTarget): boolean {
  if (statement.resources !== undefined) {
    return statement.resources.some((r) => resourceMatches(app, r, target));
  }
  if (statement.notResources !== undefined) {
    return !statement.notResources.some((r) => resourceMatches(app, r, target));
  }
  return false;
}

/** Allowed by some Allow statement and not denied by an unconditional Deny. */
export function isAllowed(
  app: SynthesizedApp,
  statements: readonly Statement[],
  action: string,
  target: TableTarget,
): boolean {
  const matching = statements.filter((s) => actionMatches(s, action) && statementCovers(app, s, target));
  return (
    matching.some((s) => s.effect === 'Allow') &&
    !matching.some((s) => s.effect === 'Deny' && !s.hasCondition)
  );
}

/** The IAM role a value (an association's `role_arn`, an IRSA annotation) points at, when the app defines it. */
export function roleOf(app: SynthesizedApp, value: unknown, near: ElementView): ElementView | undefined {
  const followed = app.follow(value, near);
  if (followed?.element.type === 'aws_iam_role') return followed.element;
  const arn = app.literal(value, near);
  if (arn === undefined) return undefined;
  // A literal ARN of a role the app creates by name.
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  return app.resources('aws_iam_role').find((role) => app.literal(role.config.name, role) === name);
}

/** A policy document's statements, raw (conditions included); `[]` when it is not readable at synth. */
export function rawStatements(document: unknown): Record<string, unknown>[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  if (!isObject(parsed)) return [];
  return (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]).filter(isObject);
}

/** The `…:sub` values an IRSA trust policy accepts (`system:serviceaccount:<ns>:<sa>`), with the operator. */
export function irsaSubjects(role: ElementView): { values: string[]; like: boolean }[] {
  return rawStatements(role.config.assume_role_policy).flatMap((statement) => {
    const conditions = block(statement.Condition) ?? {};
    return Object.entries(conditions).flatMap(([operator, entries]) => {
      if (!isObject(entries)) return [];
      return Object.entries(entries)
        .filter(([key]) => key.endsWith(':sub'))
        .map(([, value]) => ({ values: strings(value), like: operator.startsWith('StringLike') }));
    });
  });
}
