/**
 * What the capacity rule reads: Karpenter NodePools with their limits, HorizontalPodAutoscalers with their target
 * Deployment's pod requests, and PodDisruptionBudgets with the Deployment they select — from provider resources
 * and API objects (`kubernetes_manifest`, `kubectl_manifest`) alike.
 */
import { kblock, kfield, kpath } from './kubernetes-fields';
import { kubernetesModel } from './kubernetes-model';
import { manifestObjects } from './manifests';
import { parseQuantity } from './quantities';
import type { ElementView, SynthesizedApp } from './synthesized-app';
import { block, isObject, num, type Json } from './values';
import type { PodModel } from './workloads';

/** CPU (cores) and memory (bytes); `undefined` where not a literal quantity. */
export interface Resources {
  readonly cpu?: number;
  readonly memory?: number;
}

export interface NodePoolLimits {
  readonly source: ElementView;
  readonly name?: string;
  readonly limits: Resources;
}

export interface Autoscaler {
  readonly source: ElementView;
  readonly name?: string;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  /** The Deployment it scales, when found. */
  readonly target?: PodModel;
}

export interface DisruptionBudget {
  readonly source: ElementView;
  readonly name?: string;
  readonly minAvailable?: string;
  readonly maxUnavailable?: string;
  readonly namespace?: string;
  readonly matchLabels: Readonly<Record<string, string>>;
}

const HPA_TYPES = [
  'kubernetes_horizontal_pod_autoscaler_v2',
  'kubernetes_horizontal_pod_autoscaler_v2beta2',
  'kubernetes_horizontal_pod_autoscaler_v1',
  'kubernetes_horizontal_pod_autoscaler',
];
const PDB_TYPES = ['kubernetes_pod_disruption_budget_v1', 'kubernetes_pod_disruption_budget'];

function quantities(app: SynthesizedApp, object: Json | undefined, near: ElementView): Resources {
  const read = (name: string) => {
    const value = object?.[name];
    return parseQuantity(typeof value === 'number' ? value : app.literal(value, near));
  };
  return { cpu: read('cpu'), memory: read('memory') };
}

/** Every Karpenter NodePool (`karpenter.sh/*`, kind NodePool) and its `spec.limits`. */
export function nodePools(app: SynthesizedApp): NodePoolLimits[] {
  return manifestObjects(app)
    .filter(
      ({ object }) => object.kind === 'NodePool' && String(object.apiVersion).startsWith('karpenter.sh/'),
    )
    .map(({ source, object }) => ({
      source,
      name: app.literal(kblock(object, 'metadata')?.name, source),
      limits: quantities(app, kpath(object, 'spec', 'limits'), source),
    }));
}

/** The pod's requests, summed over its regular containers (init containers run before, not beside them). */
export function podRequests(app: SynthesizedApp, pod: PodModel): Resources {
  let cpu: number | undefined = 0;
  let memory: number | undefined = 0;
  for (const container of pod.containers.filter((c) => !c.init)) {
    const requests = quantities(app, block(container.resources.requests), pod.source);
    cpu = cpu === undefined || requests.cpu === undefined ? undefined : cpu + requests.cpu;
    memory = memory === undefined || requests.memory === undefined ? undefined : memory + requests.memory;
  }
  return { cpu, memory };
}

function deployment(app: SynthesizedApp, name?: string, namespace?: string): PodModel | undefined {
  return kubernetesModel(app).pods.find(
    (p) => p.kind === 'Deployment' && p.name === name && p.namespace === namespace,
  );
}

function namespaceOf(app: SynthesizedApp, metadata: Json | undefined, near: ElementView): string | undefined {
  return metadata?.namespace === undefined ? 'default' : app.literal(metadata.namespace, near);
}

/** Every HorizontalPodAutoscaler (provider types and API objects) with the Deployment it scales. */
export function autoscalers(app: SynthesizedApp): Autoscaler[] {
  const objects = [
    ...app.resources(...HPA_TYPES).map((source) => ({ source, object: source.config as Json })),
    ...manifestObjects(app).filter(({ object }) => object.kind === 'HorizontalPodAutoscaler'),
  ];
  return objects.map(({ source, object }) => {
    const metadata = kblock(object, 'metadata');
    const spec = kblock(object, 'spec');
    const ref = kblock(spec, 'scaleTargetRef');
    const targetName = app.literal(ref?.name, source);
    const namespace = namespaceOf(app, metadata, source);
    const count = (name: string) => num(app.literal(kfield(spec, name), source));
    return {
      source,
      name: app.literal(metadata?.name, source),
      minReplicas: count('minReplicas') ?? 1,
      maxReplicas: count('maxReplicas'),
      target: ref?.kind === 'Deployment' ? deployment(app, targetName, namespace) : undefined,
    };
  });
}

/** Every PodDisruptionBudget (provider types and API objects) with its selector's labels. */
export function disruptionBudgets(app: SynthesizedApp): DisruptionBudget[] {
  const objects = [
    ...app.resources(...PDB_TYPES).map((source) => ({ source, object: source.config as Json })),
    ...manifestObjects(app).filter(({ object }) => object.kind === 'PodDisruptionBudget'),
  ];
  return objects.map(({ source, object }) => {
    const metadata = kblock(object, 'metadata');
    const spec = kblock(object, 'spec');
    const labels = kblock(kblock(spec, 'selector'), 'matchLabels') ?? {};
    const text = (name: string) => {
      const value = kfield(spec, name);
      return typeof value === 'number' ? String(value) : app.literal(value, source);
    };
    return {
      source,
      name: app.literal(metadata?.name, source),
      minAvailable: text('minAvailable'),
      maxUnavailable: text('maxUnavailable'),
      namespace: namespaceOf(app, metadata, source),
      matchLabels: Object.fromEntries(
        Object.entries(labels).map(([k, v]) => [k, app.literal(v, source) ?? String(v)]),
      ),
    };
  });
}

/** The template labels of a Deployment (provider or API spelling). */
export function templateLabels(app: SynthesizedApp, pod: PodModel): Record<string, string> {
  const config = pod.source.config;
  const object = pod.style === 'provider' ? config : findApiObject(pod);
  const labels = kblock(kpath(object, 'spec', 'template', 'metadata'), 'labels') ?? {};
  return Object.fromEntries(
    Object.entries(labels).map(([k, v]) => [k, app.literal(v, pod.source) ?? String(v)]),
  );
}

function findApiObject(pod: PodModel): Json | undefined {
  const manifest = pod.source.config.manifest;
  return isObject(manifest) ? manifest : undefined;
}

/** A Deployment's `spec.replicas` (Kubernetes' default 1 when unset or unknown). */
export function deploymentReplicas(app: SynthesizedApp, pod: PodModel): number {
  const object = pod.style === 'provider' ? pod.source.config : findApiObject(pod);
  return num(app.literal(kfield(kblock(object, 'spec'), 'replicas'), pod.source)) ?? 1;
}
