/**
 * The cart's table and region: what its pods are configured with must be a table the stacks create, in the region
 * it is created in — compared across stacks, read the way the service reads its variables.
 */
import { ENV } from '@cart-platform/service/contract';
import { AWS_REGION } from '@cart-platform/service/validators';
import { regionOf } from '../aws-context';
import {
  cartContainers,
  cartTables,
  configuredRegion,
  configuredTable,
  describeContainer,
  tableName,
} from '../cart';
import { describeValue } from '../environment';
import type { ContainerView } from '../kubernetes-model';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { unique } from './violations';

const TABLE_EFFECT =
  'the cart reads a table that does not exist (wrong name, or the right name in another region): `ResourceNotFoundException: Requested resource not found` at start.';

function tableViolations(app: SynthesizedApp, view: ContainerView): Violation[] {
  const tables = cartTables(app);
  const table = configuredTable(view);
  if (tables.length === 0 || table.name === undefined) return [];
  const matched = tables.filter((t) => tableName(app, t) === table.name);
  const violations: Violation[] = [];
  if (matched.length === 0) {
    const created = tables.map(
      (t) => `"${tableName(app, t) ?? '?'}" (${t.path}, ${regionOf(app, t) ?? '?'})`,
    );
    violations.push({
      element: table.setting?.source ?? view.pod.source,
      message: `the cart in ${describeContainer(view)} uses table "${table.name}" from ${table.where}, but the stacks create ${created.join(', ')}.`,
      effect: TABLE_EFFECT,
      fix: `set ${ENV.tableName} from the table resource's name (cartTable.tableName), not a hand-written name.`,
    });
  }
  const region = configuredRegion(view);
  if (region?.text === undefined) return violations;
  const text = region.text.trim();
  if (!AWS_REGION.pattern.test(text)) {
    violations.push({
      element: region.source,
      message: `${region.where} sets ${region.name}=${describeValue(region)} for the cart in ${describeContainer(view)}: not ${AWS_REGION.expected}.`,
      effect: `the service refuses to start: \`Invalid configuration: ${region.name}=${JSON.stringify(region.text)} is not allowed\` (CrashLoopBackOff).`,
      fix: `set ${region.name} to the region of the table's AWS provider (config.region).`,
    });
    return violations;
  }
  const regions = [
    ...new Set(
      (matched.length > 0 ? matched : tables).map((t) => regionOf(app, t)).filter((r) => r !== undefined),
    ),
  ];
  if (regions.length > 0 && !regions.includes(text)) {
    violations.push({
      element: region.source,
      message: `${region.where} sets ${region.name}="${text}" for the cart in ${describeContainer(view)}, but its table is in ${regions.join(', ')}.`,
      effect: TABLE_EFFECT,
      fix: `set ${region.name} to the region of the table's AWS provider (config.region).`,
    });
  }
  return violations;
}

export const tableAndRegion: GuardrailRule = {
  id: 'CART004',
  title: 'The table name and region the cart is configured with are the table the stacks create',
  prevents:
    'The cart reads a table that does not exist (wrong name, or the right name in another region): `ResourceNotFoundException: Requested resource not found` at start.',
  fix: `set ${ENV.tableName} from the table resource's name and ${ENV.region} to the table's region.`,
  category: 'eks-wiring',
  checkov: [],
  check: (app) => unique(cartContainers(app).flatMap((view) => tableViolations(app, view))),
};
