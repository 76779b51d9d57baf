/**
 * A HorizontalPodAutoscaler (`autoscaling/v2`) that scales a Deployment on its pods' average CPU utilization.
 * Needs metrics-server in the cluster.
 */
import type { Construct } from 'constructs';
import {
  HorizontalPodAutoscalerV2,
  type HorizontalPodAutoscalerV2Config,
} from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { checkInteger, checkName } from './validation';

/** The attribute an autoscaler owns in its target; Terraform must not set it back. */
export const REPLICAS_ATTRIBUTE = 'spec[0].replicas';

export interface HorizontalPodAutoscalerProps {
  /** Name of the autoscaler. */
  readonly name: string;
  /** Namespace of the autoscaler (the Deployment's). */
  readonly namespace: string;
  /** Labels of the autoscaler. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Deployment it scales; its replica count is left to the autoscaler from now on (see the class). */
  readonly target: DeploymentV1;
  /**
   * Fewest pods.
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /** Average CPU utilization to hold, in percent of the pods' CPU request. */
  readonly targetCpuPercent: number;
}

/**
 * A CPU-based HorizontalPodAutoscaler. The autoscaler owns its target's replica count, so the target's
 * `spec[0].replicas` is added to its `ignore_changes`: a Terraform apply would otherwise reset the count the
 * autoscaler chose.
 */
export class HorizontalPodAutoscaler extends HorizontalPodAutoscalerV2 {
  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id, autoscalerConfig(props));
    ignoreReplicas(props.target);
  }
}

function autoscalerConfig(props: HorizontalPodAutoscalerProps): HorizontalPodAutoscalerV2Config {
  validate(props);
  return {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      ...(props.labels !== undefined && { labels: { ...props.labels } }),
    },
    spec: {
      minReplicas: props.minReplicas ?? 1,
      maxReplicas: props.maxReplicas,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.target.metadata.name },
      metric: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: props.targetCpuPercent },
          },
        },
      ],
    },
  };
}

function ignoreReplicas(target: DeploymentV1): void {
  const ignored = target.lifecycle?.ignoreChanges ?? [];
  if (ignored === 'all' || ignored.includes(REPLICAS_ATTRIBUTE)) return;
  target.lifecycle = { ...target.lifecycle, ignoreChanges: [...ignored, REPLICAS_ATTRIBUTE] };
}

function validate(props: HorizontalPodAutoscalerProps): void {
  const owner = 'HorizontalPodAutoscaler';
  const minReplicas = props.minReplicas ?? 1;
  checkName(owner, 'name', props.name);
  checkName(owner, 'namespace', props.namespace);
  checkInteger(owner, 'minReplicas', minReplicas, 1);
  if (!Number.isInteger(props.maxReplicas) || props.maxReplicas < minReplicas) {
    throw new Error(
      `${owner} maxReplicas: ${props.maxReplicas} must be an integer >= minReplicas (${minReplicas})`,
    );
  }
  checkInteger(owner, 'targetCpuPercent', props.targetCpuPercent, 1, 100);
}
