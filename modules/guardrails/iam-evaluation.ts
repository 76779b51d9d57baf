/**
 * Evaluating statements the way IAM does for one action on one resource: wildcards in actions (case-insensitive)
 * and resources, `NotAction`/`NotResource`, an explicit Deny (without conditions) winning over any Allow, and a
 * permissions boundary that must allow it too. Conditions on an Allow are taken as satisfied.
 *
 * References in resource ARNs are replaced before matching: a table's `arn` attribute by the ARN the table will
 * have (its region and name known, its account not), anything else Terraform computes by an UNKNOWN marker that
 * matches like `*` when asking "is this table covered?" and never counts as a wildcard when asking "does this reach
 * other tables?".
 */
import { regionOf } from './aws-context';
import { globMatch } from './iam-actions';
import type { Statement } from './iam-documents';
import type { RolePermissions } from './iam-roles';
import type { ElementView, SynthesizedApp } from './synthesized-app';

export const UNKNOWN = '\u2047';

/** A resource the rules ask about: `arn:<partition>:<service>:<region>:<account>:<resource>`, parts unknown allowed. */
export interface ArnTarget {
  readonly service: string;
  readonly region?: string;
  readonly account?: string;
  readonly resource: string;
}

/** A statement's resource with its references replaced (see the file comment). */
export function resourcePattern(app: SynthesizedApp, raw: string, near: ElementView): string {
  return app.substitute(raw, near, (resolution) => {
    if (resolution.kind !== 'attribute' || resolution.element.type !== 'aws_dynamodb_table') return UNKNOWN;
    const table = resolution.element;
    const name = app.literal(table.config.name, table) ?? UNKNOWN;
    const region = regionOf(app, table) ?? UNKNOWN;
    const base = `arn:aws:dynamodb:${region}:${UNKNOWN}:table/${name}`;
    const attribute = resolution.attribute.join('.');
    if (attribute === 'arn') return base;
    if (attribute === 'stream_arn') return `${base}/stream/${UNKNOWN}`;
    return UNKNOWN;
  });
}

export interface ArnParts {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN pattern; `*` is every part `*`; undefined when it is not an ARN. */
export function arnParts(pattern: string): ArnParts | undefined {
  if (pattern === '*') return { service: '*', region: '*', account: '*', resource: '*' };
  const parts = pattern.split(':');
  if (parts.length < 6 || !globMatch(parts[0], 'arn')) return undefined;
  return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

function partCovers(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  return value === undefined || globMatch(pattern.split(UNKNOWN).join('*'), value, ignoreCase);
}

export function patternCovers(pattern: string, target: ArnTarget): boolean {
  const parts = arnParts(pattern);
  if (parts === undefined) return pattern.includes(UNKNOWN);
  return (
    partCovers(parts.service, target.service, true) &&
    partCovers(parts.region, target.region) &&
    partCovers(parts.account, target.account) &&
    partCovers(parts.resource, target.resource)
  );
}

export function actionMatches(statement: Statement, action: string): boolean {
  if (statement.actions !== undefined) return statement.actions.some((a) => globMatch(a, action, true));
  if (statement.notActions !== undefined)
    return !statement.notActions.some((a) => globMatch(a, action, true));
  return false;
}

export function resourceApplies(app: SynthesizedApp, statement: Statement, target: ArnTarget): boolean {
  const covers = (raw: string) => patternCovers(resourcePattern(app, raw, statement.source), target);
  if (statement.resources !== undefined) return statement.resources.some(covers);
  if (statement.notResources !== undefined) return !statement.notResources.some(covers);
  return false;
}

/** Allowed by some Allow statement and not denied by an unconditional Deny. */
export function isAllowed(
  app: SynthesizedApp,
  statements: readonly Statement[],
  action: string,
  target: ArnTarget,
): boolean {
  const matching = statements.filter((s) => actionMatches(s, action) && resourceApplies(app, s, target));
  return (
    matching.some((s) => s.effect === 'Allow') &&
    !matching.some((s) => s.effect === 'Deny' && s.conditions.length === 0)
  );
}

/** What the role may do: its policies allow it and its boundary (if any) allows it too. */
export function roleAllows(
  app: SynthesizedApp,
  permissions: RolePermissions,
  action: string,
  target: ArnTarget,
) {
  const byPolicies = isAllowed(app, permissions.statements, action, target);
  const byBoundary =
    permissions.boundary === undefined || isAllowed(app, permissions.boundary, action, target);
  return { allowed: byPolicies && byBoundary, byPolicies, byBoundary };
}
