/** Reading synthesized Terraform JSON: nested blocks rendered as objects or one-element lists, loose scalars. */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested attribute; `[0]` of a single block (rendered as an object) is the block itself. */
export function dig(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      current = Array.isArray(current) ? current[key] : key === 0 ? current : undefined;
    } else {
      const holder = Array.isArray(current) ? current[0] : current;
      current = isObject(holder) ? holder[key] : undefined;
    }
  }
  return current;
}

/** A single nested block, whether rendered as an object or as a one-element list. */
export function block(value: unknown): Json | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return isObject(first) ? first : undefined;
}

/** A repeated nested block (a list), or a single one. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** Follows a path of single blocks: `path(config, 'spec', 'template', 'spec')`. */
export function path(root: unknown, ...keys: string[]): Json | undefined {
  let current = block(root);
  for (const key of keys) {
    current = block(current?.[key]);
  }
  return current;
}

/** A list attribute as strings (tokens included as their `${…}` text). */
export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A boolean attribute; Terraform also accepts "true"/"false" strings. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A number attribute; numeric strings count. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The first of several spellings of a key that is set (`service_account_name` / `serviceAccountName`). */
export function field(object: Json | undefined, ...keys: string[]): unknown {
  if (object === undefined) return undefined;
  for (const key of keys) {
    if (object[key] !== undefined) return object[key];
  }
  return undefined;
}

/** A value quoted for a message. */
export function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
