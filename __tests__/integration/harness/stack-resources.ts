/**
 * What a synthesized stack asks Terraform to create: its resource addresses and how many instances they stand
 * for (the number apply must report, since the harness applies every stack whole, as synthesized).
 */
import type { StackJson } from './synth';

/** All resource addresses of a synthesized stack (`resource.<type>.<name>` → `<type>.<name>`). */
export function resourceAddresses(json: StackJson): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `${type}.${name}`),
  );
}

/** The resource types a stack uses. */
export function resourceTypes(json: StackJson): string[] {
  return Object.keys(json.resource ?? {});
}

/**
 * Instances a resource block stands for: a literal `count` or `for_each` says how many; anything else (none, or
 * an expression) counts as one.
 */
export function instanceCount(config: Record<string, unknown>): number {
  if (typeof config.count === 'number') return config.count;
  if (Array.isArray(config.for_each)) return config.for_each.length;
  if (config.for_each !== null && typeof config.for_each === 'object')
    return Object.keys(config.for_each).length;
  return 1;
}

/** How many resource instances applying the whole stack must create. */
export function expectedInstances(json: StackJson): number {
  return Object.values(json.resource ?? {})
    .flatMap((byName) => Object.values(byName))
    .reduce((sum, config) => sum + instanceCount(config), 0);
}
