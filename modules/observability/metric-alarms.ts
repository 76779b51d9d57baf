import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { ObservedMetric } from './observed-metric';

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
      const percentile = PERCENTILE.test(metric.statistic);
      alarms[metric.id] = new CloudwatchMetricAlarm(this, metric.id, {
        alarmName: `${props.namePrefix}-${metric.id}`,
        alarmDescription: `${metric.title}: ${rule.why}`,
        namespace: metric.namespace,
        metricName: metric.metricName,
        ...(Object.keys(metric.dimensions).length > 0 && { dimensions: { ...metric.dimensions } }),
        ...(percentile ? { extendedStatistic: metric.statistic } : { statistic: metric.statistic }),
        period: metric.periodSeconds,
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
