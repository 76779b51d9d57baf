/**
 * Every ConfigMap, Secret and ServiceAccount the app defines, in any resource type (`kubernetes_*_v1`, the legacy
 * types, `kubernetes_manifest`, `kubectl_manifest`), with the patch resources that change them merged in:
 * `kubernetes_config_map_v1_data` / `kubernetes_secret_v1_data` (data keys) and `kubernetes_annotations`.
 * A patch on an object the app does not define stands for that object (it is all synth knows of it).
 */
import { kblock, kfield } from './kubernetes-fields';
import { manifestObjects } from './manifests';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { block, isObject, type Json } from './values';

/** A value set on an object, with the element that sets it (the object's resource, or a patch). */
export interface Setting {
  readonly value: unknown;
  readonly source: ElementView;
}

/** One key of a ConfigMap or Secret, decoded when it is known. */
export interface DataEntry extends Setting {
  readonly key: string;
  /** The literal value (base64 data decoded); undefined when only Terraform knows it. */
  readonly text?: string;
  /** `ConfigMap data key`, `Secret stringData key`… for messages. */
  readonly where: string;
}

export interface KubeObject {
  readonly kind: string;
  /** The resource that creates it; for an object outside the app, the first patch on it. */
  readonly source: ElementView;
  readonly name?: string;
  readonly namespace?: string;
  readonly data: Map<string, DataEntry>;
  readonly annotations: Map<string, Setting>;
  /** The object's own configuration (provider schema or API object). */
  readonly config: Json;
}

const PROVIDER_KINDS: Readonly<Record<string, string>> = {
  kubernetes_config_map_v1: 'ConfigMap',
  kubernetes_config_map: 'ConfigMap',
  kubernetes_secret_v1: 'Secret',
  kubernetes_secret: 'Secret',
  kubernetes_service_account_v1: 'ServiceAccount',
  kubernetes_service_account: 'ServiceAccount',
  kubernetes_default_service_account_v1: 'ServiceAccount',
  kubernetes_default_service_account: 'ServiceAccount',
  kubernetes_ingress_v1: 'Ingress',
  kubernetes_ingress: 'Ingress',
  kubernetes_service_v1: 'Service',
  kubernetes_service: 'Service',
};

/** Data fields per kind and how each is encoded. */
const DATA_FIELDS: Readonly<Record<string, readonly { key: string; base64: boolean }[]>> = {
  ConfigMap: [
    { key: 'data', base64: false },
    { key: 'binaryData', base64: true },
  ],
  // The provider takes Secret `data` in clear (it encodes it); an API object's `data` is base64.
  Secret: [
    { key: 'data', base64: false },
    { key: 'stringData', base64: false },
    { key: 'binaryData', base64: true },
  ],
};

const DATA_PATCHES: Readonly<Record<string, string>> = {
  kubernetes_config_map_v1_data: 'ConfigMap',
  kubernetes_secret_v1_data: 'Secret',
};

function decode(text: string): string | undefined {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64').toString('utf8') : undefined;
}

function dataOf(app: SynthesizedApp, kind: string, config: Json, source: ElementView, apiObject: boolean) {
  const data = new Map<string, DataEntry>();
  for (const { key, base64 } of DATA_FIELDS[kind] ?? []) {
    const encoded = base64 || (apiObject && kind === 'Secret' && key === 'data');
    const values = kfield(config, key);
    for (const [name, value] of Object.entries(isObject(values) ? values : {})) {
      const literal = app.literal(value, source);
      const text = literal === undefined ? undefined : encoded ? decode(literal) : literal;
      data.set(name, { key: name, value, text, source, where: `${kind} ${key} key` });
    }
  }
  return data;
}

function annotationsOf(metadata: Json | undefined, source: ElementView): Map<string, Setting> {
  const annotations = metadata?.annotations;
  return new Map(
    Object.entries(isObject(annotations) ? annotations : {}).map(([k, value]) => [k, { value, source }]),
  );
}

function objectFrom(
  app: SynthesizedApp,
  kind: string,
  config: Json,
  source: ElementView,
  apiObject: boolean,
): KubeObject {
  const metadata = kblock(config, 'metadata');
  const name = source.type.startsWith('kubernetes_default_service_account')
    ? 'default'
    : app.literal(metadata?.name, source);
  const namespace = metadata?.namespace === undefined ? 'default' : app.literal(metadata.namespace, source);
  return {
    kind,
    source,
    name,
    namespace,
    data: dataOf(app, kind, config, source, apiObject),
    annotations: annotationsOf(metadata, source),
    config,
  };
}

/** Objects created by provider resources and manifests (before patches). */
function createdObjects(app: SynthesizedApp): KubeObject[] {
  const fromProvider = app
    .resources(...Object.keys(PROVIDER_KINDS))
    .map((source) => objectFrom(app, PROVIDER_KINDS[source.type], source.config, source, false));
  const fromManifests = manifestObjects(app).flatMap(({ source, object }) =>
    typeof object.kind === 'string' ? [objectFrom(app, object.kind, object, source, true)] : [],
  );
  return [...fromProvider, ...fromManifests];
}

/** The object a patch targets (by kind, literal name and namespace); created from the patch when outside the app. */
function patchTarget(
  app: SynthesizedApp,
  objects: KubeObject[],
  kind: string,
  patch: ElementView,
): KubeObject {
  const metadata = block(patch.config.metadata);
  const name = app.literal(metadata?.name, patch);
  const namespace = metadata?.namespace === undefined ? 'default' : app.literal(metadata.namespace, patch);
  const found = objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace);
  if (found !== undefined) return found;
  const created: KubeObject = {
    kind,
    source: patch,
    name,
    namespace,
    data: new Map(),
    annotations: new Map(),
    config: {},
  };
  objects.push(created);
  return created;
}

/** Every object, with data and annotation patches applied (a patch wins over what the object sets). */
export function kubernetesObjects(app: SynthesizedApp): KubeObject[] {
  const objects = createdObjects(app);
  for (const patch of app.resources(...Object.keys(DATA_PATCHES))) {
    const kind = DATA_PATCHES[patch.type];
    const target = patchTarget(app, objects, kind, patch);
    const patched = dataOf(app, kind, patch.config, patch, false);
    for (const [key, entry] of patched)
      target.data.set(key, { ...entry, where: `${kind} data key (patched by ${patch.path})` });
  }
  for (const patch of app.resources('kubernetes_annotations')) {
    if (typeof patch.config.kind !== 'string') continue;
    const target = patchTarget(app, objects, patch.config.kind, patch);
    for (const [key, setting] of annotationsOf({ annotations: patch.config.annotations }, patch)) {
      target.annotations.set(key, setting);
    }
  }
  return objects;
}

/** The object of a kind that a reference or a name (in a namespace) designates. */
export function findObject(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  kind: string,
  name: unknown,
  namespace: string | undefined,
  near: ElementView,
): KubeObject | undefined {
  const target = app.follow(name, near)?.element;
  if (target !== undefined) {
    const direct = objects.find((o) => o.kind === kind && o.source === target);
    if (direct !== undefined) return direct;
  }
  const wanted = app.literal(name, near);
  if (wanted === undefined) return undefined;
  return objects.find(
    (o) => o.kind === kind && o.name === wanted && (namespace === undefined || o.namespace === namespace),
  );
}
