/**
 * A Deployment of one container with the hardened pod security settings of `pod-security.ts` always on.
 *
 * Like every construct in this folder it *is* the provider resource (a subclass), so its construct path and its
 * Terraform address are exactly the id it is given: turning a hand-written resource into this construct moves
 * nothing in the state.
 */
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import {
  DeploymentV1,
  type DeploymentV1Config,
  type DeploymentV1SpecTemplateSpecContainer,
  type DeploymentV1SpecTemplateSpecContainerEnv,
  type DeploymentV1SpecTemplateSpecContainerEnvFrom,
  type DeploymentV1SpecTemplateSpecContainerLivenessProbe,
  type DeploymentV1SpecTemplateSpecContainerReadinessProbe,
  type DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import {
  checkPodSecurity,
  hardenedContainerSecurityContext,
  hardenedPodSecurityContext,
  type PodSecurityProps,
} from './pod-security';
import { checkImage, checkInteger, checkName, checkPort, checkPortName } from './validation';

/** The node label zones are spread over. */
export const ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
/** The node label Karpenter sets to `spot` or `on-demand`. */
export const CAPACITY_TYPE_TOPOLOGY_KEY = 'karpenter.sh/capacity-type';

/** Container resources as Kubernetes quantities; limits are required so one pod cannot starve a node. */
export interface ContainerResources {
  /** CPU request, e.g. `250m`. */
  readonly cpuRequest: string;
  /** Memory request, e.g. `512Mi`. */
  readonly memoryRequest: string;
  /** CPU limit, e.g. `1`. */
  readonly cpuLimit: string;
  /** Memory limit; equal to the request keeps the pod from being OOM-evicted first. */
  readonly memoryLimit: string;
}

/** A named container port (TCP). */
export interface ContainerPort {
  /** The port's name, which Services target (`targetPort: <name>`). */
  readonly name: string;
  /** The port the process listens on. */
  readonly containerPort: number;
}

/** A volume of the pod and where the container mounts it. */
export interface PodVolume {
  /** Name of the volume (and of its mount). */
  readonly name: string;
  /** Absolute path of the mount in the container. */
  readonly mountPath: string;
  /**
   * Mount it read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /** Where the data comes from: `emptyDir`, `persistentVolumeClaim`, `csi`, … */
  readonly source: Omit<DeploymentV1SpecTemplateSpecVolume, 'name'>;
}

/** The writable scratch space a read-only root filesystem leaves a process: `/tmp`, in memory, bounded. */
export const TMP_VOLUME: PodVolume = {
  name: 'tmp',
  mountPath: '/tmp',
  source: { emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
};

/** The one container of a HardenedDeployment (named after the Deployment). */
export interface HardenedContainerProps {
  /** Image reference, `repository:tag` or `repository@sha256:…`. */
  readonly image: string;
  /**
   * Image pull policy; `IfNotPresent` also serves images imported into a node (K3s `ctr images import`).
   * @default 'IfNotPresent'
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Arguments to the image's entrypoint. @default - the image's CMD */
  readonly args?: readonly string[];
  /** Ports the process listens on. @default - none */
  readonly ports?: readonly ContainerPort[];
  /** Whole ConfigMaps or Secrets as variables. @default - none */
  readonly envFrom?: readonly DeploymentV1SpecTemplateSpecContainerEnvFrom[];
  /** Single variables (values or references). @default - none */
  readonly env?: readonly DeploymentV1SpecTemplateSpecContainerEnv[];
  /** Requests and limits. */
  readonly resources: ContainerResources;
  /** When the pod receives traffic. @default - ready as soon as it runs */
  readonly readinessProbe?: DeploymentV1SpecTemplateSpecContainerReadinessProbe;
  /** When the kubelet restarts the container. @default - only when the process exits */
  readonly livenessProbe?: DeploymentV1SpecTemplateSpecContainerLivenessProbe;
}

export interface HardenedDeploymentProps extends PodSecurityProps {
  /** Name of the Deployment and of its container. */
  readonly name: string;
  /** Namespace of the Deployment. */
  readonly namespace: string;
  /** Labels of the Deployment and of its pods. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Labels that select the pods: a subset of `labels` that never changes (the selector is immutable).
   * @default - all of `labels`
   */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Annotations of the pods (e.g. Prometheus scraping). @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * `RollingUpdate` never goes below the desired count (maxUnavailable 0; up to 25% extra pods, at least one, come
   * up and become ready, then as many old ones go); `Recreate` stops every old pod first, for a single writer on a ReadWriteOnce volume.
   * @default 'RollingUpdate'
   */
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  /** ServiceAccount of the pods. @default - the namespace's `default` ServiceAccount */
  readonly serviceAccountName?: string;
  /** Seconds between SIGTERM and SIGKILL. @default - Kubernetes' 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spread the pods over zones, as a preference: a single-zone (or unlabelled laptop) cluster still schedules them.
   * @default false
   */
  readonly spreadAcrossZones?: boolean;
  /**
   * With `spreadAcrossZones`, also spread over Karpenter's capacity types (spot and on-demand), as a preference: one
   * spot reclaim never takes every replica. Nodes without the label (managed node groups) stay eligible.
   * @default false
   */
  readonly spreadAcrossCapacityTypes?: boolean;
  /** The container. */
  readonly container: HardenedContainerProps;
  /** Volumes, mounted in this order; the root filesystem is read-only, so include `TMP_VOLUME` where the process writes. @default - none */
  readonly volumes?: readonly PodVolume[];
  /** Resources created before the Deployment (what its pods need at start). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** A hardened Deployment (`apps/v1`) of one container. */
export class HardenedDeployment extends DeploymentV1 {
  /** Labels selecting the pods (for Services, budgets and autoscalers). */
  public readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, deploymentConfig(props));
    this.selectorLabels = { ...(props.selectorLabels ?? props.labels) };
  }
}

function deploymentConfig(props: HardenedDeploymentProps): DeploymentV1Config {
  validate(props);
  const selectorLabels = { ...(props.selectorLabels ?? props.labels) };
  const { name, namespace } = props;
  const labels = { ...props.labels };
  return {
    metadata: { name, namespace, labels },
    spec: {
      replicas: String(props.replicas ?? 1),
      selector: { matchLabels: selectorLabels },
      strategy:
        (props.strategy ?? 'RollingUpdate') === 'RollingUpdate'
          ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '25%' } }
          : { type: 'Recreate' },
      template: {
        metadata: {
          labels,
          ...(props.podAnnotations !== undefined && { annotations: { ...props.podAnnotations } }),
        },
        spec: {
          ...(props.serviceAccountName !== undefined && { serviceAccountName: props.serviceAccountName }),
          ...(props.terminationGracePeriodSeconds !== undefined && {
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
          }),
          securityContext: hardenedPodSecurityContext(props),
          ...(props.spreadAcrossZones === true && {
            topologySpreadConstraint: [
              ZONE_TOPOLOGY_KEY,
              ...(props.spreadAcrossCapacityTypes === true ? [CAPACITY_TYPE_TOPOLOGY_KEY] : []),
            ].map((topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: [{ matchLabels: selectorLabels }],
            })),
          }),
          container: [container(props)],
          ...(props.volumes !== undefined && {
            volume: props.volumes.map((volume) => ({ name: volume.name, ...volume.source })),
          }),
        },
      },
    },
    ...(props.dependsOn !== undefined && { dependsOn: [...props.dependsOn] }),
  };
}

function container(props: HardenedDeploymentProps): DeploymentV1SpecTemplateSpecContainer {
  const { container: c } = props;
  return {
    name: props.name,
    image: c.image,
    imagePullPolicy: c.imagePullPolicy ?? 'IfNotPresent',
    ...(c.args !== undefined && { args: [...c.args] }),
    ...(c.ports !== undefined && {
      port: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
    }),
    ...(c.envFrom !== undefined && { envFrom: [...c.envFrom] }),
    ...(c.env !== undefined && { env: [...c.env] }),
    resources: {
      requests: { cpu: c.resources.cpuRequest, memory: c.resources.memoryRequest },
      limits: { cpu: c.resources.cpuLimit, memory: c.resources.memoryLimit },
    },
    ...(c.readinessProbe !== undefined && { readinessProbe: c.readinessProbe }),
    ...(c.livenessProbe !== undefined && { livenessProbe: c.livenessProbe }),
    securityContext: hardenedContainerSecurityContext(props),
    ...(props.volumes !== undefined && {
      volumeMount: props.volumes.map((v) => ({
        name: v.name,
        mountPath: v.mountPath,
        ...(v.readOnly === true && { readOnly: true }),
      })),
    }),
  };
}

function validate(props: HardenedDeploymentProps): void {
  const owner = 'HardenedDeployment';
  checkName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  checkImage(owner, 'container.image', props.container.image);
  checkInteger(owner, 'replicas', props.replicas ?? 1, 1);
  checkPodSecurity(owner, props);
  if (props.terminationGracePeriodSeconds !== undefined) {
    checkInteger(owner, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0);
  }
  for (const port of props.container.ports ?? []) {
    checkPortName(owner, 'container.ports[].name', port.name);
    checkPort(owner, `container.ports[${port.name}].containerPort`, port.containerPort);
  }
  for (const [key, value] of Object.entries(props.selectorLabels ?? {})) {
    if (props.labels[key] !== value) {
      throw new Error(
        `${owner} selectorLabels: ${key}=${value} is not among labels; the Deployment would select none of its pods`,
      );
    }
  }
  const names = (props.volumes ?? []).map((v) => v.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`${owner} volumes: "${duplicate}" is defined twice`);
  for (const volume of props.volumes ?? []) {
    if (!volume.mountPath.startsWith('/')) {
      throw new Error(`${owner} volumes[${volume.name}].mountPath: "${volume.mountPath}" must be absolute`);
    }
  }
}
