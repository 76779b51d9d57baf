/**
 * Turns the Kubernetes resources of a synthesized stack into the API objects the provider would send, so that
 * they can be checked against the Kubernetes API's schemas:
 *
 * - `kubernetes_manifest`: its `manifest` is already the object.
 * - typed `kubernetes_*_v1` resources: the provider's schema is the API's in snake_case, with a few systematic
 *   differences undone here — repeated blocks are named in the singular (`container` → `containers`), some
 *   single objects are one-item block lists (`label_selector`), some integers are strings (`run_as_user`,
 *   `replicas`), file modes are octal strings, and maps (labels, annotations, data…) keep their keys as they are.
 *
 * Terraform expressions (`${…}`) are left in place: they sit in string fields (names, images, namespaces), which
 * the schemas accept as strings.
 */

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

/** One converted resource, with where it came from. */
export interface ConvertedResource {
  /** `kubernetes_deployment_v1.cart_deployment_34A65764` */
  readonly address: string;
  readonly object: KubernetesObject;
}

interface TypedResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** Top-level Terraform attributes that are part of the object (the rest are provider settings). */
  readonly fields: readonly string[];
  /** Top-level renames beyond snake_case → camelCase. */
  readonly renames?: Readonly<Record<string, string>>;
  /** Dotted paths (Terraform names) whose value is a string map although their name is not a map's. */
  readonly maps?: readonly string[];
}

const METADATA = ['metadata'];
const WITH_SPEC = ['metadata', 'spec'];

/** The typed resources this converter knows. A type not here fails the check instead of going unchecked. */
export const TYPED_RESOURCES: Readonly<Record<string, TypedResource>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace', fields: METADATA },
  kubernetes_config_map_v1: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    fields: ['metadata', 'data', 'binary_data', 'immutable'],
  },
  kubernetes_secret_v1: {
    apiVersion: 'v1',
    kind: 'Secret',
    fields: ['metadata', 'data', 'binary_data', 'type', 'immutable'],
  },
  kubernetes_service_account_v1: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    fields: ['metadata', 'image_pull_secret', 'secret', 'automount_service_account_token'],
  },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service', fields: WITH_SPEC, maps: ['spec.selector'] },
  kubernetes_persistent_volume_claim_v1: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    fields: WITH_SPEC,
  },
  kubernetes_pod_v1: { apiVersion: 'v1', kind: 'Pod', fields: WITH_SPEC },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange', fields: WITH_SPEC },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota', fields: WITH_SPEC },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment', fields: WITH_SPEC },
  kubernetes_stateful_set_v1: { apiVersion: 'apps/v1', kind: 'StatefulSet', fields: WITH_SPEC },
  kubernetes_daemon_set_v1: { apiVersion: 'apps/v1', kind: 'DaemonSet', fields: WITH_SPEC },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job', fields: WITH_SPEC },
  kubernetes_cron_job_v1: { apiVersion: 'batch/v1', kind: 'CronJob', fields: WITH_SPEC },
  kubernetes_ingress_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', fields: WITH_SPEC },
  kubernetes_ingress_class_v1: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    fields: WITH_SPEC,
  },
  kubernetes_network_policy_v1: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    fields: WITH_SPEC,
  },
  kubernetes_horizontal_pod_autoscaler_v2: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    fields: WITH_SPEC,
  },
  kubernetes_pod_disruption_budget_v1: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    fields: WITH_SPEC,
  },
  kubernetes_storage_class_v1: {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    fields: [
      'metadata',
      'storage_provisioner',
      'reclaim_policy',
      'volume_binding_mode',
      'allow_volume_expansion',
      'parameters',
      'mount_options',
      'allowed_topologies',
    ],
    renames: { storage_provisioner: 'provisioner' },
  },
  kubernetes_priority_class_v1: {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    fields: ['metadata', 'value', 'global_default', 'description', 'preemption_policy'],
  },
  kubernetes_role_v1: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    fields: ['metadata', 'rule'],
  },
  kubernetes_cluster_role_v1: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    fields: ['metadata', 'rule', 'aggregation_rule'],
  },
  kubernetes_role_binding_v1: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    fields: ['metadata', 'role_ref', 'subject'],
  },
  kubernetes_cluster_role_binding_v1: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    fields: ['metadata', 'role_ref', 'subject'],
  },
};

/**
 * Resources that patch an object someone else owns (an annotation, a label, a ConfigMap key) instead of
 * describing one: there is no whole object to validate.
 */
export const PATCH_RESOURCES: ReadonlySet<string> = new Set([
  'kubernetes_annotations',
  'kubernetes_labels',
  'kubernetes_config_map_v1_data',
  'kubernetes_env',
  'kubernetes_node_taint',
  'kubernetes_default_service_account_v1',
]);

/** Values whose keys are data (label keys, ConfigMap keys…), never field names. */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'match_labels',
  'node_selector',
  'data',
  'binary_data',
  'string_data',
  'parameters',
  'limits',
  'requests',
  'volume_attributes',
  'capacity',
  'hard',
  'max',
  'min',
  'default',
  'default_request',
  'max_limit_request_ratio',
]);

/** Repeated blocks the provider names in the singular (or otherwise) where the API has a list field. */
const LIST_RENAMES: Readonly<Record<string, string>> = {
  container: 'containers',
  init_container: 'initContainers',
  ephemeral_container: 'ephemeralContainers',
  port: 'ports',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  volume_device: 'volumeDevices',
  toleration: 'tolerations',
  topology_spread_constraint: 'topologySpreadConstraints',
  readiness_gate: 'readinessGates',
  host_aliases: 'hostAliases',
  image_pull_secrets: 'imagePullSecrets',
  image_pull_secret: 'imagePullSecrets',
  secret: 'secrets',
  rule: 'rules',
  path: 'paths',
  metric: 'metrics',
  policy: 'policies',
  subject: 'subjects',
  option: 'options',
  sysctl: 'sysctls',
  ingress: 'ingress',
  egress: 'egress',
  match_expressions: 'matchExpressions',
  match_label_expressions: 'matchLabelExpressions',
  env_from: 'envFrom',
};

/** Single objects in the API that the provider models as a block list (at most one item). */
const SINGLE_OBJECT_LISTS = new Set([
  'label_selector',
  'namespace_selector',
  'pod_selector',
  'selector',
  // Probe handlers: a probe has one of them, the provider writes it as a one-item block list.
  'http_get',
  'tcp_socket',
  'exec',
  'grpc',
]);

/** Integers the provider takes as strings. */
const INTEGER_STRINGS = new Set(['replicas', 'run_as_user', 'run_as_group', 'fs_group']);
/** Int-or-string fields: digits become an integer, as the provider sends them. */
const INT_OR_STRING = new Set(['port', 'target_port', 'max_surge', 'max_unavailable', 'min_available']);
/** File modes, octal strings in the provider (`"0644"`), integers in the API. */
const OCTAL_STRINGS = new Set(['default_mode', 'mode']);

/** `run_as_user` → `runAsUser`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if ((INTEGER_STRINGS.has(key) || INT_OR_STRING.has(key)) && /^-?\d+$/.test(value)) return Number(value);
  if (OCTAL_STRINGS.has(key) && /^0?[0-7]+$/.test(value)) return parseInt(value, 8);
  return value;
}

/** Converts one Terraform block (or value) at `path` (Terraform names, dotted) to its API form. */
function convert(value: unknown, path: string, key: string, maps: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    if (SINGLE_OBJECT_LISTS.has(key) && value.length <= 1 && value.every(isObject)) {
      return value.length === 0 ? undefined : convert(value[0], path, key, maps);
    }
    return value.map((item) => convert(item, path, key, maps));
  }
  if (!isObject(value)) return scalar(key, value);
  if (MAP_FIELDS.has(key) || maps.has(path)) return { ...value };
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (name === '//') continue;
    const listOfBlocks = Array.isArray(item) && item.length > 0 && item.every(isObject);
    const apiName = listOfBlocks && LIST_RENAMES[name] ? LIST_RENAMES[name] : camelCase(name);
    const converted = convert(item, path === '' ? name : `${path}.${name}`, name, maps);
    // An empty block list (`env: []`) is what the API calls an omitted field.
    if (converted === undefined || (Array.isArray(converted) && converted.length === 0)) continue;
    out[apiName] = converted;
  }
  return out;
}

/** Converts a typed resource's configuration to its API object. */
export function typedResourceToObject(type: string, config: Record<string, unknown>): KubernetesObject {
  const typed = TYPED_RESOURCES[type];
  if (!typed) throw new Error(`no conversion for ${type}: add it to TYPED_RESOURCES`);
  const maps = new Set(typed.maps ?? []);
  const object: KubernetesObject = { apiVersion: typed.apiVersion, kind: typed.kind };
  for (const field of typed.fields) {
    if (config[field] === undefined) continue;
    const converted = convert(config[field], field, field, maps);
    if (converted === undefined || (Array.isArray(converted) && converted.length === 0)) continue;
    const listOfBlocks = Array.isArray(config[field]) && (config[field] as unknown[]).every(isObject);
    const name =
      typed.renames?.[field] ??
      (listOfBlocks && LIST_RENAMES[field] ? LIST_RENAMES[field] : camelCase(field));
    object[name] = converted;
  }
  // The provider takes a Secret's `data` in clear and base64-encodes it; the API object carries the encoding.
  if (typed.kind === 'Secret' && isObject(object.data)) {
    object.data = Object.fromEntries(
      Object.entries(object.data).map(([key, value]) => [
        key,
        typeof value === 'string' ? Buffer.from(value, 'utf8').toString('base64') : value,
      ]),
    );
  }
  return object;
}

/** What a patch resource writes into an object it does not own. */
export interface ConvertedPatch {
  readonly address: string;
  readonly patch: { apiVersion: string; kind: string; metadata: Record<string, unknown> };
}

/** The Kubernetes objects and patches of a stack. */
export interface StackKubernetesResources {
  readonly objects: ConvertedResource[];
  readonly patches: ConvertedPatch[];
  /** Patch resources with no object form to check (ConfigMap data, env, taints), by address. */
  readonly unchecked: string[];
}

/** `kubernetes_annotations` / `kubernetes_labels`: the target and the metadata written; `undefined` for others. */
export function patchToMetadata(
  type: string,
  config: Record<string, unknown>,
): ConvertedPatch['patch'] | undefined {
  if (type !== 'kubernetes_annotations' && type !== 'kubernetes_labels') return undefined;
  const written = type === 'kubernetes_annotations' ? 'annotations' : 'labels';
  const metadata = convert(config.metadata, 'metadata', 'metadata', new Set()) as Record<string, unknown>;
  return {
    apiVersion: String(config.api_version),
    kind: String(config.kind),
    metadata: { ...metadata, [written]: { ...(config[written] as Record<string, string>) } },
  };
}

/**
 * Every Kubernetes object of a synthesized stack: `kubernetes_manifest` as is, typed resources converted. Throws
 * for a `kubernetes_*` type it does not know, so that nothing slips through unchecked.
 */
export function kubernetesObjects(json: {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}): StackKubernetesResources {
  const objects: ConvertedResource[] = [];
  const patches: ConvertedPatch[] = [];
  const unchecked: string[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    if (!type.startsWith('kubernetes_')) continue;
    for (const [name, config] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      if (type === 'kubernetes_manifest') {
        objects.push({ address, object: config.manifest as KubernetesObject });
      } else if (PATCH_RESOURCES.has(type)) {
        const patch = patchToMetadata(type, config);
        if (patch) patches.push({ address, patch });
        else unchecked.push(address);
      } else {
        objects.push({ address, object: typedResourceToObject(type, config) });
      }
    }
  }
  return { objects, patches, unchecked };
}
