import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { ObservedMetric } from './observed-metric';

export interface CartDashboardProps {
  /** The dashboard's name. */
  readonly dashboardName: string;
  /** The region of the metrics. */
  readonly region: string;
  /** The metrics, one graph each, in order (with the alarm's threshold drawn when it has one). */
  readonly metrics: readonly ObservedMetric[];
}

const WIDGET_WIDTH = 8;
const WIDGET_HEIGHT = 6;

/** One graph widget per metric: the same namespace, dimensions, statistic and period as its alarm. */
export function metricWidget(metric: ObservedMetric, region: string, index: number): Record<string, unknown> {
  const dimensions = Object.entries(metric.dimensions).flat();
  return {
    type: 'metric',
    x: (index % 3) * WIDGET_WIDTH,
    y: Math.floor(index / 3) * WIDGET_HEIGHT,
    width: WIDGET_WIDTH,
    height: WIDGET_HEIGHT,
    properties: {
      title: metric.title,
      region,
      view: 'timeSeries',
      stat: metric.statistic,
      period: metric.periodSeconds,
      metrics: graphedSeries(metric, dimensions),
      ...(metric.alarm !== undefined && {
        annotations: { horizontal: [{ label: 'alarm threshold', value: metric.alarm.threshold }] },
      }),
    },
  };
}

/** The metric itself, or the formula's result with its inputs hidden (the same ids as the alarm's queries). */
function graphedSeries(metric: ObservedMetric, dimensions: string[]): unknown[][] {
  if (metric.expression === undefined) return [[metric.namespace, metric.metricName, ...dimensions]];
  return [
    [{ expression: metric.expression.formula, label: metric.metricName, id: 'result' }],
    ...Object.entries(metric.expression.inputs).map(([id, name]) => [
      metric.namespace,
      name,
      ...dimensions,
      { id, visible: false },
    ]),
  ];
}

/** The cart's CloudWatch dashboard, generated from the metric list the alarms use. */
export class CartDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;
  /** The widgets, in order (for tests). */
  public readonly widgets: readonly Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: CartDashboardProps) {
    super(scope, id);
    if (props.metrics.length === 0) throw new Error('CartDashboard metrics: [] — give at least one metric');
    this.widgets = props.metrics.map((metric, i) => metricWidget(metric, props.region, i));
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets: this.widgets }),
    });
  }
}
