/**
 * One list of metric definitions drives both the alarms and the dashboard, so an alarm and the graph an operator
 * opens to confirm it can never disagree (namespace, dimensions, statistic, period).
 */

/** What an alarm on a metric fires on, and why those numbers (docs/operations.md repeats the table). */
export interface AlarmRule {
  /** The value compared with the statistic. */
  readonly threshold: number;
  /** How the statistic is compared with the threshold. */
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
  /** Periods looked at. */
  readonly evaluationPeriods: number;
  /** Breaching periods among them that fire the alarm. */
  readonly datapointsToAlarm: number;
  /** How a period without data counts (`notBreaching`: no data means no errors). */
  readonly treatMissingData: 'notBreaching' | 'breaching' | 'missing' | 'ignore';
  /** Why these numbers: the alarm's description. */
  readonly why: string;
}

/** A computed metric, e.g. `100 * usage / limit` with inputs `{ usage: 'x_usage', limit: 'x_limit' }`. */
export interface MetricExpression {
  /** CloudWatch metric-math formula over the input ids. */
  readonly formula: string;
  /** The inputs, by query id (lower-case letter first, then letters, digits, `_`): their metric names. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** A CloudWatch metric the platform watches: graphed on the dashboard, and alarmed on when it has a rule. */
export interface ObservedMetric {
  /** Unique, kebab-case: ends the alarm's name. */
  readonly id: string;
  /** Widget title and alarm summary. */
  readonly title: string;
  /** CloudWatch namespace, e.g. `AWS/DynamoDB`. */
  readonly namespace: string;
  /** Metric name; with an `expression`, the label of the computed series. */
  readonly metricName: string;
  /**
   * A metric-math formula over metrics of the same namespace, dimensions, statistic and period: the alarm and the
   * graph both use its result. @default - the metric itself
   */
  readonly expression?: MetricExpression;
  /** Dimensions, exactly as the metric is published. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Maximum`, `Average` or a percentile such as `p99`. */
  readonly statistic: string;
  /** Period in seconds (60 or a multiple). */
  readonly periodSeconds: number;
  /** The alarm on it. @default - graphed only */
  readonly alarm?: AlarmRule;
}

/**
 * Metrics another add-on contributes to the cart's alarms and dashboard (the extension point): Karpenter's "nodes
 * at the NodePool limit" (modules/observability/karpenter-metrics.ts).
 */
export interface ObservedMetricContribution {
  /** Who contributes them (shown as the dashboard section's title). */
  readonly source: string;
  /** The metrics. */
  readonly metrics: readonly ObservedMetric[];
}

const STATISTIC = /^(Sum|Maximum|Minimum|Average|SampleCount|p\d{1,2}(\.\d+)?)$/;

/** Checks a metric list: unique ids, known statistics, periods CloudWatch accepts for alarms. */
export function validateObservedMetrics(metrics: readonly ObservedMetric[]): void {
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (seen.has(metric.id)) throw new Error(`ObservedMetric id: "${metric.id}" repeats; ids must be unique`);
    seen.add(metric.id);
    if (!/^[a-z][a-z0-9-]*$/.test(metric.id)) {
      throw new Error(`ObservedMetric id: "${metric.id}" must be kebab-case (a-z, 0-9, -)`);
    }
    if (!STATISTIC.test(metric.statistic)) {
      throw new Error(
        `ObservedMetric ${metric.id} statistic: "${metric.statistic}" — use Sum, Maximum, Minimum, Average, SampleCount or pNN`,
      );
    }
    if (metric.periodSeconds < 60 || metric.periodSeconds % 60 !== 0) {
      throw new Error(
        `ObservedMetric ${metric.id} periodSeconds: ${metric.periodSeconds} — must be a multiple of 60`,
      );
    }
    if (metric.expression !== undefined) validateExpression(metric.id, metric.expression);
    const rule = metric.alarm;
    if (
      rule !== undefined &&
      !(rule.datapointsToAlarm >= 1 && rule.datapointsToAlarm <= rule.evaluationPeriods)
    ) {
      throw new Error(
        `ObservedMetric ${metric.id} alarm.datapointsToAlarm: ${rule.datapointsToAlarm} — must be 1 to evaluationPeriods (${rule.evaluationPeriods})`,
      );
    }
  }
}

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

function validateExpression(id: string, expression: MetricExpression): void {
  const inputs = Object.keys(expression.inputs);
  if (inputs.length === 0)
    throw new Error(`ObservedMetric ${id} expression.inputs: {} — name at least one metric`);
  for (const input of inputs) {
    if (!QUERY_ID.test(input) || input === 'result') {
      throw new Error(
        `ObservedMetric ${id} expression.inputs: "${input}" is not a query id (a lower-case letter, then letters, digits, _; not "result")`,
      );
    }
    if (!expression.formula.includes(input)) {
      throw new Error(
        `ObservedMetric ${id} expression.formula: "${expression.formula}" does not use "${input}"`,
      );
    }
  }
}
