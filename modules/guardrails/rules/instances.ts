/**
 * Team instances (docs/cart.md, "Team instances") stay apart: every cart workload reads its own instance's table.
 * CART004 proves each configured table exists; this rule proves no two namespaces' carts share one, which is what
 * a copy-pasted ConfigMap or an instance wired to its neighbour's table output would do.
 */
import { ENV } from '@cart-platform/service/contract';
import { cartContainers, configuredTable, describeContainer } from '../cart';
import type { ContainerView } from '../kubernetes-model';
import type { SynthesizedApp } from '../synthesized-app';
import type { GuardrailRule, Violation } from '../types';
import { unique } from './violations';

/** The cart containers of each configured table, by namespace (in the order the app defines them). */
function namespacesByTable(app: SynthesizedApp): Map<string, Map<string, ContainerView[]>> {
  const byTable = new Map<string, Map<string, ContainerView[]>>();
  for (const view of cartContainers(app)) {
    const table = configuredTable(view).name;
    const namespace = view.pod.namespace;
    if (table === undefined || namespace === undefined) continue;
    const namespaces = byTable.get(table) ?? new Map<string, ContainerView[]>();
    namespaces.set(namespace, [...(namespaces.get(namespace) ?? []), view]);
    byTable.set(table, namespaces);
  }
  return byTable;
}

function sharedTableViolations(app: SynthesizedApp): Violation[] {
  const violations: Violation[] = [];
  for (const [table, namespaces] of namespacesByTable(app)) {
    if (namespaces.size < 2) continue;
    const [owner, ...others] = [...namespaces.keys()];
    for (const namespace of others) {
      for (const view of namespaces.get(namespace) ?? []) {
        const where = configuredTable(view);
        violations.push({
          element: where.setting?.source ?? view.pod.source,
          message: `the cart in ${describeContainer(view)} (namespace "${namespace}") uses table "${table}" (${where.where}), which the cart in namespace "${owner}" uses too.`,
          effect: instanceIsolation.prevents,
          fix: instanceIsolation.fix,
        });
      }
    }
  }
  return violations;
}

export const instanceIsolation: GuardrailRule = {
  id: 'CART014',
  title: 'Each cart instance has a table of its own: carts in different namespaces use different tables',
  prevents:
    "Two teams' carts read and write one table: a customer's lines added through one instance show up through the other, and one team's load throttles the other's.",
  fix: `give each instance its own table (cart.instances: <cluster>-carts-<instance>) and set each instance's ${ENV.tableName} from its own table's name.`,
  category: 'eks-wiring',
  checkov: [],
  check: (app) => unique(sharedTableViolations(app)),
};
