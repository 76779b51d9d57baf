/**
 * Derives what the harness applies from a stack's synthesized JSON and the declared emulator gaps: the resources
 * left out (gap types, and every resource that depends on one, through `depends_on` or a `${type.name…}`
 * reference), the `-target` list for everything else, and the `ignore_changes` additions.
 */
import type { EmulatorGap } from './emulator-gaps';
import type { StackJson } from './synth';

export interface SkippedResource {
  /** `type.name` */
  readonly address: string;
  readonly reason: string;
}

export interface ApplyPlan {
  /** Every resource address in the stack (`resource.<type>.<name>` → `<type>.<name>`). */
  readonly addresses: readonly string[];
  /** How many resource instances apply must create: every instance (`count`, `for_each`) of what is not skipped. */
  readonly expectedInstances: number;
  /** Resources left out of apply, with why. */
  readonly skipped: readonly SkippedResource[];
  /**
   * `-target` addresses: every resource and data source not skipped (data sources too, or outputs that read only
   * a data source, such as cross-stack account ids, would not be written). Empty when nothing is skipped (then
   * no targeting at all).
   */
  readonly targets: readonly string[];
  /** Resources whose drift in some attributes is ignored, with why. */
  readonly ignored: readonly { address: string; attributes: readonly string[]; reason: string }[];
  /**
   * `depends_on` entries dropped because they name a resource of an emulator gap: an ordering-only edge (no
   * value flows) to something the emulator cannot create. Dropping it lets the dependent resource apply, where
   * skipping it would leave e.g. the node group untested for the sake of an add-on the emulator lacks.
   */
  readonly relaxed: readonly { address: string; dropped: readonly string[] }[];
}

/** All resource addresses of a synthesized stack. */
export function resourceAddresses(json: StackJson): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `${type}.${name}`),
  );
}

/** All data source addresses of a synthesized stack (`data.<type>.<name>`). */
export function dataAddresses(json: StackJson): string[] {
  return Object.entries(json.data ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `data.${type}.${name}`),
  );
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

/** Every string inside a value (recursively), skipping cdktf's `//` metadata. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (key !== '//') strings(item, out);
  }
  return out;
}

/**
 * The resources and data sources a block refers to: `depends_on` entries and `${…}` expressions naming
 * `type.name` or `data.type.name` in the same stack (`var.…`, `local.…` are not in `known`).
 */
export function referencedResources(
  config: Record<string, unknown>,
  known: ReadonlySet<string>,
): Set<string> {
  const found = new Set<string>();
  const pattern = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)/g;
  const scan = (text: string) => {
    for (const match of text.matchAll(pattern)) if (known.has(match[1])) found.add(match[1]);
  };
  const dependsOn = Array.isArray(config.depends_on) ? config.depends_on : [];
  for (const entry of dependsOn) if (typeof entry === 'string') scan(entry);
  for (const text of strings(config)) {
    for (const expression of text.matchAll(/\$\{([^}]*)\}/g)) scan(expression[1]);
  }
  return found;
}

/** The `depends_on` entries of a block that name a known resource (ordering only: no value flows). */
export function orderingReferences(config: Record<string, unknown>, known: ReadonlySet<string>): Set<string> {
  const dependsOn = Array.isArray(config.depends_on) ? config.depends_on : [];
  return new Set(dependsOn.filter((entry): entry is string => typeof entry === 'string' && known.has(entry)));
}

/** Works out skips, targets and ignored attributes for one stack. */
export function planApply(json: StackJson, gaps: readonly EmulatorGap[]): ApplyPlan {
  const addresses = resourceAddresses(json);
  const nodes = [...addresses, ...dataAddresses(json)];
  const known = new Set(nodes);
  const configOf = (address: string) => {
    const [kind, local] = address.startsWith('data.')
      ? [json.data, address.slice(5)]
      : [json.resource, address];
    const dot = local.indexOf('.');
    return kind?.[local.slice(0, dot)]?.[local.slice(dot + 1)] ?? {};
  };
  const references = new Map(nodes.map((a) => [a, referencedResources(configOf(a), known)]));
  const ordering = new Map(nodes.map((a) => [a, orderingReferences(configOf(a), known)]));
  const typeOf = (address: string) => address.slice(0, address.indexOf('.'));

  const skipped = new Map<string, string>();
  for (const address of addresses) {
    const gap = gaps.find((g) => g.skip && g.type === typeOf(address));
    if (gap) skipped.set(address, gap.reason);
  }
  const gapSkipped = new Set(skipped.keys());
  // An edge that is only a depends_on on a gap resource is dropped (see `relaxed`); any other reference to a
  // skipped resource skips the dependent too (-target would pull the skipped one back in).
  const blocks = (address: string, ref: string) =>
    skipped.has(ref) && !(gapSkipped.has(ref) && isOrderingOnly(address, ref));
  const isOrderingOnly = (address: string, ref: string) =>
    (ordering.get(address)?.has(ref) ?? false) && !valueReferenced(configOf(address), ref);
  for (let changed = true; changed;) {
    changed = false;
    for (const address of nodes) {
      if (skipped.has(address)) continue;
      const blocker = [...(references.get(address) ?? [])].find((ref) => blocks(address, ref));
      if (blocker !== undefined) {
        skipped.set(address, `depends on ${blocker}`);
        changed = true;
      }
    }
  }
  const relaxed = addresses.flatMap((address) => {
    if (skipped.has(address)) return [];
    const dropped = [...(ordering.get(address) ?? [])].filter((ref) => gapSkipped.has(ref));
    return dropped.length > 0 ? [{ address, dropped }] : [];
  });

  const ignored = addresses.flatMap((address) => {
    const gap = gaps.find((g) => g.ignoreChanges !== undefined && g.type === typeOf(address));
    return gap && !skipped.has(address)
      ? [{ address, attributes: gap.ignoreChanges ?? [], reason: gap.reason }]
      : [];
  });

  return {
    addresses,
    expectedInstances: addresses
      .filter((a) => !skipped.has(a))
      .reduce((sum, a) => sum + instanceCount(configOf(a)), 0),
    skipped: [...skipped].map(([address, reason]) => ({ address, reason })),
    targets: skipped.size === 0 ? [] : nodes.filter((a) => !skipped.has(a)),
    ignored,
    relaxed,
  };
}

/** Whether `ref` appears in a `${…}` expression of the block (a value reference, not just ordering). */
function valueReferenced(config: Record<string, unknown>, ref: string): boolean {
  const { depends_on: _dependsOn, ...rest } = config;
  return referencedResources(rest, new Set([ref])).has(ref);
}

/** Removes the relaxed `depends_on` entries from each resource (mutates and returns `json`). */
export function withoutGapOrdering(json: StackJson, relaxed: ApplyPlan['relaxed']): StackJson {
  for (const { address, dropped } of relaxed) {
    const dot = address.indexOf('.');
    const config = json.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
    if (!config) throw new Error(`no resource ${address} to patch`);
    const remaining = (config.depends_on as string[]).filter((entry) => !dropped.includes(entry));
    if (remaining.length > 0) config.depends_on = remaining;
    else delete config.depends_on;
  }
  return json;
}

/** Adds the ignored attributes to each resource's `lifecycle.ignore_changes` (mutates and returns `json`). */
export function withIgnoredChanges(json: StackJson, ignored: ApplyPlan['ignored']): StackJson {
  for (const { address, attributes } of ignored) {
    const dot = address.indexOf('.');
    const config = json.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
    if (!config) throw new Error(`no resource ${address} to patch`);
    const lifecycle = (config.lifecycle ?? {}) as { ignore_changes?: string[] | 'all' };
    if (lifecycle.ignore_changes === 'all') continue;
    lifecycle.ignore_changes = [...new Set([...(lifecycle.ignore_changes ?? []), ...attributes])];
    config.lifecycle = lifecycle;
  }
  return json;
}
