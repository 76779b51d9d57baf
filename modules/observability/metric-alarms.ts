import { Construct } from 'constructs';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { MetricExpression, ObservedMetric } from './observed-metric';

export interface MetricAlarmsProps {
  /** Prefix of every alarm's name (`<prefix>-<metric id>`). */
  readonly namePrefix: string;
  /** The metrics; those with an `alarm` rule get an alarm. */
  readonly metrics: readonly ObservedMetric[];
  /** SNS topic ARNs notified on ALARM and on OK. */
  readonly actionArns: readonly string[];
}

const PERCENTILE = /^p\d/;

/** One CloudWatch alarm per metric that has an alarm rule, on exactly the metric the dashboard graphs. */
export class MetricAlarms extends Construct {
  /** The alarms, by metric id. */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: MetricAlarmsProps) {
    super(scope, id);
    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const metric of props.metrics) {
      const rule = metric.alarm;
      if (rule === undefined) continue;
      alarms[metric.id] = new CloudwatchMetricAlarm(this, metric.id, {
        alarmName: `${props.namePrefix}-${metric.id}`,
        alarmDescription: `${metric.title}: ${rule.why}`,
        ...(metric.expression === undefined
          ? singleMetric(metric)
          : expressionQueries(metric, metric.expression)),
        threshold: rule.threshold,
        comparisonOperator: rule.comparison,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: rule.treatMissingData,
        alarmActions: [...props.actionArns],
        okActions: [...props.actionArns],
      });
    }
    this.alarms = alarms;
  }
}

type MetricArguments = Pick<
  CloudwatchMetricAlarmConfig,
  'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'extendedStatistic' | 'period' | 'metricQuery'
>;

/** The alarm on the metric itself. */
function singleMetric(metric: ObservedMetric): MetricArguments {
  const percentile = PERCENTILE.test(metric.statistic);
  return {
    namespace: metric.namespace,
    metricName: metric.metricName,
    ...(Object.keys(metric.dimensions).length > 0 && { dimensions: { ...metric.dimensions } }),
    ...(percentile ? { extendedStatistic: metric.statistic } : { statistic: metric.statistic }),
    period: metric.periodSeconds,
  };
}

/** The alarm on a formula: the inputs as hidden queries, the formula's result (`result`) compared. */
function expressionQueries(metric: ObservedMetric, expression: MetricExpression): MetricArguments {
  return {
    metricQuery: [
      { id: 'result', expression: expression.formula, label: metric.metricName, returnData: true },
      ...Object.entries(expression.inputs).map(([id, metricName]) => ({
        id,
        returnData: false,
        metric: {
          namespace: metric.namespace,
          metricName,
          dimensions: { ...metric.dimensions },
          stat: metric.statistic,
          period: metric.periodSeconds,
        },
      })),
    ],
  };
}
