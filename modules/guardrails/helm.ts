/**
 * What synth can see of a Helm release's pods: its values. Charts name things their own way, so only the common
 * shapes are read — env lists (`env`, `extraEnv`, `extraEnvVars`: `[{ name, value }]`) and env maps
 * (`env: { NAME: value }`) anywhere in the values, the sample's own carts chart (`app.persistence.*`),
 * `privileged`, `allowPrivilegeEscalation`, `hostNetwork` and `runAsUser` set explicitly, and the ServiceAccount's
 * IRSA annotation. The result is a partial pod: rules judge
 * what the values set, never what they leave to the chart's defaults.
 */
import { DEFAULT_TABLE_NAME, ENV } from '@cart-platform/service/contract';
import { helmValues } from './manifests';
import type { Setting } from './kubernetes-objects';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { bool, isObject, num, type Json } from './values';
import type { EnvEntry, PodModel } from './workloads';

const ENV_KEYS = new Set([
  'env',
  'extraEnv',
  'extraEnvVars',
  'envVars',
  'environment',
  'extraEnvironmentVars',
]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      visit(key, inner);
      walk(inner, visit);
    }
  }
}

function envEntries(values: Json, source: ElementView): EnvEntry[] {
  const entries: EnvEntry[] = [];
  walk(values, (key, value) => {
    if (!ENV_KEYS.has(key)) return;
    if (Array.isArray(value)) {
      for (const item of value.filter(isObject)) {
        if (typeof item.name === 'string') entries.push({ name: item.name, value: item.value ?? '', source });
      }
    } else if (isObject(value)) {
      for (const [name, inner] of Object.entries(value)) {
        if (ENV_NAME.test(name) && !isObject(inner) && !Array.isArray(inner))
          entries.push({ name, value: inner, source });
      }
    }
  });
  return entries;
}

/**
 * The variables the retail store sample's own `carts` chart renders into its ConfigMap from `app.persistence.*`
 * (and, with `dynamodb.create`, its local-world settings: DynamoDB Local, dummy keys, create-table).
 */
function upstreamCartEntries(values: Json, source: ElementView): EnvEntry[] {
  const persistence =
    isObject(values.app) && isObject(values.app.persistence) ? values.app.persistence : undefined;
  if (persistence === undefined) return [];
  const dynamodb = isObject(persistence.dynamodb) ? persistence.dynamodb : {};
  const local = isObject(values.dynamodb) && bool(values.dynamodb.create) === true;
  const set = (name: string, value: unknown) =>
    value === undefined ? [] : [{ name, value: String(value), source }];
  return [
    ...set(ENV.provider, persistence.provider),
    ...set(ENV.tableName, dynamodb.tableName ?? DEFAULT_TABLE_NAME),
    ...set(ENV.createTable, local ? 'true' : dynamodb.createTable),
    ...set(ENV.endpoint, local ? 'http://carts-dynamodb:8000' : dynamodb.endpoint),
    ...(local ? [...set(ENV.accessKeyId, 'key'), ...set(ENV.secretAccessKey, 'secret')] : []),
  ];
}

/** The first explicit setting of a key anywhere in the values. */
function explicit(values: Json, key: string): unknown {
  let found: unknown;
  walk(values, (k, value) => {
    if (k === key && found === undefined && !isObject(value)) found = value;
  });
  return found;
}

/** A release's pods as one partial pod with one container holding every env entry of the values. */
export function helmPod(app: SynthesizedApp, release: ElementView): PodModel {
  const values = helmValues(app, release);
  const account = isObject(values.serviceAccount) ? values.serviceAccount : {};
  const namespace =
    release.config.namespace === undefined ? 'default' : app.literal(release.config.namespace, release);
  const securityContext = {
    privileged: bool(explicit(values, 'privileged')),
    allowPrivilegeEscalation: bool(explicit(values, 'allowPrivilegeEscalation')),
    runAsUser: num(explicit(values, 'runAsUser')),
    capabilitiesAdd: [],
  };
  return {
    source: release,
    kind: 'HelmRelease',
    name: app.literal(release.config.name, release),
    namespace,
    serviceAccountName: typeof account.name === 'string' ? account.name : undefined,
    hostNetwork: bool(explicit(values, 'hostNetwork')) === true,
    style: 'api',
    securityContext,
    containers: [
      {
        name: app.literal(release.config.name, release) ?? 'release',
        init: false,
        env: [...upstreamCartEntries(values, release), ...envEntries(values, release)],
        envFrom: [],
        mounts: [],
        securityContext,
        resources: { limits: {}, requests: {} },
      },
    ],
    volumes: [],
    partial: true,
  };
}

/** The IRSA-style annotations a release puts on its ServiceAccount (`serviceAccount.annotations`). */
export function helmServiceAccount(
  app: SynthesizedApp,
  release: ElementView,
): { name?: string; namespace?: string; annotations: Map<string, Setting> } | undefined {
  const values = helmValues(app, release);
  const account = isObject(values.serviceAccount) ? values.serviceAccount : undefined;
  const annotations = isObject(account?.annotations) ? account.annotations : undefined;
  if (annotations === undefined) return undefined;
  return {
    name: typeof account?.name === 'string' ? account.name : undefined,
    namespace:
      release.config.namespace === undefined ? 'default' : app.literal(release.config.namespace, release),
    annotations: new Map(Object.entries(annotations).map(([k, value]) => [k, { value, source: release }])),
  };
}
