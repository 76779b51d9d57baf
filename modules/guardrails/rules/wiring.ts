/**
 * Cross-stack wiring of the cart: the table and region its pods are configured with must be the table the stacks
 * create, and its namespace/service account must be the one the Pod Identity association (or IRSA) names.
 * These compare resources of different stacks, so they run on the whole app.
 */
import { DEFAULT_TABLE_NAME, ENV } from '@cart-platform/service/contract';
import { bindings, bindingsOf, cartTables, describeBinding, podIdentity, regionOf, tableName } from '../cart';
import { globMatch, irsaSubjects } from '../iam';
import { cartContainers, type CartContainer } from '../kubernetes';
import { type GuardrailRule, type Violation } from '../types';

function unique(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.element.path}\n${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The table a cart container is configured with, and where that is set. */
export function configuredTable(cart: CartContainer): { name?: string; where: string } {
  const setting = cart.environment.get(ENV.tableName);
  if (setting === undefined) {
    return { name: DEFAULT_TABLE_NAME, where: `the default (${ENV.tableName} is not set)` };
  }
  return { name: setting.value, where: `${setting.where} ${ENV.tableName} in ${setting.source.path}` };
}

export const tableAndRegion: GuardrailRule = {
  id: 'CART004',
  title: 'The table name and region the cart is configured with are the table the stacks create',
  prevents:
    'The cart reads a table that does not exist (wrong name, or the right name in another region): `ResourceNotFoundException: Requested resource not found` at start.',
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    const tables = cartTables(app);
    if (tables.length === 0) return [];
    const created = tables.map(
      (t) => `"${tableName(app, t) ?? '?'}" (${t.path}, ${regionOf(app, t) ?? '?'})`,
    );
    return unique(
      cartContainers(app).flatMap((cart) => {
        const violations: Violation[] = [];
        const table = configuredTable(cart);
        const tableSetting = cart.environment.get(ENV.tableName);
        const element = tableSetting?.source ?? cart.pod.workload;
        if (table.name === undefined) return [];
        const matched = tables.filter((t) => tableName(app, t) === table.name);
        if (matched.length === 0) {
          violations.push({
            element,
            message: `the cart in ${cart.pod.workload.path} (container "${cart.container.name}") uses table "${table.name}" from ${table.where}, but the stacks create ${created.join(', ')}.`,
            fix: `set ${ENV.tableName} from the table resource's name (cartTable.tableName), not a hand-written name.`,
          });
        }
        const regionSetting = cart.environment.get(ENV.region) ?? cart.environment.get(ENV.defaultRegion);
        const candidates = matched.length > 0 ? matched : tables;
        const regions = candidates.map((t) => regionOf(app, t)).filter((r) => r !== undefined);
        if (
          regionSetting?.value !== undefined &&
          regions.length > 0 &&
          !regions.includes(regionSetting.value)
        ) {
          violations.push({
            element: regionSetting.source,
            message: `${regionSetting.where} sets ${regionSetting.name}="${regionSetting.value}" for the cart in ${cart.pod.workload.path}, but its table is in ${[...new Set(regions)].join(', ')}.`,
            fix: `set ${regionSetting.name} to the region of the table's AWS provider (config.region).`,
          });
        }
        return violations;
      }),
    );
  },
};

export const identityBinding: GuardrailRule = {
  id: 'CART005',
  title:
    "A Pod Identity association (or IRSA annotation and trust) names the cart's namespace and service account",
  prevents:
    "The pods get no AWS credentials — `CredentialsProviderError: Could not load credentials from any providers` (the CLI's `Unable to locate credentials`) — or, where IMDS is reachable, silently act as the node: `assumed-role/…node-group…/i-… is not authorized to perform: dynamodb:Query`. An IRSA trust for another subject fails with `Not authorized to perform sts:AssumeRoleWithWebIdentity`.",
  category: 'eks-wiring',
  checkov: [],
  check(app) {
    const all = bindings(app);
    const carts = cartContainers(app);
    const runsAs = new Map(
      carts.map((c) => {
        const id = podIdentity(app, c.pod);
        return [c.pod.workload.path, { pod: c.pod, ...id }];
      }),
    );
    const violations: Violation[] = [];
    for (const { pod, namespace, serviceAccount } of runsAs.values()) {
      if (namespace === undefined || serviceAccount === undefined) continue;
      const matching = bindingsOf(app, pod, all);
      if (matching.length === 0) {
        const others = all.length === 0 ? '' : ` (the app has: ${all.map(describeBinding).join('; ')})`;
        violations.push({
          element: pod.workload,
          message: `the cart runs as service account ${namespace}/${serviceAccount}, but no Pod Identity association or IRSA-annotated ServiceAccount names it${others}.`,
          fix: `associate the cart's role with namespace "${namespace}" and service account "${serviceAccount}" (WorkloadIdentity with the workload's namespace and serviceAccount), or run the pods as the associated service account.`,
        });
      }
      for (const binding of matching.filter((b) => b.kind === 'irsa' && b.role !== undefined)) {
        const subject = `system:serviceaccount:${namespace}:${serviceAccount}`;
        const subjects = irsaSubjects(binding.role!);
        const trusted = subjects.some((s) =>
          s.values.some((v) => (s.like ? globMatch(v, subject) : v === subject)),
        );
        if (subjects.length > 0 && !trusted) {
          violations.push({
            element: binding.element,
            message: `annotates role ${binding.role!.path}, whose trust policy accepts ${subjects.flatMap((s) => s.values).join(', ')}, not ${subject}.`,
            fix: `make the role's OIDC trust condition "<issuer>:sub" equal "${subject}" (WorkloadIdentity mode "irsa" with the same namespace and service account).`,
          });
        }
      }
    }
    // An association for the cart's role that names no cart pod: the usual typo ("cart" vs "carts").
    if (runsAs.size > 0) {
      const tables = cartTables(app);
      for (const binding of all) {
        const serves = [...runsAs.values()].some(
          (r) => r.namespace === binding.namespace && r.serviceAccount === binding.serviceAccount,
        );
        const role = binding.role;
        const cartRole =
          role !== undefined &&
          app
            .resources('aws_iam_role_policy')
            .some(
              (p) =>
                app.mentions(p.config.role, role) && tables.some((t) => app.mentions(p.config.policy, t)),
            );
        if (!serves && cartRole) {
          const pods = [...runsAs.values()].map(
            (r) => `${r.pod.workload.path} (${r.namespace}/${r.serviceAccount})`,
          );
          violations.push({
            element: binding.element,
            message: `gives the cart's role ${role.path} to ${binding.namespace ?? '?'}/${binding.serviceAccount ?? '?'}, but the cart runs as ${pods.join(', ')}.`,
            fix: "use the cart workload's namespace and service account (config.cart.namespace / config.cart.serviceAccount) on both sides.",
          });
        }
      }
    }
    return unique(violations);
  },
};
