/**
 * Karpenter's contribution to the cart's alarms and dashboard: a NodePool near its limits launches nothing more,
 * and the cart's new pods stay Pending. Karpenter exports `karpenter_nodepools_usage` and
 * `karpenter_nodepools_limit` (labels `nodepool`, `resource_type`; karpenter.sh "Metrics" reference, v1); the
 * CloudWatch agent scrapes its pods (their `prometheus.io/*` annotations) and publishes both as
 * `ContainerInsights/Prometheus` metrics (modules/addons/cloudwatch-observability.ts), and the alarm divides them.
 */
import type { ObservedMetric, ObservedMetricContribution } from './observed-metric';

/** The Prometheus series, as the agent publishes them. */
export const KARPENTER_NODEPOOL_METRICS = {
  namespace: 'ContainerInsights/Prometheus',
  usage: 'karpenter_nodepools_usage',
  limit: 'karpenter_nodepools_limit',
  /** The dimensions the agent's EMF declaration keeps (ClusterName is the agent's). */
  dimensions: ['ClusterName', 'nodepool', 'resource_type'],
} as const;

/** The resources a NodePool of the platform limits (`spec.limits`). */
export const LIMITED_RESOURCES = ['cpu', 'memory'] as const;

/** One "at the limit" metric per NodePool and limited resource: usage as a percentage of the limit. */
export function karpenterMetrics(props: {
  readonly clusterName: string;
  readonly nodePools: readonly string[];
}): ObservedMetricContribution {
  const m = KARPENTER_NODEPOOL_METRICS;
  const metrics = props.nodePools.flatMap((nodePool) =>
    LIMITED_RESOURCES.map((resource): ObservedMetric => ({
      id: `karpenter-${nodePool}-${resource}-at-limit`,
      title: `Karpenter NodePool ${nodePool}: ${resource} used, % of its limit`,
      namespace: m.namespace,
      metricName: `${resource} used, % of the limit`,
      dimensions: { ClusterName: props.clusterName, nodepool: nodePool, resource_type: resource },
      statistic: 'Maximum',
      periodSeconds: 300,
      expression: { formula: '100 * usage / limit', inputs: { usage: m.usage, limit: m.limit } },
      alarm: {
        // At 100% Karpenter launches nothing for this pool; 90% leaves one scale-out of headroom to react.
        threshold: 90,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        // No data: the agent does not scrape Karpenter — not a capacity problem; keep the last state.
        treatMissingData: 'missing',
        why: `the pool's ${resource} at 90%+ of its limit for 10 minutes: the next scale-out leaves pods Pending`,
      },
    })),
  );
  return { source: 'Karpenter', metrics };
}
