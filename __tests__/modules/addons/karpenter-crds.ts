/**
 * Karpenter's CRD schemas (v1.14.1, __tests__/fixtures/crds/, copied from the chart's CRDs) compiled with ajv. The
 * API server prunes or rejects fields its schema does not define, so every object schema that lists
 * `properties` is closed here (`additionalProperties: false`), as `kubeconform -strict` does: a misspelt field
 * fails. CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

const CRDS_DIR = join(__dirname, '../../fixtures/crds');

function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property names are data, not schemas: keep the keys, close their schemas.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, closed(v)]))
        : closed(value);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });

/** Validates an object against the CRD schema of its kind (`NodePool`, `EC2NodeClass`); returns the errors. */
export function crdErrors(kind: 'NodePool' | 'EC2NodeClass', object: unknown): string[] {
  const file = JSON.parse(readFileSync(join(CRDS_DIR, `karpenter-1.14.1.${kind}.schema.json`), 'utf8')) as {
    versions: { v1: object };
  };
  const validate = ajv.compile(closed(file.versions.v1) as object);
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
