/**
 * The team instances' table pattern (docs/cart.md, "Team instances"): one role shared by every instance may name
 * `table/<cluster>-carts-*` (and its `/index/*`) instead of each table, when the prefix is an EKS cluster's of the
 * app, region and account are literal, and every table of the app under the prefix is a cart table.
 */
import { CART_INSTANCE_INFIX } from '../cart-instance';
import { cartTables, tableName } from './cart';
import { UNKNOWN, arnParts } from './iam-evaluation';
import type { SynthesizedApp } from './synthesized-app';

/** Tables of the app (any table resource) whose literal name starts with `prefix`. */
function tablesUnder(app: SynthesizedApp, prefix: string): string[] {
  return app
    .resources('aws_dynamodb_table')
    .map((table) => tableName(app, table))
    .filter((name): name is string => name !== undefined && name.startsWith(prefix));
}

/**
 * The instance prefix a DynamoDB ARN pattern names (`table/<cluster>-carts-*`, `…/index/*`), when it is one;
 * `undefined` for any other pattern.
 */
export function instanceTablePrefix(app: SynthesizedApp, pattern: string): string | undefined {
  const parts = arnParts(pattern);
  if (parts === undefined || parts.service !== 'dynamodb') return undefined;
  if ([parts.region, parts.account].some((p) => /[*?]/.test(p) || p.includes(UNKNOWN))) return undefined;
  const prefix = /^table\/([A-Za-z0-9_.-]+)\*(\/index\/\*)?$/.exec(parts.resource)?.[1];
  if (prefix === undefined) return undefined;
  const clusters = app.resources('aws_eks_cluster').map((c) => app.literal(c.config.name, c));
  return clusters.some((name) => name !== undefined && prefix === `${name}${CART_INSTANCE_INFIX}`)
    ? prefix
    : undefined;
}

/** Tables under an instance prefix that are not cart tables (what a shared role would wrongly reach). */
export function foreignTablesUnder(app: SynthesizedApp, prefix: string): string[] {
  const carts = new Set(cartTables(app).map((t) => tableName(app, t)));
  return tablesUnder(app, prefix).filter((name) => !carts.has(name));
}
