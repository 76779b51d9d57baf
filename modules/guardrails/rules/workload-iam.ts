/**
 * The cart's IAM role, as IAM will evaluate it: every action the service calls allowed on its table and index
 * (CART006), and nothing broader — no table administration, no other tables, no `Resource: "*"` for actions that
 * can be scoped (CART007). Permissions come from every attachment form; a permissions boundary caps them.
 */
import { CUSTOMER_INDEX_NAME, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { knownAccount, regionOf } from '../aws-context';
import { cartContainers, cartTables, tableName, tableOf } from '../cart';
import { TABLE_ADMINISTRATION_ACTIONS, globMatch, isUnscopable } from '../iam-actions';
import type { Statement } from '../iam-documents';
import { UNKNOWN, arnParts, isAllowed, resourcePattern, roleAllows, type ArnTarget } from '../iam-evaluation';
import { rolePermissions, type RolePermissions } from '../iam-roles';
import { foreignTablesUnder, instanceTablePrefix } from '../instance-tables';
import { bindings, bindingsOf } from '../identity';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { unique } from './violations';

/** The only action the service runs on the index (reading a cart follows every page of a Query). */
export const INDEX_ACTIONS = ['dynamodb:Query'] as const;

interface CartRole {
  readonly role: ElementView;
  /** The cart tables its pods use (all cart tables when unknown). */
  readonly tables: ElementView[];
  readonly workloads: string[];
}

/** Roles the cart's pods run with, and roles whose policies name a cart table. */
function cartRoles(app: SynthesizedApp): CartRole[] {
  const byRole = new Map<ElementView, CartRole>();
  const add = (role: ElementView, table: ElementView | undefined, workload?: string) => {
    const entry = byRole.get(role) ?? { role, tables: [], workloads: [] };
    if (table !== undefined && !entry.tables.includes(table)) entry.tables.push(table);
    if (workload !== undefined && !entry.workloads.includes(workload)) entry.workloads.push(workload);
    byRole.set(role, entry);
  };
  for (const view of cartContainers(app)) {
    for (const b of bindingsOf(app, view.pod))
      if (b.role !== undefined) add(b.role, tableOf(app, view), view.pod.source.path);
  }
  const tables = cartTables(app);
  for (const b of bindings(app)) {
    const role = b.role;
    if (role === undefined || byRole.has(role)) continue;
    const permissions = rolePermissions(app, role);
    if (
      permissions.statements.some((s) =>
        (s.resources ?? []).some((r) => tables.some((t) => app.mentions(r, t, s.source))),
      )
    ) {
      add(role, undefined);
    }
  }
  return [...byRole.values()].map((r) => ({ ...r, tables: r.tables.length > 0 ? r.tables : tables }));
}

function tableTarget(app: SynthesizedApp, table: ElementView, suffix = ''): ArnTarget {
  return {
    service: 'dynamodb',
    region: regionOf(app, table),
    account: knownAccount(app),
    resource: `table/${tableName(app, table) ?? UNKNOWN}${suffix}`,
  };
}

/** Why an action is not allowed: the policies, or the boundary. */
function missing(
  app: SynthesizedApp,
  permissions: RolePermissions,
  actions: readonly string[],
  target: ArnTarget,
) {
  return actions.flatMap((action) => {
    const verdict = roleAllows(app, permissions, action, target);
    if (verdict.allowed) return [];
    const why = verdict.byPolicies ? ' (cut by its permissions boundary)' : '';
    return [`${action} on ${target.resource}${why}`];
  });
}

/** Resource patterns that name the table in another region or account: the usual cause of a "missing" grant. */
function elsewhere(app: SynthesizedApp, permissions: RolePermissions, table: ElementView): string[] {
  const name = tableName(app, table);
  const target = tableTarget(app, table);
  return permissions.statements.flatMap((s) =>
    (s.resources ?? []).flatMap((raw) => {
      const parts = arnParts(resourcePattern(app, raw, s.source));
      if (parts === undefined || name === undefined || !globMatch(parts.resource, `table/${name}`)) return [];
      const region =
        target.region !== undefined && !globMatch(parts.region.split(UNKNOWN).join('*'), target.region);
      const account =
        target.account !== undefined && !globMatch(parts.account.split(UNKNOWN).join('*'), target.account);
      return region || account
        ? [`${raw} names ${region ? `region ${parts.region}` : `account ${parts.account}`}`]
        : [];
    }),
  );
}

export const missingActions: GuardrailRule = {
  id: 'CART006',
  title: "The cart's role allows every action the service calls, on the table and its index",
  prevents:
    '`AccessDeniedException: User: arn:aws:sts::…:assumed-role/<role>/… is not authorized to perform: dynamodb:Query on resource: …/index/idx_global_customerId` at start or on the first cart request.',
  fix: `grant the table's read-write data actions (cartTable.grantReadWriteData(identity)): ${REQUIRED_DYNAMODB_ACTIONS.join(', ')} on the table ARN and "<table ARN>/index/*".`,
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    return cartRoles(app).flatMap(({ role, tables, workloads }): Violation[] => {
      if (workloads.length === 0) return [];
      const permissions = rolePermissions(app, role);
      if (permissions.unreadable.length > 0 || permissions.boundaryUnreadable) return [];
      return tables.flatMap((table) => {
        const gaps = [
          ...missing(app, permissions, REQUIRED_DYNAMODB_ACTIONS, tableTarget(app, table)),
          ...missing(
            app,
            permissions,
            INDEX_ACTIONS,
            tableTarget(app, table, `/index/${CUSTOMER_INDEX_NAME}`),
          ),
        ];
        if (gaps.length === 0) return [];
        const hints = elsewhere(app, permissions, table);
        return [
          {
            element: role,
            message: `the role of the cart in ${workloads.join(', ')} does not allow ${gaps.join(', ')}${permissions.boundary === undefined ? '' : ' (its permissions boundary is part of the evaluation)'}${hints.length > 0 ? `; ${hints.join('; ')}` : ''}.`,
            effect: `\`AccessDeniedException: … is not authorized to perform: ${gaps[0].split(' ')[0]}\` at start or on the first cart request.`,
            fix: missingActions.fix,
          },
        ];
      });
    });
  },
};

const shownResource = (pattern: string) => pattern.split(UNKNOWN).join('…');

/** What one Allow statement grants beyond the cart's table. */
function breadth(
  app: SynthesizedApp,
  s: Statement,
  own: ElementView[],
  boundary?: readonly Statement[],
): { problems: string[]; star: boolean } {
  const names = own.map((t) => tableName(app, t));
  const region = own.map((t) => regionOf(app, t)).find((r) => r !== undefined);
  const capped = (action: string, target: ArnTarget) =>
    boundary !== undefined && !isAllowed(app, boundary, action, target);
  const probeTable: ArnTarget = { service: 'dynamodb', region, resource: 'table/zzq-other-table' };
  const ownTarget = own[0] === undefined ? probeTable : tableTarget(app, own[0]);
  const problems: string[] = [];
  const everything = (s.actions ?? []).includes('*') || s.notActions !== undefined;
  if (everything && !capped('dynamodb:DeleteTable', probeTable)) {
    problems.push(
      s.notActions !== undefined
        ? `every action but ${s.notActions.join(', ')} (NotAction)`
        : 'every action ("*")',
    );
  }
  const admin = TABLE_ADMINISTRATION_ACTIONS.filter(
    (a) => (s.actions ?? []).some((p) => p !== '*' && globMatch(p, a, true)) && !capped(a, ownTarget),
  );
  if (!everything && admin.length > 0) {
    const patterns = (s.actions ?? []).filter((p) => admin.some((a) => globMatch(p, a, true)));
    problems.push(
      `${patterns.map((p) => `"${p}"`).join(', ')} — table administration (${admin.slice(0, 4).join(', ')}${admin.length > 4 ? ', …' : ''})`,
    );
  }
  let star = false;
  for (const raw of s.resources ?? []) {
    const pattern = resourcePattern(app, raw, s.source);
    if (pattern === '*') {
      const scopable = s.actions === undefined ? ['NotAction'] : s.actions.filter((a) => !isUnscopable(a));
      if (
        scopable.length > 0 &&
        !capped(
          scopable[0].toLowerCase().startsWith('dynamodb') ? scopable[0] : 'dynamodb:GetItem',
          probeTable,
        )
      ) {
        problems.push(`${scopable.join(', ')} on Resource "*"`);
        star = true;
      }
      continue;
    }
    const shared = instancePattern(app, pattern);
    const reach = shared === undefined ? otherTables(pattern, names) : (shared ?? undefined);
    if (reach !== undefined && !capped('dynamodb:GetItem', { ...probeTable, resource: reach.probe })) {
      problems.push(`${shownResource(pattern)}, which reaches ${reach.what}`);
    }
  }
  if (s.notResources !== undefined)
    problems.push(`NotResource ${s.notResources.join(', ')} (every other resource)`);
  return { problems, star };
}

/**
 * The team instances' shared pattern (`table/<cluster>-carts-*`): `null` when it reaches cart tables only, what
 * else it reaches when some table under the prefix is not a cart's, `undefined` when it is no such pattern.
 */
function instancePattern(
  app: SynthesizedApp,
  pattern: string,
): { what: string; probe: string } | null | undefined {
  const prefix = instanceTablePrefix(app, pattern);
  if (prefix === undefined) return undefined;
  const foreign = foreignTablesUnder(app, prefix);
  if (foreign.length === 0) return null;
  return {
    what: `table ${foreign.join(', ')} under the cart instances' prefix "${prefix}", which is not a cart's`,
    probe: `table/${foreign[0]}`,
  };
}

/** Whether a DynamoDB ARN pattern reaches a table other than the cart's, and a table it reaches. */
function otherTables(
  pattern: string,
  own: (string | undefined)[],
): { what: string; probe: string } | undefined {
  const parts = arnParts(pattern);
  if (parts === undefined || !globMatch(parts.service, 'dynamodb', true)) return undefined;
  for (const filler of ['zzq', 'table/zzq']) {
    const candidate = parts.resource.replace(/\*/g, filler).replace(/\?/g, 'q');
    const name = /^table\/([^/]+)/.exec(candidate)?.[1];
    if (name === undefined || name.includes(UNKNOWN) || own.includes(name)) continue;
    const wildcard = /[*?]/.test(parts.resource);
    return {
      what: wildcard ? `every table matching ${parts.resource}` : `table ${name}, which is not the cart's`,
      probe: `table/${name}`,
    };
  }
  // The cart's own table name in every region or account (`arn:aws:dynamodb:*:*:table/<name>`) is not held
  // against the role: such tables are rarely there, and cross-account access needs their owner's policy too.
  return undefined;
}

export const wildcardPermissions: GuardrailRule = {
  id: 'CART007',
  title:
    'The cart\'s role grants nothing beyond its table: no table administration, no other tables, no Resource "*"',
  prevents:
    "A stolen pod token can read, overwrite or delete every table in the account (`dynamodb:*` includes DeleteTable) — the guide's AmazonDynamoDBFullAccess shortcut.",
  fix: 'grant only the actions the service calls (cartTable.grantReadWriteData) on the table ARN and "<table ARN>/index/*"; never dynamodb:*, an AWS-managed FullAccess policy or Resource "*".',
  category: 'eks-wiring',
  checkov: ['CKV_AWS_355'],
  check(app) {
    return unique(
      cartRoles(app).flatMap(({ role, tables }) => {
        const permissions = rolePermissions(app, role);
        if (permissions.boundaryUnreadable) return [];
        return permissions.statements
          .filter((s) => s.effect === 'Allow')
          .flatMap((s): Violation[] => {
            const { problems, star } = breadth(app, s, tables, permissions.boundary);
            if (problems.length === 0) return [];
            return [
              {
                element: s.source,
                message: `the cart's role ${role.path} gets from ${s.origin}: ${problems.join('; ')}.`,
                effect:
                  'a stolen pod token (or a bug) can change or delete tables — the cart needs five data actions on one table and its index (`dynamodb:*` includes DeleteTable).',
                fix: wildcardPermissions.fix,
                checkov: star ? ['CKV_AWS_355'] : [],
              },
            ];
          });
      }),
    );
  },
};
