/**
 * One model of every pod the app defines: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs,
 * ReplicationControllers and Pods, in the `_v1` and legacy provider types and as API objects (`kubernetes_manifest`,
 * `kubectl_manifest`), with `kubernetes_env` patches merged into their containers.
 */
import { kblock, kblocks, kfield, kpath } from './kubernetes-fields';
import { manifestObjects } from './manifests';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { block, bool, num, strings, type Json } from './values';

export interface EnvEntry {
  readonly name: string;
  /** The raw `value` (may hold `${…}` references or `$(VAR)` expansions). */
  readonly value?: unknown;
  readonly configMapKeyRef?: { readonly name: unknown; readonly key: unknown };
  readonly secretKeyRef?: { readonly name: unknown; readonly key: unknown };
  /** `fieldRef`, `resourceFieldRef`: values from the pod itself. */
  readonly fromPod?: boolean;
  /** The element that sets it: the workload, or a `kubernetes_env` patch. */
  readonly source: ElementView;
}

export interface EnvFromEntry {
  readonly prefix: string;
  readonly configMap?: unknown;
  readonly secret?: unknown;
}

export interface VolumeFile {
  /** `secret` or `configMap` volume (or a projected source of one). */
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: unknown;
  /** key → path inside the volume; undefined when every key is a file. */
  readonly items?: readonly { readonly key: string; readonly path: string }[];
}

/** A `csi` volume: its driver and `volumeAttributes` (the Secrets Store driver's `secretProviderClass`). */
export interface CsiVolume {
  readonly driver: unknown;
  readonly attributes: Json;
}

export interface Volume {
  readonly name: string;
  readonly files: readonly VolumeFile[];
  readonly hostPath?: string;
  readonly csi?: CsiVolume;
}

export interface Mount {
  readonly volume: string;
  readonly mountPath: string;
  readonly subPath?: string;
}

/** The security settings that matter to the rules, container over pod as in Kubernetes. */
export interface SecurityContext {
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilitiesAdd: readonly string[];
}

export interface ContainerModel {
  readonly name: string;
  readonly init: boolean;
  readonly image?: unknown;
  readonly env: EnvEntry[];
  readonly envFrom: readonly EnvFromEntry[];
  readonly mounts: readonly Mount[];
  readonly securityContext: SecurityContext;
  readonly resources: { readonly limits: Json; readonly requests: Json };
}

export interface PodModel {
  /** The resource that creates the pods. */
  readonly source: ElementView;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The service account the pods run as (`default` when the spec names none). */
  readonly serviceAccountName?: string;
  readonly hostNetwork: boolean;
  /** How the manifest spells fields (`host_network` vs `hostNetwork`), for messages. */
  readonly style: 'provider' | 'api';
  readonly securityContext: SecurityContext;
  readonly containers: readonly ContainerModel[];
  readonly volumes: readonly Volume[];
  /** Only part of the pod is visible (a Helm release's values): rules judge what is set, not what is missing. */
  readonly partial: boolean;
}

const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

/** Provider resource types and the kind they create. */
export const WORKLOAD_TYPES: Readonly<Record<string, string>> = {
  kubernetes_deployment_v1: 'Deployment',
  kubernetes_deployment: 'Deployment',
  kubernetes_stateful_set_v1: 'StatefulSet',
  kubernetes_stateful_set: 'StatefulSet',
  kubernetes_daemon_set_v1: 'DaemonSet',
  kubernetes_daemonset: 'DaemonSet',
  kubernetes_replication_controller_v1: 'ReplicationController',
  kubernetes_replication_controller: 'ReplicationController',
  kubernetes_job_v1: 'Job',
  kubernetes_job: 'Job',
  kubernetes_cron_job_v1: 'CronJob',
  kubernetes_cron_job: 'CronJob',
  kubernetes_pod_v1: 'Pod',
  kubernetes_pod: 'Pod',
};

function securityContext(context: Json | undefined, inherited?: SecurityContext): SecurityContext {
  const own = (name: string) => kfield(context, name);
  const capabilities = kblock(context, 'capabilities');
  return {
    privileged: bool(own('privileged')),
    allowPrivilegeEscalation: bool(own('allowPrivilegeEscalation')),
    runAsNonRoot: bool(own('runAsNonRoot')) ?? inherited?.runAsNonRoot,
    runAsUser: num(own('runAsUser')) ?? inherited?.runAsUser,
    readOnlyRootFilesystem: bool(own('readOnlyRootFilesystem')),
    capabilitiesAdd: strings(kfield(capabilities, 'add')),
  };
}

function envEntries(container: Json, source: ElementView): EnvEntry[] {
  return kblocks(container, 'env').map((entry) => {
    const from = kblock(entry, 'valueFrom');
    const ref = (name: string) => {
      const r = kblock(from, name);
      return r === undefined ? undefined : { name: r.name, key: r.key };
    };
    return {
      name: String(entry.name ?? ''),
      value: entry.value,
      configMapKeyRef: ref('configMapKeyRef'),
      secretKeyRef: ref('secretKeyRef'),
      fromPod: kblock(from, 'fieldRef') !== undefined || kblock(from, 'resourceFieldRef') !== undefined,
      source,
    };
  });
}

function container(raw: Json, init: boolean, pod: SecurityContext, source: ElementView): ContainerModel {
  const resources = kblock(raw, 'resources');
  return {
    name: String(raw.name ?? '?'),
    init,
    image: raw.image,
    env: envEntries(raw, source),
    envFrom: kblocks(raw, 'envFrom').map((e) => ({
      prefix: typeof e.prefix === 'string' ? e.prefix : '',
      configMap: kblock(e, 'configMapRef')?.name,
      secret: kblock(e, 'secretRef')?.name,
    })),
    mounts: kblocks(raw, 'volumeMounts').map((m) => ({
      volume: String(m.name ?? ''),
      mountPath: String(kfield(m, 'mountPath') ?? ''),
      subPath: typeof kfield(m, 'subPath') === 'string' ? String(kfield(m, 'subPath')) : undefined,
    })),
    securityContext: securityContext(kblock(raw, 'securityContext'), pod),
    resources: { limits: block(resources?.limits) ?? {}, requests: block(resources?.requests) ?? {} },
  };
}

function volumeFiles(source: Json | undefined, kind: VolumeFile['kind'], nameField: string): VolumeFile[] {
  if (source === undefined) return [];
  const items = kblocks(source, 'items').map((i) => ({ key: String(i.key), path: String(i.path ?? i.key) }));
  return [{ kind, name: kfield(source, nameField), items: items.length > 0 ? items : undefined }];
}

function volumes(spec: Json): Volume[] {
  return kblocks(spec, 'volumes').map((v) => {
    const projected = kblocks(kblock(v, 'projected'), 'sources');
    const csi = kblock(v, 'csi');
    return {
      name: String(v.name ?? ''),
      files: [
        ...volumeFiles(kblock(v, 'secret'), 'Secret', 'secretName'),
        ...volumeFiles(kblock(v, 'configMap'), 'ConfigMap', 'name'),
        ...projected.flatMap((p) => [
          ...volumeFiles(kblock(p, 'secret'), 'Secret', 'name'),
          ...volumeFiles(kblock(p, 'configMap'), 'ConfigMap', 'name'),
        ]),
      ],
      hostPath: kblock(v, 'hostPath')?.path as string | undefined,
      csi:
        csi === undefined
          ? undefined
          : { driver: kfield(csi, 'driver'), attributes: kblock(csi, 'volumeAttributes') ?? {} },
    };
  });
}

function podFrom(
  app: SynthesizedApp,
  source: ElementView,
  kind: string,
  object: Json,
  style: PodModel['style'],
): PodModel | undefined {
  const spec = kpath(object, ...POD_SPEC_PATHS[kind]);
  if (spec === undefined) return undefined;
  const metadata = kblock(object, 'metadata');
  const podContext = securityContext(kblock(spec, 'securityContext'));
  const account = kfield(spec, 'serviceAccountName') ?? kfield(spec, 'serviceAccount');
  return {
    source,
    kind,
    name: app.literal(metadata?.name, source),
    namespace: metadata?.namespace === undefined ? 'default' : app.literal(metadata.namespace, source),
    serviceAccountName: account === undefined ? 'default' : app.literal(account, source),
    hostNetwork: bool(kfield(spec, 'hostNetwork')) === true,
    style,
    securityContext: podContext,
    containers: [
      ...kblocks(spec, 'initContainers').map((c) => container(c, true, podContext, source)),
      ...kblocks(spec, 'containers').map((c) => container(c, false, podContext, source)),
    ],
    volumes: volumes(spec),
    partial: false,
  };
}

/** `kubernetes_env` patches: their env entries appended to the named container (later entries win). */
function applyEnvPatches(app: SynthesizedApp, pods: PodModel[]): void {
  for (const patch of app.resources('kubernetes_env')) {
    const metadata = block(patch.config.metadata);
    const name = app.literal(metadata?.name, patch);
    const namespace = metadata?.namespace === undefined ? 'default' : app.literal(metadata.namespace, patch);
    const containerName = app.literal(patch.config.container ?? patch.config.init_container, patch);
    const entries = envEntries(patch.config, patch);
    for (const pod of pods.filter(
      (p) => p.kind === patch.config.kind && p.name === name && p.namespace === namespace,
    )) {
      for (const target of pod.containers.filter((c) => c.name === containerName))
        target.env.push(...entries);
    }
  }
}

/** Every pod-bearing resource of the app as one model. */
export function workloadPods(app: SynthesizedApp): PodModel[] {
  const fromProvider = app
    .resources(...Object.keys(WORKLOAD_TYPES))
    .map((source) => podFrom(app, source, WORKLOAD_TYPES[source.type], source.config, 'provider'));
  const fromManifests = manifestObjects(app).map(({ source, object }) =>
    typeof object.kind === 'string' && object.kind in POD_SPEC_PATHS
      ? podFrom(app, source, object.kind, object, 'api')
      : undefined,
  );
  const pods = [...fromProvider, ...fromManifests].filter((p): p is PodModel => p !== undefined);
  applyEnvPatches(app, pods);
  return pods;
}
