/**
 * Kubernetes objects written as API objects rather than provider resources: `kubernetes_manifest` (the object as
 * given), `kubectl_manifest` (a YAML body), and the values of `helm_release` (YAML or JSON documents and `set`
 * entries), parsed into plain JSON.
 */
import { parseAllDocuments } from 'yaml';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { isObject, type Json } from './values';

export interface ManifestObject {
  /** The resource holding it. */
  readonly source: ElementView;
  /** `apiVersion`, `kind`, `metadata`, … as written. */
  readonly object: Json;
}

/** Parses YAML (or JSON) documents; documents that do not parse are skipped (Terraform would refuse them anyway). */
export function parseDocuments(text: string): Json[] {
  try {
    return parseAllDocuments(text)
      .filter((d) => d.errors.length === 0)
      .map((d) => d.toJS() as unknown)
      .filter(isObject);
  } catch {
    return [];
  }
}

/** Every object of `kubernetes_manifest` and `kubectl_manifest` resources. */
export function manifestObjects(app: SynthesizedApp): ManifestObject[] {
  const fromManifest = app.resources('kubernetes_manifest').flatMap((source) => {
    const object = source.config.manifest;
    return isObject(object) ? [{ source, object }] : [];
  });
  const fromKubectl = app.resources('kubectl_manifest').flatMap((source) => {
    const body = app.literal(source.config.yaml_body, source);
    return body === undefined ? [] : parseDocuments(body).map((object) => ({ source, object }));
  });
  return [...fromManifest, ...fromKubectl];
}

/** Splits a Helm `set` name into steps: `env[0].name`, `a\.b.c` (escaped dots stay in the key). */
function setPath(name: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const part of name.split(/(?<!\\)\./)) {
    const key = part.replace(/\\\./g, '.');
    const match = /^(.*?)((?:\[\d+\])+)$/.exec(key);
    if (match === null) {
      steps.push(key);
      continue;
    }
    if (match[1] !== '') steps.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

function assign(root: Json, steps: (string | number)[], value: unknown): void {
  let current: Json | unknown[] = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const next = steps[i + 1];
    const holder = current as Record<string | number, unknown>;
    if (last) {
      holder[step] = value;
      return;
    }
    if (typeof holder[step] !== 'object' || holder[step] === null)
      holder[step] = typeof next === 'number' ? [] : {};
    current = holder[step] as Json;
  });
}

/** The values a Helm release passes to its chart: `values` documents merged in order, then `set` entries. */
export function helmValues(app: SynthesizedApp, release: ElementView): Json {
  const values: Json = {};
  const documents = Array.isArray(release.config.values) ? release.config.values : [];
  for (const document of documents) {
    const text = app.literal(document, release) ?? (typeof document === 'string' ? document : undefined);
    for (const parsed of text === undefined ? [] : parseDocuments(text))
      Object.assign(values, deepMerge(values, parsed));
  }
  for (const key of ['set', 'set_sensitive', 'set_list']) {
    const entries = release.config[key];
    for (const entry of Array.isArray(entries) ? entries.filter(isObject) : []) {
      if (typeof entry.name === 'string') assign(values, setPath(entry.name), entry.value);
    }
  }
  return values;
}

function deepMerge(target: Json, source: Json): Json {
  const merged: Json = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = merged[key];
    merged[key] = isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
  }
  return merged;
}
