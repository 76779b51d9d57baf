/**
 * Helm charts ignore value keys they do not read, silently. A chart's `<chart>-<version>.keys.json` lists every
 * leaf key path of its default values with the type of the default; `unreadValueKeys` tells which keys of a
 * values document the chart does not define. This file also turns a chart's values.yaml into a keys file:
 *
 *   helm show values eks/aws-load-balancer-controller --version 3.5.0 \
 *     | npx tsx scripts/chart-keys.ts aws-load-balancer-controller 3.5.0 --source "<where it came from>"
 *
 * writes __tests__/fixtures/charts/aws-load-balancer-controller-3.5.0.keys.json (see the README there).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The type of a default value. `object` (an empty map), `array` and `null` defaults are free-form. */
export type KeyType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** A chart's keys file (`__tests__/fixtures/charts/<chart>-<version>.keys.json`). */
export interface ChartKeysFile {
  readonly chart: string;
  readonly version: string;
  /** Where the values came from (repository, path, tag). */
  readonly source: string;
  readonly note: string;
  /** Leaf key path (segments joined with `.`) → the default's type. */
  readonly keys: Readonly<Record<string, KeyType>>;
}

export const KEYS_NOTE =
  "Every leaf key path of the chart's default values, with the type of its default (object = an empty map, " +
  'free-form). A key set by the project that is neither listed nor under a listed free-form object/array/null ' +
  'is not read by the chart.';

const FREE_FORM: ReadonlySet<KeyType> = new Set(['object', 'array', 'null']);

function typeOf(value: unknown): KeyType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'object') return type;
  throw new Error(`unsupported value type ${type}`);
}

/**
 * Every leaf of a values tree as `[path, value]`: a scalar, an array, null or an empty map is a leaf; a
 * non-empty map is walked. Segments are joined with `.` as they are (a key may contain dots itself, e.g. an
 * annotation name), the keys files' convention.
 */
export function leafPaths(values: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeOf(values) !== 'object' || Object.keys(values as object).length === 0)
    return prefix === '' ? [] : [[prefix, values]];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) =>
    leafPaths(value, prefix === '' ? key : `${prefix}.${key}`),
  );
}

/** The keys map of a chart's default values, in the order values.yaml declares them. */
export function chartKeys(defaults: unknown): Record<string, KeyType> {
  return Object.fromEntries(leafPaths(defaults).map(([path, value]) => [path, typeOf(value)]));
}

/**
 * The leaf key paths of `values` that the chart does not read: neither listed in `keys`, nor under a listed
 * free-form default (an object, array or null default takes any content), nor an empty map or null set where
 * the chart has a map (its listed keys start with the path). Empty for a clean document.
 */
export function unreadValueKeys(values: unknown, keys: Readonly<Record<string, KeyType>>): string[] {
  const listed = Object.keys(keys);
  const freeForm = listed.filter((key) => FREE_FORM.has(keys[key]));
  return leafPaths(values)
    .filter(([path, value]) => {
      if (Object.hasOwn(keys, path)) return false;
      if (freeForm.some((key) => path.startsWith(`${key}.`))) return false;
      const emptyMap =
        value === null || (typeOf(value) === 'object' && Object.keys(value as object).length === 0);
      return !(emptyMap && listed.some((key) => key.startsWith(`${path}.`)));
    })
    .map(([path]) => path);
}

/** The keys file of a chart version from its values.yaml text. */
export function keysFileFromValuesYaml(
  chart: string,
  version: string,
  source: string,
  valuesYaml: string,
): ChartKeysFile {
  return { chart, version, source, note: KEYS_NOTE, keys: chartKeys(parse(valuesYaml) ?? {}) };
}

export const FIXTURES_DIR = join(__dirname, '..', '__tests__', 'fixtures', 'charts');

/** The fixture's file name for a chart version. */
export const keysFileName = (chart: string, version: string): string => `${chart}-${version}.keys.json`;

function main(argv: readonly string[]): void {
  const sourceAt = argv.indexOf('--source');
  const source = sourceAt >= 0 ? argv[sourceAt + 1] : undefined;
  const [chart, version, valuesFile = '-'] = argv.filter((_, i) => i !== sourceAt && i !== sourceAt + 1);
  if (!chart || !version || !source) {
    console.error(
      'usage: helm show values <repo>/<chart> --version <version> | ' +
        'tsx scripts/chart-keys.ts <chart> <version> [values.yaml | -] --source "<repository, path and tag>"',
    );
    process.exit(2);
  }
  const yamlText = readFileSync(valuesFile === '-' ? 0 : valuesFile, 'utf8');
  const file = keysFileFromValuesYaml(chart, version, source, yamlText);
  const out = join(FIXTURES_DIR, keysFileName(chart, version));
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`${out}: ${Object.keys(file.keys).length} keys`);
}

if (require.main === module) main(process.argv.slice(2));
