/**
 * The environment a container starts with, computed the way the kubelet builds it: `envFrom` sources in order
 * (later sources win, keys prefixed), then `env` entries in order (they win over `envFrom`; `$(NAME)` expands to an
 * earlier variable), values read from the ConfigMaps and Secrets the app defines, from Terraform variables' defaults
 * and from the attributes they reference.
 */
import { findObject, type KubeObject } from './kubernetes-objects';
import type { Resolution } from './resolver';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { shown } from './values';
import type { ContainerModel, EnvEntry, PodModel } from './workloads';

/** One variable of a container's effective environment. */
export interface EnvValue {
  readonly name: string;
  /** The value the process sees, when synth knows it. */
  readonly text?: string;
  /** Where an unknown value comes from (`Terraform variable var.key`, `Secret ci-user key secret`…). */
  readonly unknownFrom?: string;
  /** The element an unknown value is an attribute of (`${aws_vpc_endpoint.ddb.dns_entry[0].dns_name}`). */
  readonly reference?: ElementView;
  /** The element that sets it: the workload, a patch, or the ConfigMap/Secret loaded with envFrom. */
  readonly source: ElementView;
  /** Where it is set, for messages: `container "carts" env`, `ConfigMap data key AWS_REGION (envFrom prefix "X")`. */
  readonly where: string;
  /** True when it comes from a ConfigMap or Secret loaded with envFrom (the key is checked on its own too). */
  readonly viaEnvFrom: boolean;
}

/** The value for a message: quoted when known, its origin otherwise. */
export function describeValue(value: EnvValue): string {
  return value.text !== undefined
    ? shown(value.text)
    : `from ${value.unknownFrom ?? 'a value synth cannot read'}`;
}

/** Where a value only Terraform knows comes from. */
export function originOf(resolution: Resolution): string {
  switch (resolution.kind) {
    case 'variable':
      return `Terraform variable ${resolution.element.address} (no default)`;
    case 'attribute':
      return `${resolution.element.address}.${resolution.attribute.join('.')} (known after apply)`;
    case 'unknown':
      return `the expression \${${resolution.expression}}`;
    default:
      return 'a literal';
  }
}

type Known = Pick<EnvValue, 'text' | 'unknownFrom' | 'reference'>;

function fromRaw(app: SynthesizedApp, raw: unknown, near: ElementView): Known {
  const resolved = app.resolve(raw, near);
  if (resolved.kind === 'literal') {
    const value = resolved.value;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? { text: String(value) }
      : { unknownFrom: 'a non-scalar value' };
  }
  // A template (`https://${aws_vpc_endpoint.ddb.dns_entry[0].dns_name}`) points at what it interpolates.
  const reference = app.follow(raw, near)?.element ?? app.targets(raw, near)[0]?.element;
  return { unknownFrom: originOf(resolved), reference };
}

/** `$(NAME)` → the value of an earlier variable; `$$(` stays a literal `$(`. */
function expand(text: string, environment: Map<string, EnvValue>): string {
  return text.replace(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return '$(';
    const earlier = environment.get(name)?.text;
    return earlier ?? match;
  });
}

function keyRef(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  kind: 'ConfigMap' | 'Secret',
  ref: { name: unknown; key: unknown },
  pod: PodModel,
  near: ElementView,
): Known {
  const object = findObject(app, objects, kind, ref.name, pod.namespace, near);
  const key = app.literal(ref.key, near) ?? '?';
  const entry = object?.data.get(key);
  const name = app.literal(ref.name, near) ?? '?';
  if (entry?.text !== undefined) return { text: entry.text };
  return {
    unknownFrom: `${kind} ${name} key ${key}${object === undefined ? ' (not defined in the app)' : ''}`,
  };
}

function entryValue(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  pod: PodModel,
  entry: EnvEntry,
  environment: Map<string, EnvValue>,
): Known {
  if (entry.configMapKeyRef !== undefined)
    return keyRef(app, objects, 'ConfigMap', entry.configMapKeyRef, pod, entry.source);
  if (entry.secretKeyRef !== undefined)
    return keyRef(app, objects, 'Secret', entry.secretKeyRef, pod, entry.source);
  if (entry.fromPod === true) return { unknownFrom: 'a field of the pod' };
  if (entry.value === undefined) return { text: '' };
  const value = fromRaw(app, entry.value, entry.source);
  return value.text === undefined ? value : { text: expand(value.text, environment) };
}

/** The container's environment, name → value, in the order Kubernetes applies it. */
export function effectiveEnvironment(
  app: SynthesizedApp,
  objects: readonly KubeObject[],
  pod: PodModel,
  container: ContainerModel,
): Map<string, EnvValue> {
  const environment = new Map<string, EnvValue>();
  for (const from of container.envFrom) {
    for (const [kind, name] of [
      ['ConfigMap', from.configMap],
      ['Secret', from.secret],
    ] as const) {
      if (name === undefined) continue;
      const object = findObject(app, objects, kind, name, pod.namespace, pod.source);
      for (const entry of object?.data.values() ?? []) {
        const prefixed = from.prefix + entry.key;
        const via = from.prefix === '' ? '' : ` (envFrom prefix "${from.prefix}")`;
        const value =
          entry.text !== undefined ? { text: entry.text } : fromRaw(app, entry.value, entry.source);
        environment.set(prefixed, {
          name: prefixed,
          ...value,
          source: entry.source,
          where: `${entry.where} ${entry.key}${via}`,
          viaEnvFrom: true,
        });
      }
    }
  }
  for (const entry of container.env) {
    const value = entryValue(app, objects, pod, entry, environment);
    const where = `${container.init ? 'init container' : 'container'} "${container.name}" env`;
    environment.set(entry.name, {
      name: entry.name,
      ...value,
      source: entry.source,
      where,
      viaEnvFrom: false,
    });
  }
  return environment;
}
