/**
 * Reading Kubernetes workloads out of synthesized `kubernetes_*_v1` resources: pod specs, containers, and the
 * environment each container really gets (envFrom ConfigMaps/Secrets, then env entries).
 */
import { ENV, PERSISTENCE_PROVIDERS } from '@cart-platform/service/contract';
import { blocks, block, isObject, path, type ElementView, type SynthesizedApp } from './synthesized-app';

type Json = Record<string, unknown>;

/** Where each workload type keeps its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_deployment_v1: ['spec', 'template', 'spec'],
  kubernetes_stateful_set_v1: ['spec', 'template', 'spec'],
  kubernetes_daemon_set_v1: ['spec', 'template', 'spec'],
  kubernetes_replication_controller_v1: ['spec', 'template', 'spec'],
  kubernetes_job_v1: ['spec', 'template', 'spec'],
  kubernetes_cron_job_v1: ['spec', 'job_template', 'spec', 'template', 'spec'],
  kubernetes_pod_v1: ['spec'],
};

/** Resources holding key/value data a workload can load as environment variables. */
export const DATA_RESOURCES = {
  configMap: ['kubernetes_config_map_v1', 'kubernetes_config_map_v1_data'],
  secret: ['kubernetes_secret_v1', 'kubernetes_secret_v1_data'],
} as const;

export interface ContainerView {
  readonly name: string;
  readonly init: boolean;
  readonly config: Json;
}

export interface PodView {
  /** The Deployment/StatefulSet/… resource. */
  readonly workload: ElementView;
  /** Literal namespace, when known. */
  readonly namespace?: string;
  readonly spec: Json;
  readonly containers: readonly ContainerView[];
}

/** Every workload's pod spec with its containers and init containers. */
export function pods(app: SynthesizedApp): PodView[] {
  return app.resources(...Object.keys(POD_SPEC_PATHS)).flatMap((workload) => {
    const spec = path(workload.config, ...POD_SPEC_PATHS[workload.type]);
    if (spec === undefined) return [];
    const containers = [
      ...blocks(spec.init_container).map((c) => ({ name: String(c.name ?? '?'), init: true, config: c })),
      ...blocks(spec.container).map((c) => ({ name: String(c.name ?? '?'), init: false, config: c })),
    ];
    return [{ workload, namespace: namespaceOf(app, workload), spec, containers }];
  });
}

/** Literal `metadata.name` of an element. */
export function nameOf(app: SynthesizedApp, element: ElementView): string | undefined {
  return app.literal(block(element.config.metadata)?.name, element);
}

/** Literal `metadata.namespace` of an element (`default` when unset). */
export function namespaceOf(app: SynthesizedApp, element: ElementView): string | undefined {
  const namespace = block(element.config.metadata)?.namespace;
  return namespace === undefined ? 'default' : app.literal(namespace, element);
}

/** Where a variable is set, and to what. */
export interface EnvSetting {
  readonly name: string;
  /** The literal value; `undefined` when it comes from somewhere synth cannot read (a Secret key ref, a token). */
  readonly value?: string;
  /** The element that sets it: the workload (env entry) or the ConfigMap/Secret holding the key. */
  readonly source: ElementView;
  /** Human-readable location, e.g. `container "carts" env` or `data key`. */
  readonly where: string;
}

/** Every key of every ConfigMap and Secret (a variable once a workload loads it with envFrom). */
export function dataSettings(app: SynthesizedApp): EnvSetting[] {
  const kinds = [
    { types: DATA_RESOURCES.configMap, keys: ['data', 'binary_data'], what: 'ConfigMap' },
    { types: DATA_RESOURCES.secret, keys: ['data', 'string_data', 'binary_data'], what: 'Secret' },
  ];
  return kinds.flatMap(({ types, keys, what }) =>
    app.resources(...types).flatMap((source) =>
      keys.flatMap((key) => {
        const data = source.config[key];
        if (!isObject(data)) return [];
        return Object.entries(data).map(([name, value]) => ({
          name,
          value: app.literal(value, source),
          source,
          where: `${what} ${key} key`,
        }));
      }),
    ),
  );
}

/** The `env` entries of a container (literal values, or values read through a ConfigMap key ref). */
export function containerEnvSettings(
  app: SynthesizedApp,
  pod: PodView,
  container: ContainerView,
): EnvSetting[] {
  return blocks(container.config.env).map((entry) => {
    const name = String(entry.name ?? '');
    const where = `container "${container.name}" env`;
    if (entry.value !== undefined) {
      return { name, value: app.literal(entry.value, pod.workload), source: pod.workload, where };
    }
    const ref = block(block(entry.value_from)?.config_map_key_ref);
    const configMap = ref === undefined ? undefined : findData(app, 'configMap', ref.name, pod);
    const data = configMap === undefined ? undefined : block(configMap.config.data);
    const value = data === undefined ? undefined : app.literal(data[String(ref?.key)], configMap);
    return { name, value, source: pod.workload, where: `${where} (valueFrom)` };
  });
}

/**
 * The environment a container starts with: ConfigMaps and Secrets loaded by envFrom, then env entries (which win,
 * as in Kubernetes).
 */
export function effectiveEnvironment(
  app: SynthesizedApp,
  pod: PodView,
  container: ContainerView,
): Map<string, EnvSetting> {
  const environment = new Map<string, EnvSetting>();
  const all = dataSettings(app);
  for (const from of blocks(container.config.env_from)) {
    const prefix = typeof from.prefix === 'string' ? from.prefix : '';
    for (const [kind, key] of [
      ['configMap', 'config_map_ref'],
      ['secret', 'secret_ref'],
    ] as const) {
      const ref = block(from[key]);
      const source = ref === undefined ? undefined : findData(app, kind, ref.name, pod);
      for (const setting of all.filter((s) => s.source === source)) {
        environment.set(prefix + setting.name, { ...setting, name: prefix + setting.name });
      }
    }
  }
  for (const setting of containerEnvSettings(app, pod, container)) {
    environment.set(setting.name, setting);
  }
  return environment;
}

/** A workload container that runs the cart against DynamoDB, with the environment it gets. */
export interface CartContainer {
  readonly pod: PodView;
  readonly container: ContainerView;
  readonly environment: Map<string, EnvSetting>;
}

const DYNAMODB_PROVIDER = PERSISTENCE_PROVIDERS[1];

/** Containers whose environment selects the DynamoDB persistence provider: the cart, wherever it is deployed. */
export function cartContainers(app: SynthesizedApp): CartContainer[] {
  return pods(app).flatMap((pod) =>
    pod.containers.flatMap((container) => {
      const environment = effectiveEnvironment(app, pod, container);
      return environment.get(ENV.provider)?.value === DYNAMODB_PROVIDER
        ? [{ pod, container, environment }]
        : [];
    }),
  );
}

/** The ConfigMap or Secret a workload names, in the workload's namespace. */
function findData(
  app: SynthesizedApp,
  kind: keyof typeof DATA_RESOURCES,
  name: unknown,
  pod: PodView,
): ElementView | undefined {
  const direct = app.follow(name, pod.workload)?.element;
  if (direct !== undefined) return direct;
  const wanted = app.literal(name, pod.workload);
  if (wanted === undefined) return undefined;
  return app
    .resources(...DATA_RESOURCES[kind])
    .find(
      (candidate) =>
        nameOf(app, candidate) === wanted &&
        (pod.namespace === undefined || namespaceOf(app, candidate) === pod.namespace),
    );
}
