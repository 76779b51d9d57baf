/**
 * Schemas of the custom resources the stacks create, which the Kubernetes API's own schemas do not cover. Copied
 * by hand from the CRD's Go types (kubernetes-sigs/secrets-store-csi-driver, apis/v1/secretproviderclass_types.go)
 * and kept to a small shape language: strict objects, string maps, arrays, strings.
 */
import type { SchemaProblem } from './kubernetes-schema';

export type Shape =
  | 'string'
  | 'boolean'
  | { readonly map: 'string' }
  | { readonly array: Shape }
  | { readonly object: Readonly<Record<string, Shape>>; readonly required?: readonly string[] };

/** `apiVersion/kind` → the shape of the object's `spec`. */
export const CRD_SPECS: Readonly<Record<string, Shape>> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': {
    object: {
      provider: 'string',
      parameters: { map: 'string' },
      secretObjects: {
        array: {
          object: {
            secretName: 'string',
            type: 'string',
            labels: { map: 'string' },
            annotations: { map: 'string' },
            data: { array: { object: { objectName: 'string', key: 'string', plainValue: 'string' } } },
          },
        },
      },
    },
  },
};

/** Checks `value` against `shape`; unknown fields, wrong types and missing required fields are problems. */
export function checkShape(
  value: unknown,
  shape: Shape,
  path: string,
  out: SchemaProblem[] = [],
): SchemaProblem[] {
  if (shape === 'string' || shape === 'boolean') {
    if (typeof value !== shape) out.push({ path, message: `must be ${shape}` });
  } else if ('map' in shape) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      out.push({ path, message: 'must be object' });
    else {
      for (const [key, item] of Object.entries(value)) {
        if (typeof item !== 'string') out.push({ path: `${path}/${key}`, message: 'must be string' });
      }
    }
  } else if ('array' in shape) {
    if (!Array.isArray(value)) out.push({ path, message: 'must be array' });
    else value.forEach((item, i) => checkShape(item, shape.array, `${path}/${i}`, out));
  } else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({ path, message: 'must be object' });
  } else {
    const fields = value as Record<string, unknown>;
    for (const name of shape.required ?? []) {
      if (fields[name] === undefined) out.push({ path, message: `must have required property ${name}` });
    }
    for (const [name, item] of Object.entries(fields)) {
      const fieldShape = shape.object[name];
      if (fieldShape === undefined)
        out.push({ path: `${path}/${name}`, message: 'is not a field of this kind' });
      else checkShape(item, fieldShape, `${path}/${name}`, out);
    }
  }
  return out;
}
