/**
 * The cart's IAM role: exactly the actions the service calls (its contract), on its table and index — no more.
 */
import { CUSTOMER_INDEX_NAME, REQUIRED_DYNAMODB_ACTIONS } from '@cart-platform/service/contract';
import { bindings, bindingsOf, cartTables, tableName } from '../cart';
import { isAllowed, rolePolicies, type Statement, type TableTarget } from '../iam';
import { cartContainers } from '../kubernetes';
import type { ElementView, SynthesizedApp } from '../synthesized-app';
import { type GuardrailRule, type Violation } from '../types';
import { configuredTable } from './wiring';

/** The only action the service runs on the index (reading a cart follows every page of a Query). */
export const INDEX_ACTIONS = ['dynamodb:Query'] as const;

/** AWS-managed policies that grant far more than the cart needs, as the statements they amount to. */
const BROAD_MANAGED_POLICIES: Readonly<Record<string, readonly string[]>> = {
  AdministratorAccess: ['*'],
  PowerUserAccess: ['*'],
  AmazonDynamoDBFullAccess: ['dynamodb:*'],
  AmazonDynamoDBFullAccess_v2: ['dynamodb:*'],
};

function managedPolicyName(arn: string): string | undefined {
  return /:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

/** A role's statements, with broad AWS-managed attachments expanded; `incomplete` when some are unreadable. */
function effectiveStatements(
  app: SynthesizedApp,
  role: ElementView,
): { statements: Statement[]; incomplete: boolean } {
  const policies = rolePolicies(app, role);
  let incomplete = policies.incomplete;
  const statements = [...policies.statements];
  for (const attached of policies.attachedArns) {
    const name = managedPolicyName(attached.arn);
    const actions = name === undefined ? undefined : BROAD_MANAGED_POLICIES[name];
    if (actions !== undefined) {
      statements.push({
        effect: 'Allow',
        actions,
        resources: ['*'],
        hasCondition: false,
        source: attached.source,
      });
    } else if (name === undefined) {
      // A customer policy the app does not define: it may grant what is missing.
      incomplete = true;
    }
  }
  return { statements, incomplete };
}

/** Roles the cart's pods run with, each with the table the pods are configured for. */
function cartRoles(app: SynthesizedApp): { role: ElementView; table?: ElementView; workload: ElementView }[] {
  const all = bindings(app);
  const tables = cartTables(app);
  return cartContainers(app).flatMap((cart) => {
    const configured = configuredTable(cart).name;
    const table = tables.find((t) => tableName(app, t) === configured);
    return bindingsOf(app, cart.pod, all).flatMap((b) =>
      b.role === undefined ? [] : [{ role: b.role, table, workload: cart.pod.workload }],
    );
  });
}

export const missingActions: GuardrailRule = {
  id: 'CART006',
  title: "The cart's role allows every action the service calls, on the table and its index",
  prevents:
    '`AccessDeniedException: User: arn:aws:sts::…:assumed-role/<role>/… is not authorized to perform: dynamodb:Query on resource: …/index/idx_global_customerId` at start or on the first cart request.',
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    const seen = new Set<string>();
    const violations: Violation[] = [];
    for (const { role, table, workload } of cartRoles(app)) {
      const name = table === undefined ? undefined : tableName(app, table);
      if (table === undefined || name === undefined || seen.has(`${role.path}|${table.path}`)) continue;
      seen.add(`${role.path}|${table.path}`);
      const { statements, incomplete } = effectiveStatements(app, role);
      if (incomplete) continue;
      const onTable: TableTarget = { table, name, suffix: '' };
      const onIndex: TableTarget = { table, name, suffix: `/index/${CUSTOMER_INDEX_NAME}` };
      const missing = [
        ...REQUIRED_DYNAMODB_ACTIONS.filter((a) => !isAllowed(app, statements, a, onTable)).map(
          (a) => `${a} on table/${name}`,
        ),
        ...INDEX_ACTIONS.filter((a) => !isAllowed(app, statements, a, onIndex)).map(
          (a) => `${a} on table/${name}/index/${CUSTOMER_INDEX_NAME}`,
        ),
      ];
      if (missing.length > 0) {
        violations.push({
          element: role,
          message: `the role of the cart in ${workload.path} does not allow ${missing.join(', ')}.`,
          fix: `grant the table's read-write data actions (cartTable.grantReadWriteData(identity)): ${REQUIRED_DYNAMODB_ACTIONS.join(', ')} on the table ARN and "<table ARN>/index/*".`,
        });
      }
    }
    return violations;
  },
};

export const wildcardPermissions: GuardrailRule = {
  id: 'CART007',
  title: 'The cart\'s role has no `dynamodb:*` (or `*`) action and no `Resource: "*"`',
  prevents:
    "A stolen pod token can read, overwrite or delete every table in the account (`dynamodb:*` includes DeleteTable) — the guide's AmazonDynamoDBFullAccess shortcut.",
  category: 'eks-wiring',
  checkov: ['CKV_AWS_355'],
  check(app) {
    const roles = new Map<string, ElementView>();
    for (const { role } of cartRoles(app)) roles.set(role.path, role);
    // Also the roles bound to pods whose policies name a cart table (even if the binding itself is wrong).
    const tables = cartTables(app);
    for (const binding of bindings(app)) {
      const role = binding.role;
      if (role === undefined) continue;
      const { statements } = effectiveStatements(app, role);
      const mentionsTable = statements.some((s) =>
        (s.resources ?? []).some((r) => tables.some((t) => app.mentions(r, t))),
      );
      if (mentionsTable) roles.set(role.path, role);
    }
    const violations: Violation[] = [];
    const seen = new Set<string>();
    const add = (v: Violation) => {
      const key = `${v.element.path}|${v.message}`;
      if (!seen.has(key)) violations.push(v);
      seen.add(key);
    };
    for (const role of roles.values()) {
      for (const s of effectiveStatements(app, role).statements.filter((st) => st.effect === 'Allow')) {
        const broad = (s.actions ?? []).filter((a) => a === '*' || a.toLowerCase() === 'dynamodb:*');
        if (broad.length > 0 || s.notActions !== undefined) {
          add({
            element: s.source,
            message: `the cart's role ${role.path} allows ${broad.length > 0 ? broad.map((a) => `"${a}"`).join(', ') : 'NotAction (every other action)'}.`,
            fix: 'grant only the actions the service calls (cartTable.grantReadWriteData); never dynamodb:* or an AWS-managed FullAccess policy.',
            checkov: [],
          });
        }
        if ((s.resources ?? []).includes('*') || s.notResources !== undefined) {
          add({
            element: s.source,
            message: `the cart's role ${role.path} allows ${(s.actions ?? ['NotAction']).join(', ')} on Resource "*".`,
            fix: 'scope every statement to the table ARN and "<table ARN>/index/*".',
            checkov: ['CKV_AWS_355'],
          });
        }
      }
    }
    return violations;
  },
};
