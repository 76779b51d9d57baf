/**
 * Team instances of the cart (`cart.instances`), as in the workshop's kro lab: each team gets its own namespace,
 * table, ServiceAccount and workload; all share the environment's image repository and, by default, one IAM role
 * scoped to the `<cluster>-carts-*` tables.
 *
 * An empty list is the implicit instance: today's single cart, with today's names (`cart.tableName`,
 * `cart.namespace`) and Terraform addresses. docs/cart.md ("Team instances") has the naming and the trade-offs.
 */
import { z } from 'zod';
import { DNS_LABEL, HOSTNAME } from '@cart-platform/service/validators';
import { CART_INSTANCE_INFIX } from '../../modules/cart-instance';
import { formatted } from '../../modules/validate';

/** Values of `cart.roleMode`. */
export const CART_ROLE_MODES = ['shared', 'per-instance'] as const;
export type CartRoleMode = (typeof CART_ROLE_MODES)[number];

/** The namespace of an instance unless it names one: `carts-<name>`. */
export const INSTANCE_NAMESPACE_PREFIX = 'carts-';

const dnsLabel = formatted(DNS_LABEL);
const autoscaling = z.strictObject({
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1).max(100),
  targetCpuPercent: z.number().int().min(10).max(100),
});

/** One team's cart; every field but `name` overrides the environment's `cart` value for this instance only. */
export const cartInstanceSchema = z.strictObject({
  /** The instance's name (a DNS label): table `<cluster>-carts-<name>`, namespace `carts-<name>`. */
  name: dnsLabel,
  /** The namespace; `undefined` means `carts-<name>`. */
  namespace: dnsLabel.optional(),
  replicas: z.number().int().min(1).max(100).optional(),
  autoscaling: autoscaling.optional(),
  /** Namespaces whose pods may call this instance (the team's UI). */
  clientNamespaces: z.array(dnsLabel).optional(),
  /** Hostname of this instance's Ingress (each exposed instance needs its own). */
  hostname: formatted(HOSTNAME).optional(),
});
export type CartInstanceInput = z.infer<typeof cartInstanceSchema>;

/** The `cart` fields an instance is resolved from. */
export interface CartInstanceDefaults {
  readonly tableName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly replicas: number;
  readonly autoscaling: z.infer<typeof autoscaling>;
  readonly clientNamespaces: readonly string[];
  readonly hostname?: string;
  readonly instances: readonly CartInstanceInput[];
}

/** An instance with every name and setting filled in. */
export interface ResolvedCartInstance {
  /** `undefined` for the implicit instance (an empty `cart.instances`). */
  readonly name?: string;
  /** Its construct id in the cart and cart-workload stacks: `cart` (implicit, today's) or `cart-<name>`. */
  readonly constructId: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly tableName: string;
  readonly replicas: number;
  readonly autoscaling: z.infer<typeof autoscaling>;
  readonly clientNamespaces: readonly string[];
  readonly hostname?: string;
}

/** The instances of an environment: the implicit one for an empty list, else one per entry. */
export function cartInstancesOf(config: {
  readonly cluster: { readonly name: string };
  readonly cart: CartInstanceDefaults;
}): ResolvedCartInstance[] {
  const { cart } = config;
  if (cart.instances.length === 0) {
    return [{ ...pick(cart), constructId: 'cart', namespace: cart.namespace, tableName: cart.tableName }];
  }
  return cart.instances.map((instance) => ({
    ...pick(cart),
    name: instance.name,
    constructId: `cart-${instance.name}`,
    namespace: instance.namespace ?? `${INSTANCE_NAMESPACE_PREFIX}${instance.name}`,
    tableName: instanceTableName(config.cluster.name, instance.name),
    replicas: instance.replicas ?? cart.replicas,
    autoscaling: instance.autoscaling ?? cart.autoscaling,
    clientNamespaces: instance.clientNamespaces ?? cart.clientNamespaces,
    hostname: instance.hostname,
  }));
}

/** The table of instance `name`: `<cluster>-carts-<name>`, the shape the shared role's prefix covers. */
export function instanceTableName(clusterName: string, name: string): string {
  return `${instanceTablePrefix(clusterName)}${name}`;
}

/** `<cluster>-carts-`: every instance table starts with it, and the shared role reaches only those. */
export function instanceTablePrefix(clusterName: string): string {
  return `${clusterName}${CART_INSTANCE_INFIX}`;
}

function pick(cart: CartInstanceDefaults) {
  return {
    serviceAccount: cart.serviceAccount,
    replicas: cart.replicas,
    autoscaling: cart.autoscaling,
    clientNamespaces: cart.clientNamespaces,
    hostname: cart.hostname,
  };
}

/** What the instance checks read. */
interface InstancesConfig {
  readonly environment: string;
  readonly cluster: { readonly name: string };
  readonly gitops: { readonly enabled: boolean };
  readonly cart: CartInstanceDefaults & {
    readonly exposure: string;
    readonly certificateArn?: string;
    readonly roleMode: CartRoleMode;
  };
}

/** Cross-field checks of `cart.instances`: unique names and namespaces, names that fit, unsupported combinations. */
export function checkCartInstances(config: InstancesConfig, ctx: z.core.$RefinementCtx): void {
  const { instances } = config.cart;
  if (instances.length === 0) return;
  const problem = (path: PropertyKey[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['cart', ...path], message });
  unsupportedWithInstances(config).forEach(([path, message]) => problem(path, message));
  const resolved = cartInstancesOf(config);
  for (const key of ['name', 'namespace'] as const) {
    const values = resolved.map((i) => i[key]);
    const repeated = values.find((v, i) => values.indexOf(v) !== i);
    if (repeated !== undefined) {
      problem(['instances'], `instance ${key}s must be unique; "${repeated}" repeats`);
    }
  }
  resolved.forEach((instance, i) => {
    if (instance.namespace.length > 63) {
      problem(
        ['instances', i, 'name'],
        `derived namespace "${instance.namespace}" is longer than 63 characters; shorten the name or set namespace`,
      );
    }
    const roleName = instanceTableName(config.cluster.name, instance.name ?? '');
    if (config.cart.roleMode === 'per-instance' && roleName.length > 64) {
      problem(
        ['instances', i, 'name'],
        `derived role name "${roleName}" is longer than IAM's 64 characters; shorten the name or cluster.name`,
      );
    }
    const { minReplicas, maxReplicas } = instance.autoscaling;
    if (minReplicas > maxReplicas) {
      problem(['instances', i, 'autoscaling', 'minReplicas'], `must be <= maxReplicas (${maxReplicas})`);
    }
    if (config.cart.exposure !== 'off' && instances[i]?.hostname === undefined) {
      problem(
        ['instances', i, 'hostname'],
        `is required while cart.exposure is "${config.cart.exposure}": each exposed instance needs its own host`,
      );
    }
  });
}

/** Combinations the instances do not support (yet), each with its path and why. */
function unsupportedWithInstances(config: InstancesConfig): Array<[PropertyKey[], string]> {
  const found: Array<[PropertyKey[], string]> = [];
  if (config.environment === 'local') {
    found.push([['instances'], 'is not supported in the local environment (one K3s cart); leave it empty']);
  }
  if (config.gitops.enabled) {
    found.push([['instances'], 'is not supported with gitops.enabled yet; leave it empty or disable gitops']);
  }
  if (config.cart.exposure !== 'off' && config.cart.certificateArn === undefined) {
    found.push([
      ['certificateArn'],
      'is required for exposed instances: one certificate (SAN or wildcard) covering every instance hostname',
    ]);
  }
  return found;
}
