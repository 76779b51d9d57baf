/**
 * The Kubernetes side of the app as one model, built once per guardrails pass: every object (with patches), every
 * pod (provider types, API objects, Helm releases), and each container's effective environment.
 */
import { effectiveEnvironment, type EnvValue } from './environment';
import { helmPod, helmServiceAccount } from './helm';
import { kubernetesObjects, type DataEntry, type KubeObject } from './kubernetes-objects';
import type { SynthesizedApp } from './synthesized-app';
import { workloadPods, type ContainerModel, type PodModel } from './workloads';

export interface ContainerView {
  readonly pod: PodModel;
  readonly container: ContainerModel;
  readonly environment: Map<string, EnvValue>;
}

export interface KubernetesModel {
  readonly objects: readonly KubeObject[];
  readonly pods: readonly PodModel[];
  readonly containers: readonly ContainerView[];
}

const models = new WeakMap<SynthesizedApp, KubernetesModel>();

export function kubernetesModel(app: SynthesizedApp): KubernetesModel {
  const cached = models.get(app);
  if (cached !== undefined) return cached;
  const objects = kubernetesObjects(app);
  const releases = app.resources('helm_release');
  for (const release of releases) {
    const account = helmServiceAccount(app, release);
    if (account !== undefined) {
      objects.push({ kind: 'ServiceAccount', source: release, data: new Map(), config: {}, ...account });
    }
  }
  const pods = [...workloadPods(app), ...releases.map((r) => helmPod(app, r))];
  const containers = pods.flatMap((pod) =>
    pod.containers.map((container) => ({
      pod,
      container,
      environment: effectiveEnvironment(app, objects, pod, container),
    })),
  );
  const model = { objects, pods, containers };
  models.set(app, model);
  return model;
}

/** Every key of every ConfigMap and Secret of the app (patches included). */
export function dataEntries(app: SynthesizedApp): DataEntry[] {
  return kubernetesModel(app).objects.flatMap((o) => [...o.data.values()]);
}
