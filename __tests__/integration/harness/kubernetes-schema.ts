/**
 * Validates Kubernetes objects against the API's published schemas for the cluster's version, from the
 * `kubernetes-models` package (its validators are compiled from the Kubernetes OpenAPI document; 5.1.0 carries
 * the 1.34 API — `resource.k8s.io/v1`, `PodSpec.hostnameOverride`).
 *
 * Custom resources (SecretProviderClass) are checked against the small hand-copied shapes in crd-schemas.ts.
 *
 * The OpenAPI schemas do not forbid unknown fields (the API server drops or rejects them at request time), so a
 * misspelt field would pass. As `kubeconform -strict` does, this also reports every field the schema does not
 * define: the validator is run on a proxy that records which fields it reads; a field it never read (and whose
 * object it did not enumerate as a map) is not in the schema.
 */

import { checkShape, CRD_SPECS } from './crd-schemas';

export interface SchemaProblem {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/ports/0/containerPort`. */
  readonly path: string;
  readonly message: string;
}

interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(this: unknown): void };
}

const models = new Map<string, Promise<ModelClass | undefined>>();

/** The model class for an apiVersion and kind, or `undefined` when the package has no schema for it (CRDs). */
export function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  let found = models.get(key);
  if (!found) {
    found = (async () => {
      if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) return undefined;
      try {
        const module = (await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}`)) as Record<
          string,
          unknown
        >;
        return Object.values(module).find(
          (value): value is ModelClass =>
            typeof value === 'function' &&
            (value as unknown as ModelClass).kind === kind &&
            (value as unknown as ModelClass).apiVersion === apiVersion,
        );
      } catch {
        return undefined;
      }
    })();
    models.set(key, found);
  }
  return found;
}

interface Recorder {
  readonly read: WeakMap<object, Set<string>>;
  readonly enumerated: WeakSet<object>;
}

/** A proxy over `value` (and, lazily, everything under it) that records field reads and key enumeration. */
function recording(value: unknown, recorder: Recorder, proxies: WeakMap<object, object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const cached = proxies.get(value);
  if (cached) return cached;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        const keys = recorder.read.get(target) ?? new Set<string>();
        keys.add(key);
        recorder.read.set(target, keys);
      }
      return recording(Reflect.get(target, key, receiver), recorder, proxies);
    },
    ownKeys(target) {
      recorder.enumerated.add(target);
      return Reflect.ownKeys(target);
    },
  });
  proxies.set(value, proxy);
  return proxy;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Fields present in `value` that the validator never looked at. */
function unknownFields(value: unknown, recorder: Recorder, path: string, out: SchemaProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(item, recorder, `${path}/${i}`, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (recorder.enumerated.has(value)) {
    // A map (labels, annotations, data…) or free-form object: its keys are data; look inside its values.
    for (const [key, item] of Object.entries(value))
      unknownFields(item, recorder, `${path}/${escape(key)}`, out);
    return;
  }
  const read = recorder.read.get(value) ?? new Set<string>();
  for (const [key, item] of Object.entries(value)) {
    if (!read.has(key)) out.push({ path: `${path}/${escape(key)}`, message: 'is not a field of this kind' });
    else unknownFields(item, recorder, `${path}/${escape(key)}`, out);
  }
}

/**
 * Validates what a patch resource (`kubernetes_annotations`, `kubernetes_labels`) writes: the target kind must
 * exist and the metadata it sets must be valid metadata. The rest of the target object is someone else's.
 */
export async function validatePatch(patch: {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
}): Promise<ValidationResult> {
  const model = await modelFor(patch.apiVersion, patch.kind);
  if (!model) {
    return {
      schemaFound: false,
      problems: [{ path: '', message: `${patch.apiVersion} ${patch.kind} is not a kind` }],
    };
  }
  const result = await validateKubernetesObject({ ...patch });
  return { schemaFound: true, problems: result.problems.filter((p) => p.path.startsWith('/metadata')) };
}

export interface ValidationResult {
  /** `false` when the package has no schema for the kind (a CRD); then only the envelope was checked. */
  readonly schemaFound: boolean;
  readonly problems: readonly SchemaProblem[];
}

/** Validates one object: the schema's own rules (types, enums, required fields) plus unknown fields. */
export async function validateKubernetesObject(object: Record<string, unknown>): Promise<ValidationResult> {
  const { apiVersion, kind } = object;
  const problems: SchemaProblem[] = [];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return { schemaFound: false, problems: [{ path: '', message: 'has no apiVersion and kind' }] };
  }
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (typeof metadata?.name !== 'string' && typeof metadata?.generateName !== 'string') {
    problems.push({ path: '/metadata/name', message: 'is required' });
  }
  const model = await modelFor(apiVersion, kind);
  if (!model) {
    const spec = CRD_SPECS[`${apiVersion}/${kind}`];
    if (!spec) return { schemaFound: false, problems };
    // A custom resource: its metadata is ordinary metadata, its spec has the CRD's shape; nothing else is allowed.
    const envelope = await validateKubernetesObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
    problems.push(...envelope.problems.filter((p) => p.path.startsWith('/metadata')));
    if (object.spec !== undefined) checkShape(object.spec, spec, '/spec', problems);
    for (const field of Object.keys(object)) {
      if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(field)) {
        problems.push({ path: `/${escape(field)}`, message: 'is not a field of this kind' });
      }
    }
    return { schemaFound: true, problems };
  }

  const recorder: Recorder = { read: new WeakMap(), enumerated: new WeakSet() };
  try {
    model.prototype.validate.call(recording(object, recorder, new WeakMap()));
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string; params?: unknown }[] })
      .errors;
    if (!errors) throw error;
    for (const e of errors) {
      const params = e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
      problems.push({ path: e.instancePath, message: `${e.message ?? 'is invalid'}${params}` });
    }
  }
  unknownFields(object, recorder, '', problems);
  return { schemaFound: true, problems };
}
