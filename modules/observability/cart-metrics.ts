/**
 * The cart's metrics and alarms, as data: the table (DynamoDB), the ALB in front of it (when there is one) and its
 * pods (Container Insights). Thresholds are here, each with its reason; docs/operations.md says how to confirm
 * and fix each alarm.
 */
import type { AlarmRule, ObservedMetric } from './observed-metric';

/** The DynamoDB operations the cart service calls (service/src: Get, Query, Update, Delete, BatchWrite). */
export const CART_TABLE_OPERATIONS = [
  'GetItem',
  'Query',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
] as const;

/** Where the cart's metrics come from. */
export interface CartMetricSources {
  /** The cart's DynamoDB table. */
  readonly tableName: string;
  /** The EKS cluster (Container Insights' `ClusterName`). */
  readonly clusterName: string;
  /** The cart's namespace. */
  readonly namespace: string;
  /** The cart's Deployment name (Container Insights' `PodName` is the workload's name). */
  readonly workloadName: string;
  /** The ALB's `LoadBalancer` dimension (`app/<name>/<id>`, its ARN suffix). @default - no ALB metrics */
  readonly loadBalancer?: string;
  /** The CloudWatch agent publishes Container Insights (the pod metrics exist). @default true */
  readonly containerInsights?: boolean;
}

// Any throttle or server error is worth a look, but one blip is not a page: 2 of 3 minutes.
const ANY_IN_TWO_OF_THREE_MINUTES = { evaluationPeriods: 3, datapointsToAlarm: 2 } as const;

/** A per-operation DynamoDB error metric of the table, alarmed at any occurrence in 2 of 3 minutes. */
const tableOperationErrors =
  (kind: { id: string; label: string; metricName: string; why: string }) =>
  (tableName: string, operation: string): ObservedMetric => ({
    id: `${kind.id}-${operation.toLowerCase()}`,
    title: `${tableName} ${operation} ${kind.label}`,
    namespace: 'AWS/DynamoDB',
    metricName: kind.metricName,
    dimensions: { TableName: tableName, Operation: operation },
    statistic: 'Sum',
    periodSeconds: 60,
    alarm: {
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      ...ANY_IN_TWO_OF_THREE_MINUTES,
      // DynamoDB publishes both only when something happened: no data is the healthy state.
      treatMissingData: 'notBreaching',
      why: kind.why,
    },
  });

// On-demand tables throttle only past their peak or on a hot key; the SDK retries, so users see latency first.
const throttled = tableOperationErrors({
  id: 'table-throttled',
  label: 'throttled requests',
  metricName: 'ThrottledRequests',
  why: 'requests throttled in 2 of 3 minutes: a hot partition or past the on-demand peak; users see latency, then 5xx',
});

const systemErrors = tableOperationErrors({
  id: 'table-system-errors',
  label: 'system errors',
  metricName: 'SystemErrors',
  why: 'DynamoDB answered 500 in 2 of 3 minutes: an AWS-side problem; check the Health Dashboard',
});

/** UserErrors is per account and region (no TableName dimension): every 4xx of every table. */
const USER_ERRORS: ObservedMetric = {
  id: 'dynamodb-user-errors',
  title: 'DynamoDB user errors (account, region)',
  namespace: 'AWS/DynamoDB',
  metricName: 'UserErrors',
  dimensions: {},
  statistic: 'Sum',
  periodSeconds: 300,
  alarm: {
    // The cart sends no invalid requests when healthy; a steady trickle means a role, table or schema mismatch.
    threshold: 5,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    treatMissingData: 'notBreaching',
    why: '5+ client errors in each of 10 minutes: AccessDenied, a missing table or a validation error — a deploy or IAM change',
  },
};

function loadBalancerMetrics(loadBalancer: string): ObservedMetric[] {
  const dimensions = { LoadBalancer: loadBalancer };
  const sustained: Pick<AlarmRule, 'evaluationPeriods' | 'datapointsToAlarm' | 'treatMissingData'> = {
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    // No requests means no 5xx and no latency: quiet is healthy.
    treatMissingData: 'notBreaching',
  };
  return [
    {
      id: 'alb-target-5xx',
      title: 'Cart 5xx (from the pods, through the ALB)',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      dimensions,
      statistic: 'Sum',
      periodSeconds: 60,
      alarm: {
        threshold: 10,
        comparison: 'GreaterThanOrEqualToThreshold',
        ...sustained,
        why: '10+ 5xx a minute in 3 of 5 minutes: the cart is failing requests (table, credentials, or crashing pods)',
      },
    },
    {
      id: 'alb-target-p99',
      title: 'Cart p99 response time (s)',
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions,
      statistic: 'p99',
      periodSeconds: 60,
      alarm: {
        // A cart call is one or two DynamoDB round trips (single-digit ms); 1 s at p99 is throttling or CPU starvation.
        threshold: 1,
        comparison: 'GreaterThanThreshold',
        ...sustained,
        why: 'p99 above 1 s in 3 of 5 minutes: throttling retries, CPU limits, or too few replicas',
      },
    },
  ];
}

function podMetrics(sources: CartMetricSources): ObservedMetric[] {
  const dimensions = {
    ClusterName: sources.clusterName,
    Namespace: sources.namespace,
    PodName: sources.workloadName,
  };
  return [
    {
      id: 'pod-restarts',
      title: 'Cart container restarts',
      namespace: 'ContainerInsights',
      metricName: 'pod_number_of_container_restarts',
      dimensions,
      statistic: 'Maximum',
      periodSeconds: 300,
      alarm: {
        // One restart (a node drain, one OOM) heals itself; restarts in two windows in a row are a loop.
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        // No data: the agent or the pods are gone — the 5xx alarm covers an outage, this one a crash loop.
        treatMissingData: 'notBreaching',
        why: 'containers restarted in two 5-minute windows in a row: a crash loop (start-up check, OOM, failed probes)',
      },
    },
    {
      id: 'pod-memory-over-limit',
      title: 'Cart memory, % of the pod limit',
      namespace: 'ContainerInsights',
      metricName: 'pod_memory_utilization_over_pod_limit',
      dimensions,
      statistic: 'Maximum',
      periodSeconds: 300,
      alarm: {
        threshold: 90,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'missing',
        why: 'a pod above 90% of its memory limit for 15 minutes: the next spike is an OOM kill',
      },
    },
  ];
}

/** The cart's metrics, alarmed and graphed: table, ALB (when given), pods. */
export function cartMetrics(sources: CartMetricSources): ObservedMetric[] {
  return [
    ...CART_TABLE_OPERATIONS.map((operation) => throttled(sources.tableName, operation)),
    ...CART_TABLE_OPERATIONS.map((operation) => systemErrors(sources.tableName, operation)),
    USER_ERRORS,
    ...(sources.loadBalancer !== undefined ? loadBalancerMetrics(sources.loadBalancer) : []),
    // Without the agent nothing publishes pod metrics: an alarm on them could never fire.
    ...(sources.containerInsights === false ? [] : podMetrics(sources)),
  ];
}

/** One team instance of the cart (`cart.instances`): its name, table and namespace. */
export interface CartInstanceMetricSources {
  /** The instance's name; prefixes its metric ids and titles. */
  readonly name: string;
  /** The instance's DynamoDB table. */
  readonly tableName: string;
  /** The instance's namespace. */
  readonly namespace: string;
}

/**
 * The metrics of several team instances: each instance's table and pod metrics, ids and titles prefixed with its
 * name so alarms stay apart; the account-wide DynamoDB user errors once. No ALB metrics: each exposed instance has
 * an Ingress of its own, which the config does not alarm on (`observability.loadBalancerAlarms` is refused with
 * instances).
 */
export function cartInstancesMetrics(
  instances: readonly CartInstanceMetricSources[],
  shared: Pick<CartMetricSources, 'clusterName' | 'workloadName' | 'containerInsights'>,
): ObservedMetric[] {
  const perInstance = instances.flatMap((instance) =>
    cartMetrics({ ...shared, tableName: instance.tableName, namespace: instance.namespace })
      .filter((metric) => metric !== USER_ERRORS)
      .map((metric) => ({
        ...metric,
        id: `${instance.name}-${metric.id}`,
        title: `${instance.name}: ${metric.title}`,
      })),
  );
  return [...perInstance, USER_ERRORS];
}
